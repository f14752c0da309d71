-- name: placement_mix
-- Placements by cohort (year × 春季/秋季), mode and destination (destination only for 转业/安排工作),
-- cohorts :first_cohort .. :year, by receiving county. Counts placements discharged by the period end.
-- (cohort_year + 0: keeps SQLite on the (region_code, discharged_day) index; the cohort index would
-- read every county's placements of those years.)
SELECT p.cohort_year, p.cohort_season, p.mode, p.destination, COUNT(*) AS placements
FROM placement p
WHERE p.region_code BETWEEN :scope_lo AND :scope_hi
  AND p.region_code BETWEEN :region_lo AND :region_hi
  AND p.cohort_year + 0 BETWEEN :first_cohort AND :year
  AND p.discharged_day <= :d1
GROUP BY p.cohort_year, p.cohort_season, p.mode, p.destination
ORDER BY p.cohort_year
