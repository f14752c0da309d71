-- name: network_refresh_unit_idle
-- Once, after roll_unit_span: each centre/station's 未运行 gaps from its founding day on. A gap runs from
-- the founding day to the first span's start (or for ever if it never ran), and from each span's stop to
-- the next span's start (or for ever after the last one). A span stops 30 days after its last record,
-- so the record before a gap is the calendar day 30 day numbers before the span's stop.
INSERT INTO roll_unit_idle (unit_id, region_code, idle_from, idle_to, last_day)
SELECT s.unit_id, s.region_code, s.founded_day, COALESCE(MIN(p.start_day), 99991231), 0
FROM service_unit s
LEFT JOIN roll_unit_span p ON p.unit_id = s.unit_id
GROUP BY s.unit_id, s.region_code, s.founded_day
HAVING COALESCE(MIN(p.start_day), 99991231) > s.founded_day
UNION ALL
SELECT g.unit_id, g.region_code, g.stop_day, COALESCE(g.next_start, 99991231), c.day
FROM (
    SELECT p.unit_id, p.region_code, p.stop_day,
           LEAD(p.start_day) OVER (PARTITION BY p.unit_id ORDER BY p.start_day) AS next_start
    FROM roll_unit_span p
) g
JOIN roll_calendar k ON k.day = g.stop_day
JOIN roll_calendar c ON c.day_no = k.day_no - 30
WHERE g.stop_day <> 99991231
