-- name: quality_fresh
-- 数据新鲜度: per source table and county, the latest date loaded and the number of rows.
INSERT INTO roll_quality_fresh (source, place_code, latest_day, rows_total)
SELECT x.source, g.code, MAX(x.latest_day), SUM(x.n)
FROM (
    SELECT 'station_activity' AS source, t.region_code AS region_code, MAX(t.day) AS latest_day, COUNT(*) AS n
    FROM station_activity t GROUP BY t.region_code
    UNION ALL SELECT 'payment', t.region_code, MAX(t.paid_day), COUNT(*) FROM payment t GROUP BY t.region_code
    UNION ALL SELECT 'petition', t.region_code, MAX(t.received_day), COUNT(*) FROM petition t GROUP BY t.region_code
    UNION ALL SELECT 'service_event', t.region_code, MAX(t.day), COUNT(*) FROM service_event t GROUP BY t.region_code
    UNION ALL SELECT 'employment_status', t.region_code, MAX(t.effective_day), COUNT(*)
    FROM employment_status t GROUP BY t.region_code
    UNION ALL SELECT 'training', t.region_code, MAX(t.started_day), COUNT(*) FROM training t GROUP BY t.region_code
    UNION ALL SELECT 'placement', t.region_code, MAX(t.discharged_day), COUNT(*) FROM placement t GROUP BY t.region_code
    UNION ALL SELECT 'veteran', t.region_code, MAX(t.discharged_day), COUNT(*) FROM veteran t GROUP BY t.region_code
) x
JOIN region g ON g.level = 3 AND g.short_code = SUBSTR(x.region_code, 1, 6)
GROUP BY x.source, g.code
HAVING MAX(x.latest_day) IS NOT NULL
