-- name: overview_placement
-- P2 安置完成率 (年累计, county-level): task placements of :year reported at their post by :d1
-- over the year's task (placement_task). Rows: the region and its children.
SELECT g.code AS region_code,
       (SELECT SUM(t.task) FROM placement_task t
         WHERE t.region_code BETWEEN g.code AND g.code_hi AND t.year = :year) AS task,
       (SELECT COUNT(*) FROM placement p
         WHERE p.region_code BETWEEN g.code AND g.code_hi AND p.is_task
           AND p.cohort_year = :year AND p.reported_day <= :d1) AS done,
       (SELECT COUNT(*) FROM placement p
         WHERE p.region_code BETWEEN g.code AND g.code_hi AND p.is_task
           AND p.cohort_year = :year AND p.reported_day <= :p_d1) AS done_prev,
       (SELECT SUM(t.task) FROM placement_task t
         WHERE t.region_code BETWEEN g.code AND g.code_hi AND t.year = :year - 1) AS task_ly,
       (SELECT COUNT(*) FROM placement p
         WHERE p.region_code BETWEEN g.code AND g.code_hi AND p.is_task
           AND p.cohort_year = :year - 1 AND p.reported_day <= :y_d1) AS done_ly
FROM region g
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
ORDER BY g.code
