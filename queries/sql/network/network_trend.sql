-- name: network_trend
-- Monthly N8 for one region over [:t_d0, :t_d1]: 办件量, 走访人次, 记录数. Whole months [:rm0, :rm1] from
-- roll_activity_month (≤ 36 rows); the last month's days [:rd0, :rd1] from roll_activity_day only when it
-- is cut before the as-of date (a past week; (1, 0) otherwise). queries.network.split_months splits.
SELECT t.month, SUM(t.items) AS items, SUM(t.visits) AS visits, SUM(t.records) AS records
FROM (
    SELECT r.month AS month, r.items AS items, r.visits AS visits, r.records AS records
    FROM roll_activity_month r
    WHERE r.region_code = :region
      AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
      AND r.month BETWEEN :rm0 AND :rm1
    UNION ALL
    SELECT (r.day - r.day % 100) / 100, r.items, r.visits, r.records
    FROM roll_activity_day r
    WHERE r.region_code = :region
      AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
      AND r.day BETWEEN :rd0 AND :rd1
) t
GROUP BY t.month
ORDER BY t.month
