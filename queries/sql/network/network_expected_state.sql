-- name: network_expected_state
-- network_expected from roll_network_expected: the rows of the region and its children (inside the scope).
-- No row (a database not refreshed since the rollup was added): the caller counts the region table.
SELECT r.region_code, r.expected_centre, r.expected_town, r.expected_village
FROM region g
JOIN roll_network_expected r ON r.region_code = g.code
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
ORDER BY r.region_code
