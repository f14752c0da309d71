-- name: quality_orphan
-- 关联缺失: a payment whose beneficiary is not on the register, a placement / status / "311" / training
-- row or a beneficiary whose veteran does not exist, a service record whose station does not exist.
INSERT INTO roll_quality (check_kind, source, place_code, cases, example_id, worst)
SELECT 'orphan', x.source, COALESCE(g.code, x.region_code), SUM(x.cases), MIN(x.example_id), NULL
FROM (
    SELECT 'payment' AS source, p.region_code AS region_code, COUNT(*) AS cases, MIN(p.payment_id) AS example_id
    FROM payment p LEFT JOIN beneficiary b ON b.beneficiary_id = p.beneficiary_id
    WHERE b.beneficiary_id IS NULL GROUP BY p.region_code
    UNION ALL
    SELECT 'beneficiary', b.region_code, COUNT(*), MIN(b.beneficiary_id)
    FROM beneficiary b LEFT JOIN veteran v ON v.veteran_id = b.veteran_id
    WHERE b.veteran_id IS NOT NULL AND v.veteran_id IS NULL GROUP BY b.region_code
    UNION ALL
    SELECT 'placement', t.region_code, COUNT(*), MIN(t.placement_id)
    FROM placement t LEFT JOIN veteran v ON v.veteran_id = t.veteran_id
    WHERE v.veteran_id IS NULL GROUP BY t.region_code
    UNION ALL
    SELECT 'employment_status', t.region_code, COUNT(*), MIN(t.status_id)
    FROM employment_status t LEFT JOIN veteran v ON v.veteran_id = t.veteran_id
    WHERE v.veteran_id IS NULL GROUP BY t.region_code
    UNION ALL
    SELECT 'service_event', t.region_code, COUNT(*), MIN(t.event_id)
    FROM service_event t LEFT JOIN veteran v ON v.veteran_id = t.veteran_id
    WHERE v.veteran_id IS NULL GROUP BY t.region_code
    UNION ALL
    SELECT 'training', t.region_code, COUNT(*), MIN(t.training_id)
    FROM training t LEFT JOIN veteran v ON v.veteran_id = t.veteran_id
    WHERE v.veteran_id IS NULL GROUP BY t.region_code
    UNION ALL
    SELECT 'station_activity', a.region_code, COUNT(*), MIN(a.activity_id)
    FROM station_activity a LEFT JOIN service_unit s ON s.unit_id = a.unit_id
    WHERE s.unit_id IS NULL GROUP BY a.region_code
) x
LEFT JOIN region g ON g.level = 3 AND g.short_code = SUBSTR(x.region_code, 1, 6)
GROUP BY x.source, COALESCE(g.code, x.region_code)
