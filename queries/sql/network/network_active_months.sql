-- name: network_active_months
-- Stations in the subtree with at least one service record, per month over [:t_d0, :t_d1]
-- (numerator of the monthly active share). Walks the subtree's stations and their records on
-- ix_activity_unit_day (covering), so the cost grows with the subtree's records: see docs.
SELECT (a.day - a.day % 100) / 100 AS month, COUNT(DISTINCT a.unit_id) AS active_units
FROM service_unit s
JOIN station_activity a ON a.unit_id = s.unit_id AND a.day BETWEEN :t_d0 AND :t_d1
WHERE s.region_code BETWEEN :region_lo AND :region_hi
  AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
GROUP BY (a.day - a.day % 100) / 100
ORDER BY month
