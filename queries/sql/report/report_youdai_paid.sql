-- name: report_youdai_paid
-- 义务兵家庭优待金发放: amounts paid for months [:m0, :m1], by the recipient's region on the payment row.
-- Read from roll_payment_month (the region's subtree sums per 所属月份 and fund kind, = the raw payment rows).
SELECT SUM(r.amount_paid) AS paid
FROM roll_payment_month r
WHERE r.fund_kind = '义务兵家庭优待金'
  AND r.month BETWEEN :m0 AND :m1
  AND r.region_code = :region
  AND r.region_code BETWEEN :scope_lo AND :scope_hi
