-- name: network_expected
-- N1 应建数 for the region and each child: one centre per city and county, one station per
-- township (街道) and per village (社区), counted from the division codes (region table).
SELECT g.code AS region_code,
       SUM(CASE WHEN d.level <= 3 THEN 1 ELSE 0 END) AS expected_centre,
       SUM(CASE WHEN d.level = 4 THEN 1 ELSE 0 END) AS expected_town,
       SUM(CASE WHEN d.level = 5 THEN 1 ELSE 0 END) AS expected_village
FROM (
    SELECT r.code, r.code_hi FROM region r
    WHERE r.code = :region AND r.code BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT r.code, r.code_hi FROM region r
    WHERE r.parent_code = :region AND r.code BETWEEN :scope_lo AND :scope_hi
) g
JOIN region d ON d.code BETWEEN g.code AND g.code_hi
WHERE d.level >= 2
GROUP BY g.code
ORDER BY g.code
