-- name: employment_refresh_flags_day
-- One level of roll_veteran_flags_day. A flagged veteran is alive on day D when discharged_day <= D and
-- not died by D: +1 on the discharge day, −1 on the death day (a death recorded before the discharge is
-- taken on the discharge day, so such a veteran never counts — as in employment_bing's old condition).
-- zhishu_villages: per region code with veterans (a village), the running count n of living 兵支书;
-- +1 on the day n becomes positive, −1 on the day it drops to 0. Every region node gets a day-0 row with
-- villages = 1 for a 村(社区), so SUM(villages) is the number of villages in the subtree.
INSERT INTO roll_veteran_flags_day (region_code, day, laoban, zhishu, zhishu_villages, villages)
SELECT t.region_code, t.day, SUM(t.laoban), SUM(t.zhishu), SUM(t.zhishu_villages), SUM(t.villages)
FROM (
    SELECT g.code AS region_code, 0 AS day, 0 AS laoban, 0 AS zhishu, 0 AS zhishu_villages,
           CASE WHEN g.level = 5 THEN 1 ELSE 0 END AS villages
    FROM region g
    WHERE g.level = :level
    UNION ALL
    SELECT w.region_code, w.day, w.laoban, w.zhishu,
           CASE WHEN w.n > 0 THEN 1 ELSE 0 END - CASE WHEN w.n - w.zhishu > 0 THEN 1 ELSE 0 END, 0
    FROM (
        SELECT d.region_code AS region_code, d.day AS day, d.laoban AS laoban, d.zhishu AS zhishu,
               SUM(d.zhishu) OVER (PARTITION BY d.region_code ORDER BY d.day) AS n
        FROM (
            SELECT f.region_code AS region_code, f.day AS day, SUM(f.laoban) AS laoban, SUM(f.zhishu) AS zhishu
            FROM (
                SELECT v.region_code AS region_code, v.discharged_day AS day,
                       CASE WHEN v.is_bing_laoban THEN 1 ELSE 0 END AS laoban,
                       CASE WHEN v.is_bing_zhishu THEN 1 ELSE 0 END AS zhishu
                FROM veteran v JOIN region g ON g.code = v.region_code
                WHERE g.level = :level AND (v.is_bing_laoban OR v.is_bing_zhishu)
                UNION ALL
                SELECT v.region_code,
                       CASE WHEN v.died_day > v.discharged_day THEN v.died_day ELSE v.discharged_day END,
                       CASE WHEN v.is_bing_laoban THEN -1 ELSE 0 END,
                       CASE WHEN v.is_bing_zhishu THEN -1 ELSE 0 END
                FROM veteran v JOIN region g ON g.code = v.region_code
                WHERE g.level = :level AND (v.is_bing_laoban OR v.is_bing_zhishu) AND v.died_day IS NOT NULL
            ) f
            GROUP BY f.region_code, f.day
        ) d
    ) w
    UNION ALL
    SELECT g.parent_code, r.day, r.laoban, r.zhishu, r.zhishu_villages, r.villages
    FROM roll_veteran_flags_day r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level
) t
GROUP BY t.region_code, t.day
