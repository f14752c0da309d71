-- name: network_activity
-- N8 办件量 / 走访慰问人次 / 服务记录数 (期间) for the region and each child, from roll_activity_day:
-- this period [:d0, :d1], the previous one and the same period last year.
SELECT g.code AS region_code,
       (SELECT SUM(x.items) FROM roll_activity_day x
         WHERE x.region_code = g.code AND x.day BETWEEN :d0 AND :d1) AS items,
       (SELECT SUM(x.items) FROM roll_activity_day x
         WHERE x.region_code = g.code AND x.day BETWEEN :p_d0 AND :p_d1) AS items_prev,
       (SELECT SUM(x.items) FROM roll_activity_day x
         WHERE x.region_code = g.code AND x.day BETWEEN :y_d0 AND :y_d1) AS items_ly,
       (SELECT SUM(x.visits) FROM roll_activity_day x
         WHERE x.region_code = g.code AND x.day BETWEEN :d0 AND :d1) AS visits,
       (SELECT SUM(x.visits) FROM roll_activity_day x
         WHERE x.region_code = g.code AND x.day BETWEEN :p_d0 AND :p_d1) AS visits_prev,
       (SELECT SUM(x.visits) FROM roll_activity_day x
         WHERE x.region_code = g.code AND x.day BETWEEN :y_d0 AND :y_d1) AS visits_ly,
       (SELECT SUM(x.records) FROM roll_activity_day x
         WHERE x.region_code = g.code AND x.day BETWEEN :d0 AND :d1) AS records
FROM (
    SELECT r.code FROM region r
    WHERE r.code = :region AND r.code BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT r.code FROM region r
    WHERE r.parent_code = :region AND r.code BETWEEN :scope_lo AND :scope_hi
) g
ORDER BY g.code
