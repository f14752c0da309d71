-- name: network_idle_asof
-- 挂牌未运行 when the end day :d1 is the data's as-of date (the default view): the same rows as
-- network_idle, read from roll_unit_last (each station's last record up to the as-of date, 0 = never)
-- through ix_rul_last (last_day, region_code): only the idle stations are read, already in list order.
SELECT s.unit_id, s.name, s.level, s.region_code, s.founded_on, s.founded_day, l.last_day
FROM roll_unit_last l
JOIN service_unit s ON s.unit_id = l.unit_id
WHERE l.last_day < :a30
  AND l.region_code BETWEEN :region_lo AND :region_hi
  AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
  AND s.founded_day <= :d1
ORDER BY l.last_day, l.region_code, l.unit_id
LIMIT :max_rows
