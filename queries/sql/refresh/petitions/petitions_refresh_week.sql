-- name: petitions_refresh_week
-- Once: petitions received per township (its subtree, from roll_petition_day) and ISO week (roll_calendar),
-- weeks without petitions left out.
INSERT INTO roll_petition_week (region_code, week, received)
SELECT r.region_code, k.week, SUM(r.received)
FROM roll_petition_day r
JOIN region g ON g.code = r.region_code
JOIN roll_calendar k ON k.day = r.day
WHERE g.level = 4 AND r.received > 0
GROUP BY r.region_code, k.week
