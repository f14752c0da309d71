-- name: employment_weekly
-- "清零" progress: changes in the number of 待就业 per day for the campaign's cohorts (:year-1, whose
-- 待就业 at the start of the year are the baseline L_0, and :year, entering at discharge), for one region.
-- day = 0 carries the baseline (待就业 at the end of 31 Dec); other rows are +entries / −exits per day
-- from 1 Jan to :d1. The caller turns them into weekly levels (cumulative sum at each week's Sunday).
-- A status is recorded after discharge, so its effective_day is never before 1 Jan of its cohort
-- year: the lower bound only lets the (region_code, effective_day) index skip older cohorts' rows.
WITH st AS (
    SELECT s.cohort_year, s.status, s.effective_day AS d_from,
           LEAD(s.effective_day) OVER (PARTITION BY s.veteran_id ORDER BY s.effective_day, s.status_id) AS d_to
    FROM employment_status s
    WHERE s.cohort_year BETWEEN :year - 1 AND :year
      AND s.effective_day BETWEEN (:year - 1) * 10000 + 101 AND :d1
      AND s.region_code BETWEEN :scope_lo AND :scope_hi
      AND s.region_code BETWEEN :region_lo AND :region_hi
)
SELECT x.cohort_year, x.day, SUM(x.delta) AS delta
FROM (
    SELECT st.cohort_year, 0 AS day, 1 AS delta
    FROM st
    WHERE st.status = '待就业' AND st.d_from < :ytd0 AND (st.d_to IS NULL OR st.d_to >= :ytd0)
    UNION ALL
    SELECT st.cohort_year, st.d_from, 1
    FROM st
    WHERE st.status = '待就业' AND st.d_from >= :ytd0
    UNION ALL
    SELECT st.cohort_year, st.d_to, -1
    FROM st
    WHERE st.status = '待就业' AND st.d_to IS NOT NULL AND st.d_to >= :ytd0
) x
GROUP BY x.cohort_year, x.day
ORDER BY x.cohort_year, x.day
