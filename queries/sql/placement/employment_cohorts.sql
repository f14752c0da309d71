-- name: employment_cohorts
-- E1 by discharge year ("是否在改善"): each 自主就业 cohort :first_cohort .. :year-1 by its latest status
-- as at the same calendar day of the year after its discharge year (:d1 shifted by whole years:
-- day key − 10000 per year), so every cohort is compared at the same age. Region subtree only.
-- A status is recorded after discharge, so its effective_day is never before 1 Jan of its cohort
-- year: the lower bound only lets the (region_code, effective_day) index skip older cohorts' rows.
WITH st AS (
    SELECT s.cohort_year, s.status, s.effective_day AS d_from,
           LEAD(s.effective_day) OVER (PARTITION BY s.veteran_id ORDER BY s.effective_day, s.status_id) AS d_to
    FROM employment_status s
    WHERE s.cohort_year BETWEEN :first_cohort AND :year - 1
      AND s.effective_day BETWEEN (:first_cohort) * 10000 + 101 AND :d1
      AND s.region_code BETWEEN :scope_lo AND :scope_hi
      AND s.region_code BETWEEN :region_lo AND :region_hi
),
aligned AS (
    SELECT st.cohort_year, st.status
    FROM st
    WHERE st.d_from <= :d1 - (:year - 1 - st.cohort_year) * 10000
      AND (st.d_to IS NULL OR st.d_to > :d1 - (:year - 1 - st.cohort_year) * 10000)
)
SELECT a.cohort_year,
       COUNT(*) AS cohort_size,
       SUM(CASE WHEN a.status IN ('城镇就业', '返乡务农', '创业') THEN 1 ELSE 0 END) AS employed,
       SUM(CASE WHEN a.status IN ('复学', '考试入学') THEN 1 ELSE 0 END) AS studying,
       SUM(CASE WHEN a.status = '待就业' THEN 1 ELSE 0 END) AS waiting
FROM aligned a
GROUP BY a.cohort_year
ORDER BY a.cohort_year
