-- name: employment_cohorts
-- E1 by discharge year ("是否在改善"): each 自主就业 cohort :first_cohort .. :year-1 by its latest status
-- as at the same calendar day of the year after its discharge year (:d1 shifted by whole years:
-- day key − 10000 per year), so every cohort is compared at the same age. The region itself only; cohorts
-- without anyone as at that day are left out. From roll_employment_day (count as at E = SUM(delta), day <= E).
SELECT r.cohort_year,
       SUM(r.delta) AS cohort_size,
       SUM(CASE WHEN r.status IN ('城镇就业', '返乡务农', '创业') THEN r.delta ELSE 0 END) AS employed,
       SUM(CASE WHEN r.status IN ('复学', '考试入学') THEN r.delta ELSE 0 END) AS studying,
       SUM(CASE WHEN r.status = '待就业' THEN r.delta ELSE 0 END) AS waiting
FROM roll_employment_day r
WHERE r.region_code = :region
  AND r.region_code BETWEEN :scope_lo AND :scope_hi
  AND r.cohort_year BETWEEN :first_cohort AND :year - 1
  AND r.day <= :d1 - (:year - 1 - r.cohort_year) * 10000
GROUP BY r.cohort_year
HAVING SUM(r.delta) > 0
ORDER BY r.cohort_year
