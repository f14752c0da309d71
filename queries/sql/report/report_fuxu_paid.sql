-- name: report_fuxu_paid
-- 优抚对象抚恤补助资金发放: amounts paid for months [:m0, :m1] of 残疾抚恤金, 定期抚恤金 and 定期生活补助
-- (not 义务兵家庭优待金, 医疗补助 or 临时救助), by the recipient's region on the payment row.
SELECT SUM(p.amount_paid) AS paid
FROM payment p
WHERE p.fund_kind IN ('残疾抚恤金', '定期抚恤金', '定期生活补助')
  AND p.month BETWEEN :m0 AND :m1
  AND p.region_code BETWEEN :region_lo AND :region_hi
  AND p.region_code BETWEEN :scope_lo AND :scope_hi
