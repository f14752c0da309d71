-- name: network_refresh_unit_last
-- Once: each centre/station's last service record day up to the as-of date (:asof), 0 if none — one
-- backward seek on ix_activity_unit_day per station (ORDER BY … DESC LIMIT 1, as in network_units).
INSERT INTO roll_unit_last (unit_id, region_code, last_day)
SELECT s.unit_id, s.region_code,
       COALESCE((SELECT a.day FROM station_activity a
                  WHERE a.unit_id = s.unit_id AND a.day <= :asof
                  ORDER BY a.day DESC LIMIT 1), 0)
FROM service_unit s
