-- name: network_trend
-- Monthly N8 for one region over [:t_d0, :t_d1] from roll_activity_day: 办件量, 走访人次, 记录数.
SELECT (r.day - r.day % 100) / 100 AS month,
       SUM(r.items) AS items, SUM(r.visits) AS visits, SUM(r.records) AS records
FROM roll_activity_day r
WHERE r.region_code = :region
  AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
  AND r.day BETWEEN :t_d0 AND :t_d1
GROUP BY (r.day - r.day % 100) / 100
ORDER BY month
