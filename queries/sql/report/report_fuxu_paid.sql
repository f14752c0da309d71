-- name: report_fuxu_paid
-- 优抚对象抚恤补助资金发放: amounts paid for months [:m0, :m1] of 残疾抚恤金, 定期抚恤金 and 定期生活补助
-- (not 义务兵家庭优待金, 医疗补助 or 临时救助), by the recipient's region on the payment row.
-- Read from roll_payment_month (the region's subtree sums per 所属月份 and fund kind, = the raw payment rows).
SELECT SUM(r.amount_paid) AS paid
FROM roll_payment_month r
WHERE r.fund_kind IN ('残疾抚恤金', '定期抚恤金', '定期生活补助')
  AND r.month BETWEEN :m0 AND :m1
  AND r.region_code = :region
  AND r.region_code BETWEEN :scope_lo AND :scope_hi
