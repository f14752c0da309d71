-- name: placement_mix
-- Placements by cohort (year × 春季/秋季), mode and destination (destination only for 转业/安排工作),
-- cohorts :first_cohort .. :year, by receiving county (roll_placement_mix: a county and its ancestors).
-- Counts placements discharged by the period end.
SELECT r.cohort_year, r.cohort_season, r.mode, r.destination, SUM(r.placements) AS placements
FROM roll_placement_mix r
WHERE r.region_code = :region
  AND r.region_code BETWEEN :scope_lo AND :scope_hi
  AND r.cohort_year BETWEEN :first_cohort AND :year
  AND r.day <= :d1
GROUP BY r.cohort_year, r.cohort_season, r.mode, r.destination
ORDER BY r.cohort_year
