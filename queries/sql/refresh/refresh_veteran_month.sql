-- name: refresh_veteran_month
-- Stock at month M = SUM(discharged) - SUM(died) over months <= M. :since_day / :since_month (0 = all) limit
-- it to the months `refresh --since` rebuilds (a discharge or death on or after the since month's 1st).
INSERT INTO roll_veteran_month (region_code, month, discharged, died)
SELECT t.region_code, t.month, SUM(t.discharged), SUM(t.died)
FROM (
    SELECT v.region_code AS region_code, (v.discharged_day - v.discharged_day % 100) / 100 AS month, 1 AS discharged, 0 AS died
    FROM veteran v JOIN region g ON g.code = v.region_code
    WHERE g.level = :level AND v.discharged_day >= :since_day
    UNION ALL
    SELECT v.region_code, (v.died_day - v.died_day % 100) / 100, 0, 1
    FROM veteran v JOIN region g ON g.code = v.region_code
    WHERE g.level = :level AND v.died_day IS NOT NULL AND v.died_day >= :since_day
    UNION ALL
    SELECT g.parent_code, r.month, r.discharged, r.died
    FROM roll_veteran_month r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.month >= :since_month
) t
GROUP BY t.region_code, t.month
