-- name: quality_future
-- 日期晚于数据截至日期: something that happened (founded, served, discharged, died, paid, received,
-- accepted, closed, started, effective) dated after the refresh's as-of day :asof. Deadlines may lie ahead.
INSERT INTO roll_quality (check_kind, source, place_code, cases, example_id, worst)
SELECT 'future', x.source, COALESCE(g.code, x.region_code), SUM(x.cases), MIN(x.example_id), NULL
FROM (
    SELECT 'service_unit' AS source, t.region_code AS region_code, COUNT(*) AS cases, MIN(t.unit_id) AS example_id
    FROM service_unit t WHERE t.founded_day > :asof GROUP BY t.region_code
    UNION ALL SELECT 'station_activity', t.region_code, COUNT(*), MIN(t.activity_id)
    FROM station_activity t WHERE t.day > :asof GROUP BY t.region_code
    UNION ALL SELECT 'veteran', t.region_code, COUNT(*), MIN(t.veteran_id)
    FROM veteran t WHERE t.discharged_day > :asof OR t.died_day > :asof GROUP BY t.region_code
    UNION ALL SELECT 'beneficiary', t.region_code, COUNT(*), MIN(t.beneficiary_id)
    FROM beneficiary t WHERE t.died_day > :asof GROUP BY t.region_code
    UNION ALL SELECT 'placement', t.region_code, COUNT(*), MIN(t.placement_id)
    FROM placement t WHERE t.discharged_day > :asof OR t.received_day > :asof OR t.placed_day > :asof
                        OR t.reported_day > :asof GROUP BY t.region_code
    UNION ALL SELECT 'employment_status', t.region_code, COUNT(*), MIN(t.status_id)
    FROM employment_status t WHERE t.effective_day > :asof GROUP BY t.region_code
    UNION ALL SELECT 'service_event', t.region_code, COUNT(*), MIN(t.event_id)
    FROM service_event t WHERE t.day > :asof GROUP BY t.region_code
    UNION ALL SELECT 'training', t.region_code, COUNT(*), MIN(t.training_id)
    FROM training t WHERE t.started_day > :asof GROUP BY t.region_code
    UNION ALL SELECT 'payment', t.region_code, COUNT(*), MIN(t.payment_id)
    FROM payment t WHERE t.paid_day > :asof GROUP BY t.region_code
    UNION ALL SELECT 'petition', t.region_code, COUNT(*), MIN(t.petition_id)
    FROM petition t WHERE t.received_day > :asof OR t.accepted_day > :asof OR t.closed_day > :asof
    GROUP BY t.region_code
) x
LEFT JOIN region g ON g.level = 3 AND g.short_code = SUBSTR(x.region_code, 1, 6)
GROUP BY x.source, COALESCE(g.code, x.region_code)
