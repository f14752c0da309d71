-- name: quality_freshness
-- Latest date loaded per source table and county (roll_quality_fresh) inside a region's subtree and the
-- viewer's scope.
SELECT f.place_code, g.name AS place_name, f.source, f.latest_day, f.rows_total
FROM roll_quality_fresh f
JOIN region g ON g.code = f.place_code
WHERE f.place_code BETWEEN :region_lo AND :region_hi
  AND f.place_code BETWEEN :scope_lo AND :scope_hi
ORDER BY f.place_code, f.source
