-- name: placement_summary_residence
-- P1, P5, P6 for the region and its children BELOW county level, by the veteran's RESIDENCE
-- (veteran.region_code, a village): the receiving county's placements joined to their veterans.
-- :county is the county the region lies in. P2 and P3 are county-level only (按县统计), not here.
-- (cohort_year + 0: keeps SQLite on the (region_code, discharged_day) index; the cohort index would
-- read every county's placements of those years.)
WITH p AS (
    SELECT v.region_code AS home_code, pl.cohort_year, pl.mode, pl.discharged_day,
           pl.report_deadline_day, pl.received_day, pl.trained
    FROM placement pl
    JOIN veteran v ON v.veteran_id = pl.veteran_id
    WHERE pl.region_code = :county
      AND pl.cohort_year + 0 BETWEEN :year - 2 AND :year
      AND v.region_code BETWEEN :scope_lo AND :scope_hi
      AND v.region_code BETWEEN :region_lo AND :region_hi
),
per_village AS (
    SELECT p.home_code,
           -- P1: received (报到登记) within the period
           SUM(CASE WHEN p.received_day BETWEEN :d0 AND :d1 THEN 1 ELSE 0 END) AS received,
           SUM(CASE WHEN p.received_day BETWEEN :p_d0 AND :p_d1 THEN 1 ELSE 0 END) AS received_prev,
           SUM(CASE WHEN p.received_day BETWEEN :y_d0 AND :y_d1 THEN 1 ELSE 0 END) AS received_ly,
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
    FROM p
    GROUP BY p.home_code
)
SELECT g.code AS region_code,
       COALESCE(SUM(u.received), 0) AS received,
       COALESCE(SUM(u.received_prev), 0) AS received_prev,
       COALESCE(SUM(u.received_ly), 0) AS received_ly,
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
LEFT JOIN per_village u ON u.home_code BETWEEN g.code AND g.code_hi
WHERE g.code IN (SELECT k.code FROM region k WHERE k.code = :region
                 UNION ALL
                 SELECT k.code FROM region k WHERE k.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code, g.code_hi
ORDER BY g.code
