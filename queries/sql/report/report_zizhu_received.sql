-- name: report_zizhu_received
-- 接收自主就业退役士兵: placements in mode 自主就业 whose reporting (received_day) falls in [:d0, :d1].
SELECT COUNT(*) AS received
FROM placement p
WHERE p.mode = '自主就业'
  AND p.received_day BETWEEN :d0 AND :d1
  AND p.region_code BETWEEN :region_lo AND :region_hi
  AND p.region_code BETWEEN :scope_lo AND :scope_hi
