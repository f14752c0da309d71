-- name: placement_summary
-- P1 接收安置人数 (期间), P2 安置完成率 (年累计), P3 机关事业单位占比 (年累计), P5 按期报到率 (年累计),
-- P6 适应性培训参训率 (年累计) for the region and its children, by RECEIVING county (placement.region_code).
-- Only meaningful for regions at county level or above (a township's row would count nothing).
-- One pass over the placements of cohorts :year-2 .. :year (a receipt in a period up to a year back
-- belongs to one of them), summed per receiving county first and then per region; the yearly task
-- comes from placement_task (county rows).
-- (cohort_year + 0: keeps SQLite on the (region_code, discharged_day) index; the cohort index would
-- read every county's placements of those years.)
WITH per_county AS (
    SELECT p.region_code,
           -- P1: received (报到登记) within the period
           SUM(CASE WHEN p.received_day BETWEEN :d0 AND :d1 THEN 1 ELSE 0 END) AS received,
           SUM(CASE WHEN p.received_day BETWEEN :p_d0 AND :p_d1 THEN 1 ELSE 0 END) AS received_prev,
           SUM(CASE WHEN p.received_day BETWEEN :y_d0 AND :y_d1 THEN 1 ELSE 0 END) AS received_ly,
           -- P2: this year's task placements placed and reported at their post by the period end
           SUM(CASE WHEN p.is_task AND p.cohort_year = :year AND p.reported_day <= :d1 THEN 1 ELSE 0 END) AS done,
           SUM(CASE WHEN p.is_task AND p.cohort_year = :year AND p.reported_day <= :p_d1 THEN 1 ELSE 0 END) AS done_prev,
           SUM(CASE WHEN p.is_task AND p.cohort_year = :year - 1 AND p.reported_day <= :y_d1 THEN 1 ELSE 0 END) AS done_ly,
           -- P3: of this year's task placements with a post by the period end, 党政机关 + 事业单位 / 国企
           SUM(CASE WHEN p.is_task AND p.cohort_year = :year AND p.placed_day <= :d1 THEN 1 ELSE 0 END) AS placed,
           SUM(CASE WHEN p.is_task AND p.cohort_year = :year AND p.placed_day <= :d1
                     AND p.destination IN ('党政机关', '事业单位') THEN 1 ELSE 0 END) AS placed_gov,
           SUM(CASE WHEN p.is_task AND p.cohort_year = :year AND p.placed_day <= :d1
                     AND p.destination IN ('央企', '地方国企') THEN 1 ELSE 0 END) AS placed_soe,
           SUM(CASE WHEN p.is_task AND p.cohort_year = :year AND p.placed_day <= :p_d1 THEN 1 ELSE 0 END) AS placed_prev,
           SUM(CASE WHEN p.is_task AND p.cohort_year = :year AND p.placed_day <= :p_d1
                     AND p.destination IN ('党政机关', '事业单位') THEN 1 ELSE 0 END) AS placed_gov_prev,
           SUM(CASE WHEN p.is_task AND p.cohort_year = :year - 1 AND p.placed_day <= :y_d1 THEN 1 ELSE 0 END) AS placed_ly,
           SUM(CASE WHEN p.is_task AND p.cohort_year = :year - 1 AND p.placed_day <= :y_d1
                     AND p.destination IN ('党政机关', '事业单位') THEN 1 ELSE 0 END) AS placed_gov_ly,
           -- P5: this year's 自主就业 whose 30-day deadline has passed; on time = received by the deadline
           SUM(CASE WHEN p.mode = '自主就业' AND p.cohort_year = :year AND p.report_deadline_day <= :d1
                    THEN 1 ELSE 0 END) AS report_due,
           SUM(CASE WHEN p.mode = '自主就业' AND p.cohort_year = :year AND p.report_deadline_day <= :d1
                     AND p.received_day <= p.report_deadline_day THEN 1 ELSE 0 END) AS report_ontime,
           SUM(CASE WHEN p.mode = '自主就业' AND p.cohort_year = :year AND p.report_deadline_day <= :p_d1
                    THEN 1 ELSE 0 END) AS report_due_prev,
           SUM(CASE WHEN p.mode = '自主就业' AND p.cohort_year = :year AND p.report_deadline_day <= :p_d1
                     AND p.received_day <= p.report_deadline_day THEN 1 ELSE 0 END) AS report_ontime_prev,
           SUM(CASE WHEN p.mode = '自主就业' AND p.cohort_year = :year - 1 AND p.report_deadline_day <= :y_d1
                    THEN 1 ELSE 0 END) AS report_due_ly,
           SUM(CASE WHEN p.mode = '自主就业' AND p.cohort_year = :year - 1 AND p.report_deadline_day <= :y_d1
                     AND p.received_day <= p.report_deadline_day THEN 1 ELSE 0 END) AS report_ontime_ly,
           -- P6: this year's newly discharged (by the period end) and how many took the adaptive training
           SUM(CASE WHEN p.cohort_year = :year AND p.discharged_day <= :d1 THEN 1 ELSE 0 END) AS discharged,
           SUM(CASE WHEN p.cohort_year = :year AND p.discharged_day <= :d1 AND p.trained THEN 1 ELSE 0 END) AS trained,
           SUM(CASE WHEN p.cohort_year = :year AND p.discharged_day <= :p_d1 THEN 1 ELSE 0 END) AS discharged_prev,
           SUM(CASE WHEN p.cohort_year = :year AND p.discharged_day <= :p_d1 AND p.trained THEN 1 ELSE 0 END) AS trained_prev,
           SUM(CASE WHEN p.cohort_year = :year - 1 AND p.discharged_day <= :y_d1 THEN 1 ELSE 0 END) AS discharged_ly,
           SUM(CASE WHEN p.cohort_year = :year - 1 AND p.discharged_day <= :y_d1 AND p.trained THEN 1 ELSE 0 END) AS trained_ly
    FROM placement p
    WHERE p.region_code BETWEEN :scope_lo AND :scope_hi
      AND p.region_code BETWEEN :region_lo AND :region_hi
      AND p.cohort_year + 0 BETWEEN :year - 2 AND :year
    GROUP BY p.region_code
)
SELECT g.code AS region_code,
       (SELECT SUM(t.task) FROM placement_task t
         WHERE t.region_code BETWEEN g.code AND g.code_hi AND t.year = :year) AS task,
       (SELECT SUM(t.task) FROM placement_task t
         WHERE t.region_code BETWEEN g.code AND g.code_hi AND t.year = :year - 1) AS task_ly,
       COALESCE(SUM(u.received), 0) AS received,
       COALESCE(SUM(u.received_prev), 0) AS received_prev,
       COALESCE(SUM(u.received_ly), 0) AS received_ly,
       COALESCE(SUM(u.done), 0) AS done,
       COALESCE(SUM(u.done_prev), 0) AS done_prev,
       COALESCE(SUM(u.done_ly), 0) AS done_ly,
       COALESCE(SUM(u.placed), 0) AS placed,
       COALESCE(SUM(u.placed_gov), 0) AS placed_gov,
       COALESCE(SUM(u.placed_soe), 0) AS placed_soe,
       COALESCE(SUM(u.placed_prev), 0) AS placed_prev,
       COALESCE(SUM(u.placed_gov_prev), 0) AS placed_gov_prev,
       COALESCE(SUM(u.placed_ly), 0) AS placed_ly,
       COALESCE(SUM(u.placed_gov_ly), 0) AS placed_gov_ly,
       COALESCE(SUM(u.report_due), 0) AS report_due,
       COALESCE(SUM(u.report_ontime), 0) AS report_ontime,
       COALESCE(SUM(u.report_due_prev), 0) AS report_due_prev,
       COALESCE(SUM(u.report_ontime_prev), 0) AS report_ontime_prev,
       COALESCE(SUM(u.report_due_ly), 0) AS report_due_ly,
       COALESCE(SUM(u.report_ontime_ly), 0) AS report_ontime_ly,
       COALESCE(SUM(u.discharged), 0) AS discharged,
       COALESCE(SUM(u.trained), 0) AS trained,
       COALESCE(SUM(u.discharged_prev), 0) AS discharged_prev,
       COALESCE(SUM(u.trained_prev), 0) AS trained_prev,
       COALESCE(SUM(u.discharged_ly), 0) AS discharged_ly,
       COALESCE(SUM(u.trained_ly), 0) AS trained_ly
FROM region g
LEFT JOIN per_county u ON u.region_code BETWEEN g.code AND g.code_hi
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code, g.code_hi
ORDER BY g.code
