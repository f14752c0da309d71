-- name: refresh_activity_day
-- :since_day (0 = all) limits it to the days `refresh --since` rebuilds.
INSERT INTO roll_activity_day (region_code, day, records, items, visits)
SELECT t.region_code, t.day, SUM(t.records), SUM(t.items), SUM(t.visits)
FROM (
    SELECT a.region_code AS region_code, a.day AS day, 1 AS records, a.items AS items, a.visits AS visits
    FROM station_activity a JOIN region g ON g.code = a.region_code
    WHERE g.level = :level AND a.day >= :since_day
    UNION ALL
    SELECT g.parent_code, r.day, r.records, r.items, r.visits
    FROM roll_activity_day r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.day >= :since_day
) t
GROUP BY t.region_code, t.day
