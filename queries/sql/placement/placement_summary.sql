-- name: placement_summary
-- P1 接收安置人数 (期间), P2 安置完成率 (年累计), P3 机关事业单位占比 (年累计), P5 按期报到率 (年累计),
-- P6 适应性培训参训率 (年累计) for the region and its children, by RECEIVING county (placement.region_code),
-- from roll_placement_day (each measure on its own day; as at D = SUM over day <= D). Only meaningful for
-- regions at county level or above (a township's row counts nothing). Cohorts :year-2 .. :year (a receipt
-- in a period up to a year back belongs to one of them); one index range per region. The yearly task
-- comes from placement_task (county rows).
SELECT g.code AS region_code,
       (SELECT SUM(t.task) FROM placement_task t
         WHERE t.region_code BETWEEN g.code AND g.code_hi AND t.year = :year) AS task,
       (SELECT SUM(t.task) FROM placement_task t
         WHERE t.region_code BETWEEN g.code AND g.code_hi AND t.year = :year - 1) AS task_ly,
       -- P1: received (报到登记) within the period
       COALESCE(SUM(CASE WHEN r.day BETWEEN :d0 AND :d1 THEN r.received ELSE 0 END), 0) AS received,
       COALESCE(SUM(CASE WHEN r.day BETWEEN :p_d0 AND :p_d1 THEN r.received ELSE 0 END), 0) AS received_prev,
       COALESCE(SUM(CASE WHEN r.day BETWEEN :y_d0 AND :y_d1 THEN r.received ELSE 0 END), 0) AS received_ly,
       -- P2: this year's task placements placed and reported at their post by the period end
       COALESCE(SUM(CASE WHEN r.cohort_year = :year THEN r.done ELSE 0 END), 0) AS done,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year AND r.day <= :p_d1 THEN r.done ELSE 0 END), 0) AS done_prev,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year - 1 AND r.day <= :y_d1 THEN r.done ELSE 0 END), 0) AS done_ly,
       -- P3: of this year's task placements with a post by the period end, 党政机关 + 事业单位 / 国企
       COALESCE(SUM(CASE WHEN r.cohort_year = :year THEN r.placed ELSE 0 END), 0) AS placed,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year THEN r.placed_gov ELSE 0 END), 0) AS placed_gov,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year THEN r.placed_soe ELSE 0 END), 0) AS placed_soe,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year AND r.day <= :p_d1 THEN r.placed ELSE 0 END), 0) AS placed_prev,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year AND r.day <= :p_d1 THEN r.placed_gov ELSE 0 END), 0) AS placed_gov_prev,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year - 1 AND r.day <= :y_d1 THEN r.placed ELSE 0 END), 0) AS placed_ly,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year - 1 AND r.day <= :y_d1 THEN r.placed_gov ELSE 0 END), 0) AS placed_gov_ly,
       -- P5: this year's 自主就业 whose 30-day deadline has passed; on time = received by the deadline
       COALESCE(SUM(CASE WHEN r.cohort_year = :year THEN r.report_due ELSE 0 END), 0) AS report_due,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year THEN r.report_ontime ELSE 0 END), 0) AS report_ontime,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year AND r.day <= :p_d1 THEN r.report_due ELSE 0 END), 0) AS report_due_prev,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year AND r.day <= :p_d1 THEN r.report_ontime ELSE 0 END), 0) AS report_ontime_prev,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year - 1 AND r.day <= :y_d1 THEN r.report_due ELSE 0 END), 0) AS report_due_ly,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year - 1 AND r.day <= :y_d1 THEN r.report_ontime ELSE 0 END), 0) AS report_ontime_ly,
       -- P6: this year's newly discharged (by the period end) and how many took the adaptive training
       COALESCE(SUM(CASE WHEN r.cohort_year = :year THEN r.discharged ELSE 0 END), 0) AS discharged,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year THEN r.trained ELSE 0 END), 0) AS trained,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year AND r.day <= :p_d1 THEN r.discharged ELSE 0 END), 0) AS discharged_prev,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year AND r.day <= :p_d1 THEN r.trained ELSE 0 END), 0) AS trained_prev,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year - 1 AND r.day <= :y_d1 THEN r.discharged ELSE 0 END), 0) AS discharged_ly,
       COALESCE(SUM(CASE WHEN r.cohort_year = :year - 1 AND r.day <= :y_d1 THEN r.trained ELSE 0 END), 0) AS trained_ly
FROM region g
LEFT JOIN roll_placement_day r
  ON r.region_code = g.code
 AND r.cohort_year BETWEEN :year - 2 AND :year
 AND r.day <= :d1
WHERE g.code IN (SELECT k.code FROM region k WHERE k.code = :region
                 UNION ALL
                 SELECT k.code FROM region k WHERE k.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code, g.code_hi
ORDER BY g.code
