-- name: network_units
-- N1–N7 and 运行率 per child of the region, over the centres/stations built by :d1. A station's
-- child is the first :child_len digits of its code (codes are prefix-structured); the region's own
-- centre/station falls in the prefix of the region itself. network_units() adds the region's total.
-- 运行: at least one service record in the 30 days to the end day ([:a30, :d1]; previous period
-- [:p_a30, :p_d1], last year [:y_a30, :y_d1]): the station's last record up to each end day is read
-- backwards on ix_activity_unit_day (ORDER BY … DESC LIMIT 1: one seek on all three databases); when
-- :d1 is the data's as-of date (:last_asof, the default view) the current one is roll_unit_last.last_day
-- instead (a primary-key join: a hash join on PostgreSQL rather than one SubPlan per station).
-- 五有, grades and staff are the stations' current attributes (no history is stored).
SELECT u.child AS child,
       COUNT(*) AS built,
       SUM(CASE WHEN u.founded_day <= :p_d1 THEN 1 ELSE 0 END) AS built_prev,
       SUM(CASE WHEN u.founded_day <= :y_d1 THEN 1 ELSE 0 END) AS built_ly,
       SUM(CASE WHEN u.level <= 3 THEN 1 ELSE 0 END) AS built_centre,
       SUM(CASE WHEN u.level = 4 THEN 1 ELSE 0 END) AS built_town,
       SUM(CASE WHEN u.level = 4 AND u.founded_day <= :p_d1 THEN 1 ELSE 0 END) AS built_town_prev,
       SUM(CASE WHEN u.level = 4 AND u.founded_day <= :y_d1 THEN 1 ELSE 0 END) AS built_town_ly,
       SUM(CASE WHEN u.level = 5 THEN 1 ELSE 0 END) AS built_village,
       SUM(CASE WHEN u.level = 5 AND u.founded_day <= :p_d1 THEN 1 ELSE 0 END) AS built_village_prev,
       SUM(CASE WHEN u.level = 5 AND u.founded_day <= :y_d1 THEN 1 ELSE 0 END) AS built_village_ly,
       SUM(CASE WHEN u.has_institution THEN 1 ELSE 0 END) AS has_institution,
       SUM(CASE WHEN u.has_quota THEN 1 ELSE 0 END) AS has_quota,
       SUM(CASE WHEN u.has_personnel THEN 1 ELSE 0 END) AS has_personnel,
       SUM(CASE WHEN u.has_funding THEN 1 ELSE 0 END) AS has_funding,
       SUM(CASE WHEN u.has_safeguards THEN 1 ELSE 0 END) AS has_safeguards,
       SUM(CASE WHEN u.has_institution AND u.has_quota AND u.has_personnel
                     AND u.has_funding AND u.has_safeguards THEN 1 ELSE 0 END) AS five_ok,
       SUM(CASE WHEN u.is_model AND u.model_grade = '国家级' THEN 1 ELSE 0 END) AS model_national,
       SUM(CASE WHEN u.is_model AND u.model_grade = '省级' THEN 1 ELSE 0 END) AS model_province,
       SUM(CASE WHEN u.is_model AND u.model_grade = '市级' THEN 1 ELSE 0 END) AS model_city,
       SUM(CASE WHEN u.is_model AND u.model_grade = '县级' THEN 1 ELSE 0 END) AS model_county,
       SUM(CASE WHEN u.is_model THEN 1 ELSE 0 END) AS model_total,
       SUM(CASE WHEN u.is_benchmark THEN 1 ELSE 0 END) AS benchmark,
       SUM(CASE WHEN u.is_model OR u.is_benchmark THEN 1 ELSE 0 END) AS model_or_benchmark,
       SUM(CASE WHEN u.is_red THEN 1 ELSE 0 END) AS red,
       SUM(CASE WHEN u.level = 4 AND u.yibu_yizhan THEN 1 ELSE 0 END) AS yibu_yizhan,
       SUM(u.staff_full) AS staff_full,
       SUM(u.staff_part) AS staff_part,
       SUM(u.staff_certified) AS staff_certified,
       SUM(CASE WHEN u.level = 5 THEN u.service_objects ELSE 0 END) AS objects_village,
       SUM(CASE WHEN u.level = 4 THEN u.service_objects ELSE 0 END) AS objects_town,
       SUM(CASE WHEN u.last_day >= :a30 THEN 1 ELSE 0 END) AS active,
       SUM(CASE WHEN u.last_prev >= :p_a30 THEN 1 ELSE 0 END) AS active_prev,
       SUM(CASE WHEN u.last_ly >= :y_a30 THEN 1 ELSE 0 END) AS active_ly
FROM (
    SELECT SUBSTR(s.region_code, 1, :child_len) AS child, s.unit_id, s.level, s.founded_day,
           s.has_institution, s.has_quota, s.has_personnel, s.has_funding, s.has_safeguards,
           s.is_model, s.model_grade, s.is_benchmark, s.is_red, s.yibu_yizhan,
           s.staff_full, s.staff_part, s.staff_certified, s.service_objects,
           CASE WHEN :d1 = :last_asof THEN l.last_day ELSE
               (SELECT a.day FROM station_activity a
                 WHERE a.unit_id = s.unit_id AND a.day <= :d1
                 ORDER BY a.day DESC LIMIT 1) END AS last_day,
           CASE WHEN s.founded_day <= :p_d1 THEN
               (SELECT a.day FROM station_activity a
                 WHERE a.unit_id = s.unit_id AND a.day <= :p_d1
                 ORDER BY a.day DESC LIMIT 1) END AS last_prev,
           CASE WHEN s.founded_day <= :y_d1 THEN
               (SELECT a.day FROM station_activity a
                 WHERE a.unit_id = s.unit_id AND a.day <= :y_d1
                 ORDER BY a.day DESC LIMIT 1) END AS last_ly
    FROM service_unit s
    LEFT JOIN roll_unit_last l ON l.unit_id = s.unit_id
    WHERE s.region_code BETWEEN :region_lo AND :region_hi
      AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
      AND s.founded_day <= :d1
) u
GROUP BY u.child
ORDER BY u.child
