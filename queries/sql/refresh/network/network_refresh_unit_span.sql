-- name: network_refresh_unit_span
-- Once: each centre/station's 运行 spans from its service records up to the as-of date (:asof). A record on
-- day r makes the station 运行 on r … r+29; records at most 30 days apart join one span (the running sum of
-- span starts numbers them); a span stops on its last record + 30 days (roll_calendar gives day numbers,
-- so no dialect date function). Spans start no earlier than the founding day (network_units counts only
-- stations built by the end day) and a stop after the as-of date is 99991231.
INSERT INTO roll_unit_span (unit_id, region_code, start_day, stop_day)
SELECT b.unit_id, s.region_code,
       CASE WHEN b.start_no >= f.day_no THEN b.start_day ELSE s.founded_day END,
       COALESCE(c.day, 99991231)
FROM (
    SELECT h.unit_id, h.span, MIN(h.day) AS start_day, MIN(h.day_no) AS start_no, MAX(h.day_no) AS end_no
    FROM (
        SELECT g.unit_id, g.day, g.day_no,
               SUM(g.is_start) OVER (PARTITION BY g.unit_id ORDER BY g.day_no
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS span
        FROM (
            SELECT a.unit_id, a.day, k.day_no,
                   CASE WHEN k.day_no - LAG(k.day_no) OVER (PARTITION BY a.unit_id ORDER BY k.day_no) <= 30
                        THEN 0 ELSE 1 END AS is_start
            FROM (SELECT DISTINCT unit_id, day FROM station_activity WHERE day <= :asof) a
            JOIN roll_calendar k ON k.day = a.day
        ) g
    ) h
    GROUP BY h.unit_id, h.span
) b
JOIN service_unit s ON s.unit_id = b.unit_id
JOIN roll_calendar f ON f.day = s.founded_day
LEFT JOIN roll_calendar c ON c.day_no = b.end_no + 30 AND c.day <= :asof
WHERE b.end_no + 30 > f.day_no
