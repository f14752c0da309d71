-- name: network_founded_state
-- network_founded from roll_network_delta: the region's days on which stations were founded (built > 0, up
-- to :t_d1), summed by month — the region's change days, not its stations. No row: the caller reads
-- service_unit (a database not refreshed since the rollup was added, or no station at all).
SELECT (r.day - r.day % 100) / 100 AS month, SUM(r.built) AS founded
FROM roll_network_delta r
WHERE r.region_code = :region
  AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
  AND r.day <= :t_d1 AND r.built > 0
GROUP BY (r.day - r.day % 100) / 100
ORDER BY month
