-- name: network_idle
-- 挂牌未运行: centres/stations in the subtree built by :d1 whose last service record up to :d1
-- (last_day, 0 = never) falls before :a30, i.e. none in the 30 days [:a30, :d1]. Never-active first,
-- then the longest idle. Capped at :max_rows; the total is network_units' built - active.
-- last_day: one backward seek on ix_activity_unit_day per station (ORDER BY … DESC LIMIT 1).
SELECT u.unit_id, u.name, u.level, u.region_code, u.founded_on, u.founded_day, u.last_day
FROM (
    SELECT s.unit_id, s.name, s.level, s.region_code, s.founded_on, s.founded_day,
           COALESCE((SELECT a.day FROM station_activity a
                      WHERE a.unit_id = s.unit_id AND a.day <= :d1
                      ORDER BY a.day DESC LIMIT 1), 0) AS last_day
    FROM service_unit s
    WHERE s.region_code BETWEEN :region_lo AND :region_hi
      AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
      AND s.founded_day <= :d1
) u
WHERE u.last_day < :a30
ORDER BY u.last_day, u.region_code, u.unit_id
LIMIT :max_rows
