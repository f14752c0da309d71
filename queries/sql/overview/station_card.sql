-- name: station_card
-- The service centre/station serving exactly this region, with its activity in the last 30 days.
SELECT s.unit_id, s.name, s.level, s.founded_on, s.has_institution, s.has_quota, s.has_personnel,
       s.has_funding, s.has_safeguards, s.is_model, s.model_grade, s.is_benchmark, s.is_red,
       s.yibu_yizhan, s.staff_full, s.staff_part, s.staff_certified, s.service_objects,
       (SELECT MAX(a.day) FROM station_activity a
         WHERE a.unit_id = s.unit_id AND a.day <= :asof_day) AS last_day,
       (SELECT COUNT(*) FROM station_activity a
         WHERE a.unit_id = s.unit_id AND a.day BETWEEN :d30 AND :asof_day) AS records_30d,
       (SELECT SUM(a.items) FROM station_activity a
         WHERE a.unit_id = s.unit_id AND a.day BETWEEN :d30 AND :asof_day) AS items_30d,
       (SELECT SUM(a.visits) FROM station_activity a
         WHERE a.unit_id = s.unit_id AND a.day BETWEEN :d30 AND :asof_day) AS visits_30d
FROM service_unit s
WHERE s.region_code = :region AND s.region_code BETWEEN :scope_lo AND :scope_hi
