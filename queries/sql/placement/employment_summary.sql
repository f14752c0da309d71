-- name: employment_summary
-- E1 就业率 and E2 待就业 / 清零 for the region and its children, from the 一人一档 status history.
-- Each status row is valid from its effective_day until the veteran's next row (LEAD); a row's status
-- holds "as at day E" when d_from <= E < d_to. Rows after the period end are ignored, so d_to IS NULL
-- means "current at :d1". Same-day rows: the higher status_id wins (as in overview_employment).
--   E1 (MVA form): cohort :year-1 as at :d1; _prev as at :p_d1; _ly = cohort :year-2 as at :y_d1.
--   E2 L_t = cohort :year-1 待就业 as at :d1; L_0 = the same cohort's 待就业 at the start of the year
--   (end of 31 Dec, i.e. d_from < :ytd0 <= d_to); new_* = this year's cohort :year as at :d1
--   (new_waiting_prev as at :p_d1; new_waiting_ly = cohort :year-1 as at :y_d1, last year's "new").
-- A status is recorded after discharge, so its effective_day is never before 1 Jan of its cohort
-- year: the lower bound only lets the (region_code, effective_day) index skip older cohorts' rows.
WITH st AS (
    SELECT s.region_code, s.cohort_year, s.status, s.effective_day AS d_from,
           LEAD(s.effective_day) OVER (PARTITION BY s.veteran_id ORDER BY s.effective_day, s.status_id) AS d_to
    FROM employment_status s
    WHERE s.cohort_year BETWEEN :year - 2 AND :year
      AND s.effective_day BETWEEN (:year - 2) * 10000 + 101 AND :d1
      AND s.region_code BETWEEN :scope_lo AND :scope_hi
      AND s.region_code BETWEEN :region_lo AND :region_hi
),
-- one row per village first, then summed per region (a single pass over the statuses)
per_village AS (
    SELECT st.region_code,
           SUM(CASE WHEN st.cohort_year = :year - 1 AND st.d_to IS NULL THEN 1 ELSE 0 END) AS cohort_size,
           SUM(CASE WHEN st.cohort_year = :year - 1 AND st.d_to IS NULL
                     AND st.status IN ('城镇就业', '返乡务农', '创业') THEN 1 ELSE 0 END) AS employed,
           SUM(CASE WHEN st.cohort_year = :year - 1 AND st.d_to IS NULL
                     AND st.status IN ('复学', '考试入学') THEN 1 ELSE 0 END) AS studying,
           SUM(CASE WHEN st.cohort_year = :year - 1 AND st.d_to IS NULL
                     AND st.status = '待就业' THEN 1 ELSE 0 END) AS waiting,
           SUM(CASE WHEN st.cohort_year = :year - 1 AND st.d_from <= :p_d1
                     AND (st.d_to IS NULL OR st.d_to > :p_d1) THEN 1 ELSE 0 END) AS cohort_size_prev,
           SUM(CASE WHEN st.cohort_year = :year - 1 AND st.d_from <= :p_d1 AND (st.d_to IS NULL OR st.d_to > :p_d1)
                     AND st.status IN ('城镇就业', '返乡务农', '创业') THEN 1 ELSE 0 END) AS employed_prev,
           SUM(CASE WHEN st.cohort_year = :year - 1 AND st.d_from <= :p_d1 AND (st.d_to IS NULL OR st.d_to > :p_d1)
                     AND st.status IN ('复学', '考试入学') THEN 1 ELSE 0 END) AS studying_prev,
           SUM(CASE WHEN st.cohort_year = :year - 1 AND st.d_from <= :p_d1 AND (st.d_to IS NULL OR st.d_to > :p_d1)
                     AND st.status = '待就业' THEN 1 ELSE 0 END) AS waiting_prev,
           SUM(CASE WHEN st.cohort_year = :year - 2 AND st.d_from <= :y_d1
                     AND (st.d_to IS NULL OR st.d_to > :y_d1) THEN 1 ELSE 0 END) AS cohort_size_ly,
           SUM(CASE WHEN st.cohort_year = :year - 2 AND st.d_from <= :y_d1 AND (st.d_to IS NULL OR st.d_to > :y_d1)
                     AND st.status IN ('城镇就业', '返乡务农', '创业') THEN 1 ELSE 0 END) AS employed_ly,
           SUM(CASE WHEN st.cohort_year = :year - 2 AND st.d_from <= :y_d1 AND (st.d_to IS NULL OR st.d_to > :y_d1)
                     AND st.status IN ('复学', '考试入学') THEN 1 ELSE 0 END) AS studying_ly,
           SUM(CASE WHEN st.cohort_year = :year - 2 AND st.d_from <= :y_d1 AND (st.d_to IS NULL OR st.d_to > :y_d1)
                     AND st.status = '待就业' THEN 1 ELSE 0 END) AS waiting_ly,
           SUM(CASE WHEN st.cohort_year = :year - 1 AND st.status = '待就业' AND st.d_from < :ytd0
                     AND (st.d_to IS NULL OR st.d_to >= :ytd0) THEN 1 ELSE 0 END) AS waiting_start,
           SUM(CASE WHEN st.cohort_year = :year - 2 AND st.status = '待就业' AND st.d_from < :ytd0 - 10000
                     AND (st.d_to IS NULL OR st.d_to >= :ytd0 - 10000) THEN 1 ELSE 0 END) AS waiting_start_ly,
           SUM(CASE WHEN st.cohort_year = :year AND st.d_to IS NULL THEN 1 ELSE 0 END) AS new_size,
           SUM(CASE WHEN st.cohort_year = :year AND st.d_to IS NULL
                     AND st.status = '待就业' THEN 1 ELSE 0 END) AS new_waiting,
           SUM(CASE WHEN st.cohort_year = :year AND st.status = '待就业' AND st.d_from <= :p_d1
                     AND (st.d_to IS NULL OR st.d_to > :p_d1) THEN 1 ELSE 0 END) AS new_waiting_prev,
           SUM(CASE WHEN st.cohort_year = :year - 1 AND st.status = '待就业' AND st.d_from <= :y_d1
                     AND (st.d_to IS NULL OR st.d_to > :y_d1) THEN 1 ELSE 0 END) AS new_waiting_ly
    FROM st
    GROUP BY st.region_code
)
SELECT g.code AS region_code,
       COALESCE(SUM(u.cohort_size), 0) AS cohort_size,
       COALESCE(SUM(u.employed), 0) AS employed,
       COALESCE(SUM(u.studying), 0) AS studying,
       COALESCE(SUM(u.waiting), 0) AS waiting,
       COALESCE(SUM(u.cohort_size_prev), 0) AS cohort_size_prev,
       COALESCE(SUM(u.employed_prev), 0) AS employed_prev,
       COALESCE(SUM(u.studying_prev), 0) AS studying_prev,
       COALESCE(SUM(u.waiting_prev), 0) AS waiting_prev,
       COALESCE(SUM(u.cohort_size_ly), 0) AS cohort_size_ly,
       COALESCE(SUM(u.employed_ly), 0) AS employed_ly,
       COALESCE(SUM(u.studying_ly), 0) AS studying_ly,
       COALESCE(SUM(u.waiting_ly), 0) AS waiting_ly,
       COALESCE(SUM(u.waiting_start), 0) AS waiting_start,
       COALESCE(SUM(u.waiting_start_ly), 0) AS waiting_start_ly,
       COALESCE(SUM(u.new_size), 0) AS new_size,
       COALESCE(SUM(u.new_waiting), 0) AS new_waiting,
       COALESCE(SUM(u.new_waiting_prev), 0) AS new_waiting_prev,
       COALESCE(SUM(u.new_waiting_ly), 0) AS new_waiting_ly
FROM region g
LEFT JOIN per_village u ON u.region_code BETWEEN g.code AND g.code_hi
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code
ORDER BY g.code
