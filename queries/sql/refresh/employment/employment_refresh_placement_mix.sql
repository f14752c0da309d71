-- name: employment_refresh_placement_mix
-- One level of roll_placement_mix: placements by receiving county (and up) × cohort × batch × mode ×
-- destination × discharge day (destination is empty except for 转业/安排工作; GROUP BY keeps NULL as a group).
-- :since_day (0 = all) limits it to the days `refresh --since` rebuilds (ix_placement_region's day range).
INSERT INTO roll_placement_mix (region_code, cohort_year, cohort_season, mode, destination, day, placements)
SELECT t.region_code, t.cohort_year, t.cohort_season, t.mode, t.destination, t.day, SUM(t.placements)
FROM (
    SELECT p.region_code AS region_code, p.cohort_year AS cohort_year, p.cohort_season AS cohort_season,
           p.mode AS mode, p.destination AS destination, p.discharged_day AS day, 1 AS placements
    FROM placement p JOIN region g ON g.code = p.region_code
    WHERE g.level = :level AND p.discharged_day >= :since_day
    UNION ALL
    SELECT g.parent_code, r.cohort_year, r.cohort_season, r.mode, r.destination, r.day, r.placements
    FROM roll_placement_mix r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.day >= :since_day
) t
GROUP BY t.region_code, t.cohort_year, t.cohort_season, t.mode, t.destination, t.day
