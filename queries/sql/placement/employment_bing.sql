-- name: employment_bing
-- E9 兵老板 (时点) and E10 兵支书占比 (时点) for the region and its children, as at :asof_day:
-- living veterans (discharged by then, not died by then) flagged 兵老板 / 兵支书; a 兵支书 serves the
-- village he lives in, so villages_with_zhishu = villages with a living 兵支书; villages = 村(社区)
-- in the subtree. Summed per village first (one pass over the region's veterans; there is no rollup
-- of these flags, so at province level this reads every veteran row).
SELECT g.code AS region_code,
       (SELECT COUNT(*) FROM region d
         WHERE d.code BETWEEN g.code AND g.code_hi AND d.level = 5) AS villages,
       COALESCE(SUM(x.laoban), 0) AS bing_laoban, COALESCE(SUM(x.zhishu), 0) AS bing_zhishu,
       SUM(CASE WHEN x.zhishu > 0 THEN 1 ELSE 0 END) AS villages_with_zhishu
FROM region g
LEFT JOIN (
    SELECT v.region_code,
           SUM(CASE WHEN v.is_bing_laoban THEN 1 ELSE 0 END) AS laoban,
           SUM(CASE WHEN v.is_bing_zhishu THEN 1 ELSE 0 END) AS zhishu
    FROM veteran v
    WHERE v.region_code BETWEEN :scope_lo AND :scope_hi
      AND v.region_code BETWEEN :region_lo AND :region_hi
      AND (v.is_bing_laoban OR v.is_bing_zhishu)
      AND v.discharged_day <= :asof_day
      AND (v.died_day IS NULL OR v.died_day > :asof_day)
    GROUP BY v.region_code
) x ON x.region_code BETWEEN g.code AND g.code_hi
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code, g.code_hi
ORDER BY g.code
