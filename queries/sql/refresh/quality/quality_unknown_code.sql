-- name: quality_unknown_code
-- 区划代码不存在: rows whose region_code is not in the region tree (they vanish from every rollup);
-- counted under their county when that exists, else under the code itself.
INSERT INTO roll_quality (check_kind, source, place_code, cases, example_id, worst)
SELECT 'unknown_code', x.source, COALESCE(g.code, x.region_code), SUM(x.cases), MIN(x.example_id), NULL
FROM (
    SELECT 'service_unit' AS source, t.region_code AS region_code, COUNT(*) AS cases, MIN(t.unit_id) AS example_id
    FROM service_unit t GROUP BY t.region_code
    UNION ALL SELECT 'station_activity', t.region_code, COUNT(*), MIN(t.activity_id) FROM station_activity t GROUP BY t.region_code
    UNION ALL SELECT 'veteran', t.region_code, COUNT(*), MIN(t.veteran_id) FROM veteran t GROUP BY t.region_code
    UNION ALL SELECT 'beneficiary', t.region_code, COUNT(*), MIN(t.beneficiary_id) FROM beneficiary t GROUP BY t.region_code
    UNION ALL SELECT 'placement', t.region_code, COUNT(*), MIN(t.placement_id) FROM placement t GROUP BY t.region_code
    UNION ALL SELECT 'employment_status', t.region_code, COUNT(*), MIN(t.status_id) FROM employment_status t GROUP BY t.region_code
    UNION ALL SELECT 'service_event', t.region_code, COUNT(*), MIN(t.event_id) FROM service_event t GROUP BY t.region_code
    UNION ALL SELECT 'training', t.region_code, COUNT(*), MIN(t.training_id) FROM training t GROUP BY t.region_code
    UNION ALL SELECT 'payment', t.region_code, COUNT(*), MIN(t.payment_id) FROM payment t GROUP BY t.region_code
    UNION ALL SELECT 'petition', t.region_code, COUNT(*), MIN(t.petition_id) FROM petition t GROUP BY t.region_code
) x
LEFT JOIN region r ON r.code = x.region_code
LEFT JOIN region g ON g.level = 3 AND g.short_code = SUBSTR(x.region_code, 1, 6)
WHERE r.code IS NULL
GROUP BY x.source, COALESCE(g.code, x.region_code)
