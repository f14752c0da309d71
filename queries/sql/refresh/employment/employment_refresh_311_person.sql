-- name: employment_refresh_311_person
-- Once: each 自主就业 placement × service year Y (the discharge year and the next, by discharged_day),
-- where the veteran lives, and the day in Y on which he reaches 3 × 岗位推荐, 1 × 职业指导, 1 × 技能培训信息
-- and all three — counting all of the veteran's service_event rows of year Y, and never before his
-- discharge (a day before discharge is moved to the discharge day). Empty when not reached.
-- Year of a day key: (day - day % 10000) / 10000 (MariaDB's "/" gives a decimal; the column is an integer).
INSERT INTO roll_311_person (veteran_id, region_code, year, discharged_day,
                             ref_ok_day, guide_ok_day, info_ok_day, all_ok_day)
SELECT q.veteran_id, q.region_code, q.year, q.discharged_day, q.ref_ok_day, q.guide_ok_day, q.info_ok_day,
       CASE WHEN q.ref_ok_day IS NULL OR q.guide_ok_day IS NULL OR q.info_ok_day IS NULL THEN NULL
            WHEN q.ref_ok_day >= q.guide_ok_day AND q.ref_ok_day >= q.info_ok_day THEN q.ref_ok_day
            WHEN q.guide_ok_day >= q.info_ok_day THEN q.guide_ok_day
            ELSE q.info_ok_day END
FROM (
    SELECT p.veteran_id AS veteran_id, v.region_code AS region_code, p.dy + k.k AS year,
           p.discharged_day AS discharged_day,
           CASE WHEN ev.ref_day > p.discharged_day THEN ev.ref_day
                WHEN ev.ref_day IS NOT NULL THEN p.discharged_day END AS ref_ok_day,
           CASE WHEN ev.guide_day > p.discharged_day THEN ev.guide_day
                WHEN ev.guide_day IS NOT NULL THEN p.discharged_day END AS guide_ok_day,
           CASE WHEN ev.info_day > p.discharged_day THEN ev.info_day
                WHEN ev.info_day IS NOT NULL THEN p.discharged_day END AS info_ok_day
    FROM (
        SELECT pl.veteran_id AS veteran_id, pl.discharged_day AS discharged_day,
               (pl.discharged_day - pl.discharged_day % 10000) / 10000 AS dy
        FROM placement pl
        WHERE pl.mode = '自主就业'
    ) p
    JOIN veteran v ON v.veteran_id = p.veteran_id
    CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1) k
    LEFT JOIN (
        SELECT x.veteran_id AS veteran_id, x.yr AS yr,
               MIN(CASE WHEN x.kind = '岗位推荐' AND x.rn = 3 THEN x.day END) AS ref_day,
               MIN(CASE WHEN x.kind = '职业指导' THEN x.day END) AS guide_day,
               MIN(CASE WHEN x.kind = '技能培训信息' THEN x.day END) AS info_day
        FROM (
            SELECT e.veteran_id AS veteran_id, e.kind AS kind, e.day AS day, e.yr AS yr,
                   ROW_NUMBER() OVER (PARTITION BY e.veteran_id, e.yr, e.kind ORDER BY e.day, e.event_id) AS rn
            FROM (
                SELECT se.veteran_id AS veteran_id, se.kind AS kind, se.day AS day, se.event_id AS event_id,
                       (se.day - se.day % 10000) / 10000 AS yr
                FROM service_event se
                WHERE se.kind IN ('岗位推荐', '职业指导', '技能培训信息')
            ) e
        ) x
        GROUP BY x.veteran_id, x.yr
    ) ev ON ev.veteran_id = p.veteran_id AND ev.yr = p.dy + k.k
) q
