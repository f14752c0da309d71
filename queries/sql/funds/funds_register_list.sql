-- name: funds_register_list
-- Anomaly 不在登记地名册 (年累计), listed: rows booked in :region's subtree (place_code = region_code) to a
-- village other than the beneficiary's registered one (register_code; NULL: not registered), from
-- roll_payment_audit_case through ix_rpac — the same cases roll_payment_audit counts.
-- The first :limit, newest first.
SELECT c.beneficiary_id, c.region_code, c.fund_kind, c.month,
       c.amount_due, c.amount_paid, c.register_code, c.place_code
FROM roll_payment_audit_case c
JOIN region g ON g.code = c.place_code
WHERE c.check_kind = 'register'
  AND c.place_code BETWEEN :region_lo AND :region_hi
  AND c.place_code BETWEEN :scope_lo AND :scope_hi
  AND c.month BETWEEN :ytd_m0 AND :m1
ORDER BY c.month DESC, c.region_code, c.payment_id
LIMIT :limit
