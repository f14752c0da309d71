-- name: employment_weekly
-- "清零" progress: changes in the number of 待就业 per day for the campaign's cohorts (:year-1, whose
-- 待就业 at the start of the year are the baseline L_0, and :year, entering at discharge), for one region.
-- day = 0 carries the baseline (待就业 at the end of 31 Dec: every change before :ytd0); other rows are the
-- net change of that day from 1 Jan to :d1 (roll_employment_day). The caller turns them into weekly levels
-- (cumulative sum at each week's Sunday).
SELECT x.cohort_year, x.day, SUM(x.delta) AS delta
FROM (
    SELECT r.cohort_year AS cohort_year, CASE WHEN r.day < :ytd0 THEN 0 ELSE r.day END AS day, r.delta AS delta
    FROM roll_employment_day r
    WHERE r.region_code = :region
      AND r.region_code BETWEEN :scope_lo AND :scope_hi
      AND r.cohort_year BETWEEN :year - 1 AND :year
      AND r.day <= :d1
      AND r.status = '待就业'
) x
GROUP BY x.cohort_year, x.day
ORDER BY x.cohort_year, x.day
