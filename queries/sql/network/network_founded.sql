-- name: network_founded
-- Centres/stations in the subtree by month of founding (up to :t_d1); the page sums them up
-- to "built at each month end", the denominator of the monthly active share.
SELECT (s.founded_day - s.founded_day % 100) / 100 AS month, COUNT(*) AS founded
FROM service_unit s
WHERE s.region_code BETWEEN :region_lo AND :region_hi
  AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
  AND s.founded_day <= :t_d1
GROUP BY (s.founded_day - s.founded_day % 100) / 100
ORDER BY month
