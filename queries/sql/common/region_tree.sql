-- name: region_tree
-- Every region inside the scope (for breadcrumbs, names and drill validation).
SELECT g.code, g.short_code, g.name, g.level, g.parent_code, g.kind, g.is_functional
FROM region g
WHERE g.code BETWEEN :scope_lo AND :scope_hi
ORDER BY g.code
