-- name: overview_placement
-- P2 安置完成率 (年累计, county-level): task placements of :year reported at their post by :d1
-- over the year's task (placement_task). Rows: the region and its children. From roll_placement_day
-- (done = task placements on their reported_day, by receiving county and up).
SELECT g.code AS region_code,
       (SELECT SUM(t.task) FROM placement_task t
         WHERE t.region_code BETWEEN g.code AND g.code_hi AND t.year = :year) AS task,
       (SELECT COALESCE(SUM(r.done), 0) FROM roll_placement_day r
         WHERE r.region_code = g.code AND r.cohort_year = :year AND r.day <= :d1) AS done,
       (SELECT COALESCE(SUM(r.done), 0) FROM roll_placement_day r
         WHERE r.region_code = g.code AND r.cohort_year = :year AND r.day <= :p_d1) AS done_prev,
       (SELECT SUM(t.task) FROM placement_task t
         WHERE t.region_code BETWEEN g.code AND g.code_hi AND t.year = :year - 1) AS task_ly,
       (SELECT COALESCE(SUM(r.done), 0) FROM roll_placement_day r
         WHERE r.region_code = g.code AND r.cohort_year = :year - 1 AND r.day <= :y_d1) AS done_ly
FROM region g
WHERE g.code IN (SELECT k.code FROM region k WHERE k.code = :region
                 UNION ALL
                 SELECT k.code FROM region k WHERE k.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
ORDER BY g.code
