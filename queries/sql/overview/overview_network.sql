-- name: overview_network
-- N2 服务站覆盖率 and N3 五有达标率 for the region and each child (as at :d1).
-- should_exist: one centre/station per city, county, township and village in the subtree.
SELECT g.code AS region_code,
       (SELECT COUNT(*) FROM region d
         WHERE d.code BETWEEN g.code AND g.code_hi AND d.level >= 2) AS should_exist,
       (SELECT COUNT(*) FROM service_unit s
         WHERE s.region_code BETWEEN g.code AND g.code_hi AND s.founded_day <= :d1) AS built,
       (SELECT COUNT(*) FROM service_unit s
         WHERE s.region_code BETWEEN g.code AND g.code_hi AND s.founded_day <= :p_d1) AS built_prev,
       (SELECT COUNT(*) FROM service_unit s
         WHERE s.region_code BETWEEN g.code AND g.code_hi AND s.founded_day <= :y_d1) AS built_ly,
       (SELECT SUM(CASE WHEN s.has_institution AND s.has_quota AND s.has_personnel
                              AND s.has_funding AND s.has_safeguards THEN 1 ELSE 0 END)
          FROM service_unit s
         WHERE s.region_code BETWEEN g.code AND g.code_hi AND s.founded_day <= :d1) AS five_ok
FROM region g
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
ORDER BY g.code
