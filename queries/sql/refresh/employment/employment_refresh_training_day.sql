-- name: employment_refresh_training_day
-- One level of roll_training_day: trainings by the trainee's village (training.region_code), start day, kind.
-- :since_day (0 = all) limits it to the days `refresh --since` rebuilds.
INSERT INTO roll_training_day (region_code, day, kind, started)
SELECT t.region_code, t.day, t.kind, SUM(t.started)
FROM (
    SELECT r0.region_code AS region_code, r0.started_day AS day, r0.kind AS kind, 1 AS started
    FROM training r0 JOIN region g ON g.code = r0.region_code
    WHERE g.level = :level AND r0.started_day >= :since_day
    UNION ALL
    SELECT g.parent_code, r.day, r.kind, r.started
    FROM roll_training_day r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.day >= :since_day
) t
GROUP BY t.region_code, t.day, t.kind
