-- name: network_units_state
-- network_units from roll_network_state: for the region and each child (inside the scope), the counts as
-- of the end day :d1, the previous period's :p_d1 and last year's :y_d1 — the last state row on or before
-- each (one MAX seek on ix_roll_network_state per child and day: 3 × (children + 1) seeks at any level).
-- has_state = 0: the rollup holds no row for the region (not refreshed since it was added) — the caller
-- then uses network_units on the raw tables.
SELECT g.code AS region_code,
       s.built AS built,
       p.built AS built_prev,
       y.built AS built_ly,
       s.built_centre AS built_centre,
       s.built_town AS built_town,
       p.built_town AS built_town_prev,
       y.built_town AS built_town_ly,
       s.built_village AS built_village,
       p.built_village AS built_village_prev,
       y.built_village AS built_village_ly,
       s.has_institution AS has_institution,
       s.has_quota AS has_quota,
       s.has_personnel AS has_personnel,
       s.has_funding AS has_funding,
       s.has_safeguards AS has_safeguards,
       s.five_ok AS five_ok,
       s.model_national AS model_national,
       s.model_province AS model_province,
       s.model_city AS model_city,
       s.model_county AS model_county,
       s.model_total AS model_total,
       s.benchmark AS benchmark,
       s.model_or_benchmark AS model_or_benchmark,
       s.red AS red,
       s.yibu_yizhan AS yibu_yizhan,
       s.staff_full AS staff_full,
       s.staff_part AS staff_part,
       s.staff_certified AS staff_certified,
       s.objects_village AS objects_village,
       s.objects_town AS objects_town,
       s.active AS active,
       p.active AS active_prev,
       y.active AS active_ly,
       CASE WHEN EXISTS (SELECT 1 FROM roll_network_state e WHERE e.region_code = g.code) THEN 1 ELSE 0 END
           AS has_state
FROM region g
LEFT JOIN roll_network_state s ON s.region_code = g.code
     AND s.day = (SELECT MAX(x.day) FROM roll_network_state x WHERE x.region_code = g.code AND x.day <= :d1)
LEFT JOIN roll_network_state p ON p.region_code = g.code
     AND p.day = (SELECT MAX(x.day) FROM roll_network_state x WHERE x.region_code = g.code AND x.day <= :p_d1)
LEFT JOIN roll_network_state y ON y.region_code = g.code
     AND y.day = (SELECT MAX(x.day) FROM roll_network_state x WHERE x.region_code = g.code AND x.day <= :y_d1)
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
ORDER BY g.code
