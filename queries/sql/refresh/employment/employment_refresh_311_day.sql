-- name: employment_refresh_311_day
-- One level of roll_311_day from roll_311_person (regions at :level) plus the children's rows: each
-- person-year adds served +1 on the discharge day and ref_ok / guide_ok / info_ok / all_ok +1 on the day
-- the threshold is reached (m = 1..5 picks the measure; unreached thresholds have no day and add nothing).
-- roll_311_person is rebuilt whole before it; :since_day (0 = all) limits this to the days `refresh --since`
-- rebuilds.
INSERT INTO roll_311_day (region_code, year, day, served, ref_ok, guide_ok, info_ok, all_ok)
SELECT t.region_code, t.year, t.day, SUM(t.served), SUM(t.ref_ok), SUM(t.guide_ok), SUM(t.info_ok), SUM(t.all_ok)
FROM (
    SELECT u.region_code AS region_code, u.year AS year, u.day AS day, u.served AS served, u.ref_ok AS ref_ok,
           u.guide_ok AS guide_ok, u.info_ok AS info_ok, u.all_ok AS all_ok
    FROM (
        SELECT s.region_code AS region_code, s.year AS year,
               CASE m.m WHEN 1 THEN s.discharged_day WHEN 2 THEN s.ref_ok_day WHEN 3 THEN s.guide_ok_day
                        WHEN 4 THEN s.info_ok_day ELSE s.all_ok_day END AS day,
               CASE WHEN m.m = 1 THEN 1 ELSE 0 END AS served,
               CASE WHEN m.m = 2 THEN 1 ELSE 0 END AS ref_ok,
               CASE WHEN m.m = 3 THEN 1 ELSE 0 END AS guide_ok,
               CASE WHEN m.m = 4 THEN 1 ELSE 0 END AS info_ok,
               CASE WHEN m.m = 5 THEN 1 ELSE 0 END AS all_ok
        FROM roll_311_person s
        JOIN region g ON g.code = s.region_code
        CROSS JOIN (SELECT 1 AS m UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) m
        WHERE g.level = :level
    ) u
    WHERE u.day IS NOT NULL AND u.day >= :since_day
    UNION ALL
    SELECT g.parent_code, r.year, r.day, r.served, r.ref_ok, r.guide_ok, r.info_ok, r.all_ok
    FROM roll_311_day r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.day >= :since_day
) t
GROUP BY t.region_code, t.year, t.day
