-- name: refresh_activity_day
INSERT INTO roll_activity_day (region_code, day, records, items, visits)
SELECT t.region_code, t.day, SUM(t.records), SUM(t.items), SUM(t.visits)
FROM (
    SELECT a.region_code AS region_code, a.day AS day, 1 AS records, a.items AS items, a.visits AS visits
    FROM station_activity a JOIN region g ON g.code = a.region_code
    WHERE g.level = :level
    UNION ALL
    SELECT g.parent_code, r.day, r.records, r.items, r.visits
    FROM roll_activity_day r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level
) t
GROUP BY t.region_code, t.day
