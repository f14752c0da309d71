-- name: network_idle_state
-- 挂牌未运行 on the end day :d1 from roll_unit_idle: the stations in a 未运行 gap on :d1 (built by :d1, no
-- service record in the 30 days to it), with the last record before the gap; same rows and order as
-- network_idle. ix_rui_to (idle_to > :d1) holds only the gaps still open on or after :d1, so the root
-- reads the stations idle since :d1, not every station (ix_rui_region serves a small region).
SELECT s.unit_id, s.name, s.level, s.region_code, s.founded_on, s.founded_day, i.last_day
FROM roll_unit_idle i
JOIN service_unit s ON s.unit_id = i.unit_id
WHERE i.idle_to > :d1
  AND i.idle_from <= :d1
  AND i.region_code BETWEEN :region_lo AND :region_hi
  AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
ORDER BY i.last_day, i.region_code, i.unit_id
LIMIT :max_rows
