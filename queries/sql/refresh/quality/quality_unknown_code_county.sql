-- name: quality_unknown_code_county
-- 区划代码不存在 in the county tables (budget, placement_task), which have no row id.
INSERT INTO roll_quality (check_kind, source, place_code, cases, example_id, worst)
SELECT 'unknown_code', x.source, x.region_code, SUM(x.cases), NULL, NULL
FROM (
    SELECT 'budget' AS source, t.region_code AS region_code, COUNT(*) AS cases FROM budget t GROUP BY t.region_code
    UNION ALL SELECT 'placement_task', t.region_code, COUNT(*) FROM placement_task t GROUP BY t.region_code
) x
LEFT JOIN region r ON r.code = x.region_code
WHERE r.code IS NULL
GROUP BY x.source, x.region_code
