-- name: employment_refresh_status_day
-- One level of roll_employment_day. Each status row of a region at :level adds +1 to its own
-- (region, cohort, status) on its effective_day; the row that follows it for the same veteran (LAG over
-- veteran_id ORDER BY effective_day, status_id: same-day rows in status_id order) adds −1 to it on the
-- follower's effective_day — keyed by THIS row's region, cohort and status, whatever the follower's are.
-- So SUM(delta) over day <= D counts each veteran once, by his latest row as at D (same day: the higher
-- status_id), in that row's region — the latest-status rule of overview_employment. Net-zero rows are
-- dropped (a same-status update, or one person in and one out on the same day). :since_day (0 = all) limits
-- it to the days `refresh --since` rebuilds: the LAG still reads each veteran's earlier rows (a −1 on a
-- day from then on may take back a row from before), only the rows it yields are cut.
INSERT INTO roll_employment_day (region_code, cohort_year, day, status, delta)
SELECT t.region_code, t.cohort_year, t.day, t.status, SUM(t.delta)
FROM (
    SELECT s.region_code AS region_code, s.cohort_year AS cohort_year, s.effective_day AS day,
           s.status AS status, 1 AS delta
    FROM employment_status s JOIN region g ON g.code = s.region_code
    WHERE g.level = :level AND s.effective_day >= :since_day
    UNION ALL
    SELECT c.prev_region, c.prev_cohort, c.day, c.prev_status, -1
    FROM (
        SELECT s.effective_day AS day,
               LAG(s.region_code) OVER (PARTITION BY s.veteran_id ORDER BY s.effective_day, s.status_id) AS prev_region,
               LAG(s.cohort_year) OVER (PARTITION BY s.veteran_id ORDER BY s.effective_day, s.status_id) AS prev_cohort,
               LAG(s.status) OVER (PARTITION BY s.veteran_id ORDER BY s.effective_day, s.status_id) AS prev_status
        FROM employment_status s
    ) c JOIN region g ON g.code = c.prev_region
    WHERE g.level = :level AND c.day >= :since_day
    UNION ALL
    SELECT g.parent_code, r.cohort_year, r.day, r.status, r.delta
    FROM roll_employment_day r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.day >= :since_day
) t
GROUP BY t.region_code, t.cohort_year, t.day, t.status
HAVING SUM(t.delta) <> 0
