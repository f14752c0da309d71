-- name: report_anpai_destinations
-- 接收政府安排工作退役士兵 of the :year cohort, and where they were placed.
SELECT COUNT(*) AS total,
       SUM(CASE WHEN p.destination = '党政机关' THEN 1 ELSE 0 END) AS dangzheng,
       SUM(CASE WHEN p.destination = '事业单位' THEN 1 ELSE 0 END) AS shiye,
       SUM(CASE WHEN p.destination = '央企' THEN 1 ELSE 0 END) AS yangqi,
       SUM(CASE WHEN p.destination = '地方国企' THEN 1 ELSE 0 END) AS difang_guoqi
FROM placement p
WHERE p.mode = '安排工作'
  AND p.cohort_year = :year
  AND p.region_code BETWEEN :region_lo AND :region_hi
  AND p.region_code BETWEEN :scope_lo AND :scope_hi
