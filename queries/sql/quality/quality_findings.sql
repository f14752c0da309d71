-- name: quality_findings
-- The data-quality findings (roll_quality, rebuilt by refresh) inside a region's subtree and the viewer's
-- scope, with the county's name (NULL when the code is not in the region tree).
SELECT q.check_kind, q.source, q.place_code, g.name AS place_name, q.cases, q.example_id, q.worst
FROM roll_quality q
LEFT JOIN region g ON g.code = q.place_code
WHERE q.place_code BETWEEN :region_lo AND :region_hi
  AND q.place_code BETWEEN :scope_lo AND :scope_hi
ORDER BY q.place_code, q.check_kind, q.source
