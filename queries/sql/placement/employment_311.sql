-- name: employment_311
-- E4 "311"服务完成率 (年累计) for the region and its children, from roll_311_day: now (services 1 Jan ..
-- :d1), at the previous period's end (1 Jan .. :p_d1, same year) and last year (1 Jan last year .. :y_d1).
-- 服务对象 of service year Y: 自主就业 placements discharged from 1 Jan of Y−1 up to the end day, counted where
-- the veteran lives. Completed: 岗位推荐 ≥ 3, 职业指导 ≥ 1 and 技能培训信息 ≥ 1 among his services of year Y up to
-- the end day. Each is a row on the day it happens (served: discharge; completed: the day the threshold is
-- reached, not before discharge), so "as at E in year Y" = SUM over year = Y, day <= E. When :p_d1 lies in
-- the previous year, nobody has completed anything of year :year by then (as in the definition).
SELECT g.code AS region_code,
       COALESCE(SUM(CASE WHEN r.year = :year THEN r.served ELSE 0 END), 0) AS served,
       COALESCE(SUM(CASE WHEN r.year = :year THEN r.ref_ok ELSE 0 END), 0) AS ref_ok,
       COALESCE(SUM(CASE WHEN r.year = :year THEN r.guide_ok ELSE 0 END), 0) AS guide_ok,
       COALESCE(SUM(CASE WHEN r.year = :year THEN r.info_ok ELSE 0 END), 0) AS info_ok,
       COALESCE(SUM(CASE WHEN r.year = :year THEN r.all_ok ELSE 0 END), 0) AS all_ok,
       COALESCE(SUM(CASE WHEN r.year = :year AND r.day <= :p_d1 THEN r.served ELSE 0 END), 0) AS served_prev,
       COALESCE(SUM(CASE WHEN r.year = :year AND r.day <= :p_d1 THEN r.all_ok ELSE 0 END), 0) AS all_ok_prev,
       COALESCE(SUM(CASE WHEN r.year = :year - 1 AND r.day <= :y_d1 THEN r.served ELSE 0 END), 0) AS served_ly,
       COALESCE(SUM(CASE WHEN r.year = :year - 1 AND r.day <= :y_d1 THEN r.all_ok ELSE 0 END), 0) AS all_ok_ly
FROM region g
LEFT JOIN roll_311_day r
  ON r.region_code = g.code
 AND r.year BETWEEN :year - 1 AND :year
 AND r.day <= :d1
WHERE g.code IN (SELECT k.code FROM region k WHERE k.code = :region
                 UNION ALL
                 SELECT k.code FROM region k WHERE k.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code
ORDER BY g.code
