-- name: employment_training
-- E5 培训人次 (期间) by kind (适应性培训/职业技能培训/学历提升) for the region and its children:
-- trainings started within the period, the previous period and the same period last year.
-- (SQLite seeks an index with the last range written on a column: the region's range goes last.)
SELECT g.code AS region_code, t.kind,
       SUM(CASE WHEN t.started_day BETWEEN :d0 AND :d1 THEN 1 ELSE 0 END) AS started,
       SUM(CASE WHEN t.started_day BETWEEN :p_d0 AND :p_d1 THEN 1 ELSE 0 END) AS started_prev,
       SUM(CASE WHEN t.started_day BETWEEN :y_d0 AND :y_d1 THEN 1 ELSE 0 END) AS started_ly
FROM region g
JOIN training t
  ON t.region_code BETWEEN :scope_lo AND :scope_hi
 AND t.region_code BETWEEN g.code AND g.code_hi
 AND t.started_day BETWEEN :y_d0 AND :d1
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code, t.kind
ORDER BY g.code
