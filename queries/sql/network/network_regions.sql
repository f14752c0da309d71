-- name: network_regions
-- The region and its children inside the scope: the rows every per-child network table shows.
SELECT g.code AS region_code, g.level
FROM region g
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
ORDER BY g.code
