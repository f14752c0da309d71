-- name: petitions_refresh_week
-- Once: petitions received per township (its subtree, from roll_petition_day) and ISO week (roll_calendar),
-- weeks without petitions left out. :since_week_day (0 = all), the Monday of the ISO week holding the since
-- month's 1st, limits it to the weeks `refresh --since` rebuilds: a week that straddles the month boundary
-- is rebuilt from its first day (a range of ix_rpd per township).
INSERT INTO roll_petition_week (region_code, week, received)
SELECT r.region_code, k.week, SUM(r.received)
FROM roll_petition_day r
JOIN region g ON g.code = r.region_code
JOIN roll_calendar k ON k.day = r.day
WHERE g.level = 4 AND r.received > 0 AND r.day >= :since_week_day
GROUP BY r.region_code, k.week
