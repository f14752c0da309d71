-- name: employment_refresh_placement_day
-- One level of roll_placement_day, by RECEIVING county (placement.region_code) and up. Each measure is
-- counted on its own day: received on received_day (P1); done on reported_day and placed / placed_gov /
-- placed_soe on placed_day for task placements (is_task; P2, P3); report_due / report_ontime on
-- report_deadline_day for 自主就业 (on time = received by the deadline; P5); discharged / trained on
-- discharged_day (P6). A state as at D = SUM over day <= D; a period = SUM over its days. :since_day (0 = all)
-- limits each branch to the days `refresh --since` rebuilds.
INSERT INTO roll_placement_day (region_code, cohort_year, day, received, done, placed, placed_gov, placed_soe,
                                report_due, report_ontime, discharged, trained)
SELECT t.region_code, t.cohort_year, t.day, SUM(t.received), SUM(t.done), SUM(t.placed), SUM(t.placed_gov),
       SUM(t.placed_soe), SUM(t.report_due), SUM(t.report_ontime), SUM(t.discharged), SUM(t.trained)
FROM (
    SELECT p.region_code AS region_code, p.cohort_year AS cohort_year, p.received_day AS day, 1 AS received,
           0 AS done, 0 AS placed, 0 AS placed_gov, 0 AS placed_soe, 0 AS report_due, 0 AS report_ontime,
           0 AS discharged, 0 AS trained
    FROM placement p JOIN region g ON g.code = p.region_code
    WHERE g.level = :level AND p.received_day IS NOT NULL AND p.received_day >= :since_day
    UNION ALL
    SELECT p.region_code, p.cohort_year, p.reported_day, 0, 1, 0, 0, 0, 0, 0, 0, 0
    FROM placement p JOIN region g ON g.code = p.region_code
    WHERE g.level = :level AND p.is_task AND p.reported_day IS NOT NULL AND p.reported_day >= :since_day
    UNION ALL
    SELECT p.region_code, p.cohort_year, p.placed_day, 0, 0, 1,
           CASE WHEN p.destination IN ('党政机关', '事业单位') THEN 1 ELSE 0 END,
           CASE WHEN p.destination IN ('央企', '地方国企') THEN 1 ELSE 0 END, 0, 0, 0, 0
    FROM placement p JOIN region g ON g.code = p.region_code
    WHERE g.level = :level AND p.is_task AND p.placed_day IS NOT NULL AND p.placed_day >= :since_day
    UNION ALL
    SELECT p.region_code, p.cohort_year, p.report_deadline_day, 0, 0, 0, 0, 0, 1,
           CASE WHEN p.received_day IS NOT NULL AND p.received_day <= p.report_deadline_day THEN 1 ELSE 0 END, 0, 0
    FROM placement p JOIN region g ON g.code = p.region_code
    WHERE g.level = :level AND p.mode = '自主就业' AND p.report_deadline_day >= :since_day
    UNION ALL
    SELECT p.region_code, p.cohort_year, p.discharged_day, 0, 0, 0, 0, 0, 0, 0, 1,
           CASE WHEN p.trained THEN 1 ELSE 0 END
    FROM placement p JOIN region g ON g.code = p.region_code
    WHERE g.level = :level AND p.discharged_day >= :since_day
    UNION ALL
    SELECT g.parent_code, r.cohort_year, r.day, r.received, r.done, r.placed, r.placed_gov, r.placed_soe,
           r.report_due, r.report_ontime, r.discharged, r.trained
    FROM roll_placement_day r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.day >= :since_day
) t
GROUP BY t.region_code, t.cohort_year, t.day
