-- name: funds_range_list
-- Anomaly 超出标准范围 (年累计), listed: regular rows with amount_due outside the kind's monthly standard,
-- booked in :region's subtree (place_code = region_code), from roll_payment_audit_case through ix_rpac —
-- the same cases roll_payment_audit counts; min/max_monthly: the standard the refresh checked against.
-- The first :limit, newest first.
SELECT c.beneficiary_id, c.region_code, c.fund_kind, c.month,
       c.amount_due, c.amount_paid, c.min_monthly, c.max_monthly, c.place_code
FROM roll_payment_audit_case c
JOIN region g ON g.code = c.place_code
WHERE c.check_kind = 'range'
  AND c.place_code BETWEEN :region_lo AND :region_hi
  AND c.place_code BETWEEN :scope_lo AND :scope_hi
  AND c.month BETWEEN :ytd_m0 AND :m1
ORDER BY c.month DESC, c.region_code, c.payment_id
LIMIT :limit
