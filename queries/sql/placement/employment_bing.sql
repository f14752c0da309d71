-- name: employment_bing
-- E9 兵老板 (时点) and E10 兵支书占比 (时点) for the region and its children, as at :asof_day, from
-- roll_veteran_flags_day (changes per region × day; as at D = SUM over day <= D): living veterans
-- (discharged by then, not died by then) flagged 兵老板 / 兵支书; a 兵支书 serves the village he lives in, so
-- villages_with_zhishu = villages with a living 兵支书; villages = 村(社区) in the subtree (the day-0 row).
SELECT g.code AS region_code,
       COALESCE(SUM(r.villages), 0) AS villages,
       COALESCE(SUM(r.laoban), 0) AS bing_laoban,
       COALESCE(SUM(r.zhishu), 0) AS bing_zhishu,
       COALESCE(SUM(r.zhishu_villages), 0) AS villages_with_zhishu
FROM region g
LEFT JOIN roll_veteran_flags_day r
  ON r.region_code = g.code
 AND r.day <= :asof_day
WHERE g.code IN (SELECT k.code FROM region k WHERE k.code = :region
                 UNION ALL
                 SELECT k.code FROM region k WHERE k.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code
ORDER BY g.code
