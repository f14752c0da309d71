-- name: network_refresh_state
-- Once: roll_network_state = the running sums of roll_network_delta per region, i.e. each count as of that
-- day (the page reads the last row on or before its end day).
INSERT INTO roll_network_state (region_code, day, built, built_centre, built_town, built_village, has_institution, has_quota, has_personnel, has_funding, has_safeguards, five_ok, model_national, model_province, model_city, model_county, model_total, benchmark, model_or_benchmark, red, yibu_yizhan, staff_full, staff_part, staff_certified, objects_village, objects_town, active)
SELECT r.region_code, r.day,
       SUM(r.built) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.built_centre) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.built_town) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.built_village) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.has_institution) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.has_quota) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.has_personnel) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.has_funding) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.has_safeguards) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.five_ok) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.model_national) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.model_province) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.model_city) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.model_county) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.model_total) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.benchmark) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.model_or_benchmark) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.red) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.yibu_yizhan) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.staff_full) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.staff_part) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.staff_certified) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.objects_village) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.objects_town) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.active) OVER (PARTITION BY r.region_code ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
FROM roll_network_delta r
