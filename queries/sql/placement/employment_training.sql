-- name: employment_training
-- E5 培训人次 (期间) by kind (适应性培训/职业技能培训/学历提升) for the region and its children:
-- trainings started within the period, the previous period and the same period last year
-- (roll_training_day, by the trainee's village; one index range per region from :y_d0 to :d1).
SELECT g.code AS region_code, r.kind,
       SUM(CASE WHEN r.day BETWEEN :d0 AND :d1 THEN r.started ELSE 0 END) AS started,
       SUM(CASE WHEN r.day BETWEEN :p_d0 AND :p_d1 THEN r.started ELSE 0 END) AS started_prev,
       SUM(CASE WHEN r.day BETWEEN :y_d0 AND :y_d1 THEN r.started ELSE 0 END) AS started_ly
FROM region g
JOIN roll_training_day r
  ON r.region_code = g.code
 AND r.day BETWEEN :y_d0 AND :d1
WHERE g.code IN (SELECT k.code FROM region k WHERE k.code = :region
                 UNION ALL
                 SELECT k.code FROM region k WHERE k.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code, r.kind
ORDER BY g.code
