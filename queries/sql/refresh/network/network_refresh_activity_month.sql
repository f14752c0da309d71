-- name: network_refresh_activity_month
-- One level of roll_activity_month: records of regions at :level (up to the as-of date :asof), grouped by
-- region and month with their distinct stations, plus the rollup rows of their children (stations are
-- disjoint across children, so active_units adds up like the sums). :since_day / :since_month (0 = all)
-- limit it to the months `refresh --since` rebuilds.
INSERT INTO roll_activity_month (region_code, month, records, items, visits, active_units)
SELECT t.region_code, t.month, SUM(t.records), SUM(t.items), SUM(t.visits), SUM(t.active_units)
FROM (
    SELECT a.region_code AS region_code, (a.day - a.day % 100) / 100 AS month, COUNT(*) AS records,
           SUM(a.items) AS items, SUM(a.visits) AS visits, COUNT(DISTINCT a.unit_id) AS active_units
    FROM station_activity a JOIN region g ON g.code = a.region_code
    WHERE g.level = :level AND a.day <= :asof AND a.day >= :since_day
    GROUP BY a.region_code, (a.day - a.day % 100) / 100
    UNION ALL
    SELECT g.parent_code, r.month, r.records, r.items, r.visits, r.active_units
    FROM roll_activity_month r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.month >= :since_month
) t
GROUP BY t.region_code, t.month
