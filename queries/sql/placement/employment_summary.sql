-- name: employment_summary
-- E1 就业率 and E2 待就业 / 清零 for the region and its children, from roll_employment_day (status changes per
-- region × cohort × day × status; "count as at day E" = SUM(delta) over day <= E). A veteran counts by his
-- latest status row as at E (same day: the higher status_id), in that row's village (docs/indicators/placement.md).
--   E1 (MVA form): cohort :year-1 as at :d1; _prev as at :p_d1; _ly = cohort :year-2 as at :y_d1.
--   E2 L_t = cohort :year-1 待就业 as at :d1; L_0 = the same cohort's 待就业 at the start of the year
--   (end of 31 Dec: day < :ytd0); new_* = this year's cohort :year as at :d1
--   (new_waiting_prev as at :p_d1; new_waiting_ly = cohort :year-1 as at :y_d1, last year's "new").
-- One index range per region (cohorts :year-2 .. :year, day <= :d1; :p_d1, :y_d1, :ytd0 - 1 are <= :d1),
-- summed per region × cohort × status at each day first (few rows), then spread into the columns.
WITH c AS (
    SELECT g.code AS region_code, r.cohort_year, r.status,
           SUM(r.delta) AS at_d1,
           SUM(CASE WHEN r.day <= :p_d1 THEN r.delta ELSE 0 END) AS at_p_d1,
           SUM(CASE WHEN r.day <= :y_d1 THEN r.delta ELSE 0 END) AS at_y_d1,
           SUM(CASE WHEN r.day < :ytd0 THEN r.delta ELSE 0 END) AS at_start,
           SUM(CASE WHEN r.day < :ytd0 - 10000 THEN r.delta ELSE 0 END) AS at_start_ly
    FROM region g
    JOIN roll_employment_day r
      ON r.region_code = g.code
     AND r.cohort_year BETWEEN :year - 2 AND :year
     AND r.day <= :d1
    WHERE g.code IN (SELECT k.code FROM region k WHERE k.code = :region
                     UNION ALL
                     SELECT k.code FROM region k WHERE k.parent_code = :region)
      AND g.code BETWEEN :scope_lo AND :scope_hi
    GROUP BY g.code, r.cohort_year, r.status
)
SELECT g.code AS region_code,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 1 THEN c.at_d1 ELSE 0 END), 0) AS cohort_size,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 1
                          AND c.status IN ('城镇就业', '返乡务农', '创业') THEN c.at_d1 ELSE 0 END), 0) AS employed,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 1
                          AND c.status IN ('复学', '考试入学') THEN c.at_d1 ELSE 0 END), 0) AS studying,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 1 AND c.status = '待就业' THEN c.at_d1 ELSE 0 END), 0) AS waiting,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 1 THEN c.at_p_d1 ELSE 0 END), 0) AS cohort_size_prev,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 1
                          AND c.status IN ('城镇就业', '返乡务农', '创业') THEN c.at_p_d1 ELSE 0 END), 0) AS employed_prev,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 1
                          AND c.status IN ('复学', '考试入学') THEN c.at_p_d1 ELSE 0 END), 0) AS studying_prev,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 1 AND c.status = '待就业' THEN c.at_p_d1 ELSE 0 END), 0) AS waiting_prev,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 2 THEN c.at_y_d1 ELSE 0 END), 0) AS cohort_size_ly,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 2
                          AND c.status IN ('城镇就业', '返乡务农', '创业') THEN c.at_y_d1 ELSE 0 END), 0) AS employed_ly,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 2
                          AND c.status IN ('复学', '考试入学') THEN c.at_y_d1 ELSE 0 END), 0) AS studying_ly,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 2 AND c.status = '待就业' THEN c.at_y_d1 ELSE 0 END), 0) AS waiting_ly,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 1 AND c.status = '待就业' THEN c.at_start ELSE 0 END), 0) AS waiting_start,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 2 AND c.status = '待就业' THEN c.at_start_ly ELSE 0 END), 0) AS waiting_start_ly,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year THEN c.at_d1 ELSE 0 END), 0) AS new_size,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year AND c.status = '待就业' THEN c.at_d1 ELSE 0 END), 0) AS new_waiting,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year AND c.status = '待就业' THEN c.at_p_d1 ELSE 0 END), 0) AS new_waiting_prev,
       COALESCE(SUM(CASE WHEN c.cohort_year = :year - 1 AND c.status = '待就业' THEN c.at_y_d1 ELSE 0 END), 0) AS new_waiting_ly
FROM region g
LEFT JOIN c ON c.region_code = g.code
WHERE g.code IN (SELECT k.code FROM region k WHERE k.code = :region
                 UNION ALL
                 SELECT k.code FROM region k WHERE k.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code
ORDER BY g.code
