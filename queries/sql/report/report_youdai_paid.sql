-- name: report_youdai_paid
-- 义务兵家庭优待金发放: amounts paid for months [:m0, :m1].
SELECT SUM(p.amount_paid) AS paid
FROM payment p
WHERE p.fund_kind = '义务兵家庭优待金'
  AND p.month BETWEEN :m0 AND :m1
  AND p.region_code BETWEEN :region_lo AND :region_hi
  AND p.region_code BETWEEN :scope_lo AND :scope_hi
