-- name: employment_311
-- E4 "311"服务完成率 (年累计) for the region and its children: now (services 1 Jan .. :d1), at the
-- previous period's end (1 Jan .. :p_d1, same year) and last year (1 Jan last year .. :y_d1), in one pass.
-- 服务对象: 自主就业 placements discharged from 1 Jan of the year before the services' year up to the
-- services' end day (the previous and the current year's cohorts), counted where the veteran lives.
-- Completed: 岗位推荐 ≥ 3, 职业指导 ≥ 1 and 技能培训信息 ≥ 1 in the services' window. Summed per village first.
-- The people are found through placement (index on receiving county + discharge day; :place_lo/hi is the
-- region's range, or its county's below county level), then their village by primary key.
WITH ev AS (
    SELECT e.veteran_id,
           SUM(CASE WHEN e.kind = '岗位推荐' AND e.day >= :ytd0 THEN 1 ELSE 0 END) AS ref_now,
           SUM(CASE WHEN e.kind = '职业指导' AND e.day >= :ytd0 THEN 1 ELSE 0 END) AS guide_now,
           SUM(CASE WHEN e.kind = '技能培训信息' AND e.day >= :ytd0 THEN 1 ELSE 0 END) AS info_now,
           SUM(CASE WHEN e.kind = '岗位推荐' AND e.day BETWEEN :ytd0 AND :p_d1 THEN 1 ELSE 0 END) AS ref_prev,
           SUM(CASE WHEN e.kind = '职业指导' AND e.day BETWEEN :ytd0 AND :p_d1 THEN 1 ELSE 0 END) AS guide_prev,
           SUM(CASE WHEN e.kind = '技能培训信息' AND e.day BETWEEN :ytd0 AND :p_d1 THEN 1 ELSE 0 END) AS info_prev,
           SUM(CASE WHEN e.kind = '岗位推荐' AND e.day BETWEEN :ytd0 - 10000 AND :y_d1 THEN 1 ELSE 0 END) AS ref_ly,
           SUM(CASE WHEN e.kind = '职业指导' AND e.day BETWEEN :ytd0 - 10000 AND :y_d1 THEN 1 ELSE 0 END) AS guide_ly,
           SUM(CASE WHEN e.kind = '技能培训信息' AND e.day BETWEEN :ytd0 - 10000 AND :y_d1 THEN 1 ELSE 0 END) AS info_ly
    FROM service_event e
    WHERE e.day BETWEEN :ytd0 - 10000 AND :d1
      AND e.region_code BETWEEN :scope_lo AND :scope_hi
      AND e.region_code BETWEEN :region_lo AND :region_hi
    GROUP BY e.veteran_id
),
per_village AS (
    SELECT v.region_code,
           SUM(CASE WHEN p.discharged_day >= :ytd0 - 10000 THEN 1 ELSE 0 END) AS served,
           SUM(CASE WHEN p.discharged_day >= :ytd0 - 10000 AND ev.ref_now >= 3 THEN 1 ELSE 0 END) AS ref_ok,
           SUM(CASE WHEN p.discharged_day >= :ytd0 - 10000 AND ev.guide_now >= 1 THEN 1 ELSE 0 END) AS guide_ok,
           SUM(CASE WHEN p.discharged_day >= :ytd0 - 10000 AND ev.info_now >= 1 THEN 1 ELSE 0 END) AS info_ok,
           SUM(CASE WHEN p.discharged_day >= :ytd0 - 10000 AND ev.ref_now >= 3 AND ev.guide_now >= 1
                     AND ev.info_now >= 1 THEN 1 ELSE 0 END) AS all_ok,
           SUM(CASE WHEN p.discharged_day BETWEEN :ytd0 - 10000 AND :p_d1 THEN 1 ELSE 0 END) AS served_prev,
           SUM(CASE WHEN p.discharged_day BETWEEN :ytd0 - 10000 AND :p_d1 AND ev.ref_prev >= 3
                     AND ev.guide_prev >= 1 AND ev.info_prev >= 1 THEN 1 ELSE 0 END) AS all_ok_prev,
           SUM(CASE WHEN p.discharged_day BETWEEN :ytd0 - 20000 AND :y_d1 THEN 1 ELSE 0 END) AS served_ly,
           SUM(CASE WHEN p.discharged_day BETWEEN :ytd0 - 20000 AND :y_d1 AND ev.ref_ly >= 3
                     AND ev.guide_ly >= 1 AND ev.info_ly >= 1 THEN 1 ELSE 0 END) AS all_ok_ly
    FROM placement p
    JOIN veteran v ON v.veteran_id = p.veteran_id
    LEFT JOIN ev ON ev.veteran_id = p.veteran_id
    WHERE p.region_code BETWEEN :place_lo AND :place_hi
      AND p.discharged_day BETWEEN :ytd0 - 20000 AND :d1
      AND p.mode = '自主就业'
      AND v.region_code BETWEEN :scope_lo AND :scope_hi
      AND v.region_code BETWEEN :region_lo AND :region_hi
    GROUP BY v.region_code
)
SELECT g.code AS region_code,
       COALESCE(SUM(u.served), 0) AS served,
       COALESCE(SUM(u.ref_ok), 0) AS ref_ok,
       COALESCE(SUM(u.guide_ok), 0) AS guide_ok,
       COALESCE(SUM(u.info_ok), 0) AS info_ok,
       COALESCE(SUM(u.all_ok), 0) AS all_ok,
       COALESCE(SUM(u.served_prev), 0) AS served_prev,
       COALESCE(SUM(u.all_ok_prev), 0) AS all_ok_prev,
       COALESCE(SUM(u.served_ly), 0) AS served_ly,
       COALESCE(SUM(u.all_ok_ly), 0) AS all_ok_ly
FROM region g
LEFT JOIN per_village u ON u.region_code BETWEEN g.code AND g.code_hi
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code
ORDER BY g.code
