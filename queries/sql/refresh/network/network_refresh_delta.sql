-- name: network_refresh_delta
-- One level of roll_network_delta: for regions at :level, the change of each network_units count per day —
-- a station's founding day adds it with its current attributes (as network_units counts them; founded up
-- to :asof), a 运行 span (roll_unit_span) adds 1 to active on its start and takes it off on its stop (up
-- to :asof) — plus the children's rows (stations are disjoint across children, so counts add up).
INSERT INTO roll_network_delta (region_code, day, built, built_centre, built_town, built_village, has_institution, has_quota, has_personnel, has_funding, has_safeguards, five_ok, model_national, model_province, model_city, model_county, model_total, benchmark, model_or_benchmark, red, yibu_yizhan, staff_full, staff_part, staff_certified, objects_village, objects_town, active)
SELECT t.region_code, t.day, SUM(t.built), SUM(t.built_centre), SUM(t.built_town), SUM(t.built_village), SUM(t.has_institution), SUM(t.has_quota), SUM(t.has_personnel), SUM(t.has_funding), SUM(t.has_safeguards), SUM(t.five_ok), SUM(t.model_national), SUM(t.model_province), SUM(t.model_city), SUM(t.model_county), SUM(t.model_total), SUM(t.benchmark), SUM(t.model_or_benchmark), SUM(t.red), SUM(t.yibu_yizhan), SUM(t.staff_full), SUM(t.staff_part), SUM(t.staff_certified), SUM(t.objects_village), SUM(t.objects_town), SUM(t.active)
FROM (
    SELECT s.region_code AS region_code, s.founded_day AS day,
           1 AS built,
           CASE WHEN s.level <= 3 THEN 1 ELSE 0 END AS built_centre,
           CASE WHEN s.level = 4 THEN 1 ELSE 0 END AS built_town,
           CASE WHEN s.level = 5 THEN 1 ELSE 0 END AS built_village,
           CASE WHEN s.has_institution THEN 1 ELSE 0 END AS has_institution,
           CASE WHEN s.has_quota THEN 1 ELSE 0 END AS has_quota,
           CASE WHEN s.has_personnel THEN 1 ELSE 0 END AS has_personnel,
           CASE WHEN s.has_funding THEN 1 ELSE 0 END AS has_funding,
           CASE WHEN s.has_safeguards THEN 1 ELSE 0 END AS has_safeguards,
           CASE WHEN s.has_institution AND s.has_quota AND s.has_personnel
                     AND s.has_funding AND s.has_safeguards THEN 1 ELSE 0 END AS five_ok,
           CASE WHEN s.is_model AND s.model_grade = '国家级' THEN 1 ELSE 0 END AS model_national,
           CASE WHEN s.is_model AND s.model_grade = '省级' THEN 1 ELSE 0 END AS model_province,
           CASE WHEN s.is_model AND s.model_grade = '市级' THEN 1 ELSE 0 END AS model_city,
           CASE WHEN s.is_model AND s.model_grade = '县级' THEN 1 ELSE 0 END AS model_county,
           CASE WHEN s.is_model THEN 1 ELSE 0 END AS model_total,
           CASE WHEN s.is_benchmark THEN 1 ELSE 0 END AS benchmark,
           CASE WHEN s.is_model OR s.is_benchmark THEN 1 ELSE 0 END AS model_or_benchmark,
           CASE WHEN s.is_red THEN 1 ELSE 0 END AS red,
           CASE WHEN s.level = 4 AND s.yibu_yizhan THEN 1 ELSE 0 END AS yibu_yizhan,
           s.staff_full AS staff_full,
           s.staff_part AS staff_part,
           s.staff_certified AS staff_certified,
           CASE WHEN s.level = 5 THEN s.service_objects ELSE 0 END AS objects_village,
           CASE WHEN s.level = 4 THEN s.service_objects ELSE 0 END AS objects_town,
           0 AS active
    FROM service_unit s JOIN region g ON g.code = s.region_code
    WHERE g.level = :level AND s.founded_day <= :asof
    UNION ALL
    SELECT u.region_code, u.start_day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
    FROM roll_unit_span u JOIN region g ON g.code = u.region_code
    WHERE g.level = :level
    UNION ALL
    SELECT u.region_code, u.stop_day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1
    FROM roll_unit_span u JOIN region g ON g.code = u.region_code
    WHERE g.level = :level AND u.stop_day <= :asof
    UNION ALL
    SELECT g.parent_code, r.day, r.built, r.built_centre, r.built_town, r.built_village, r.has_institution, r.has_quota, r.has_personnel, r.has_funding, r.has_safeguards, r.five_ok, r.model_national, r.model_province, r.model_city, r.model_county, r.model_total, r.benchmark, r.model_or_benchmark, r.red, r.yibu_yizhan, r.staff_full, r.staff_part, r.staff_certified, r.objects_village, r.objects_town, r.active
    FROM roll_network_delta r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level
) t
GROUP BY t.region_code, t.day
