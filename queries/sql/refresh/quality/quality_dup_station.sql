-- name: quality_dup_station
-- 重复服务站: two or more centres/stations for the same region and level (coverage would pass 100 %);
-- cases = the stations involved, example = the highest unit id.
INSERT INTO roll_quality (check_kind, source, place_code, cases, example_id, worst)
SELECT 'dup_station', 'service_unit', COALESCE(g.code, x.region_code), SUM(x.cases), MIN(x.example_id), NULL
FROM (
    SELECT s.region_code AS region_code, COUNT(*) AS cases, MAX(s.unit_id) AS example_id
    FROM service_unit s
    GROUP BY s.region_code, s.level
    HAVING COUNT(*) > 1
) x
LEFT JOIN region g ON g.level = 3 AND g.short_code = SUBSTR(x.region_code, 1, 6)
GROUP BY COALESCE(g.code, x.region_code)
