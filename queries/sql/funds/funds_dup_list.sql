-- name: funds_dup_list
-- Anomaly 重复发放 (年累计), listed: one row per (beneficiary, fund kind, 所属期 month) paid more than
-- once, counted in :region's subtree (the beneficiary's registered village: place_code), from
-- roll_payment_audit_case through ix_rpac — the same cases roll_payment_audit counts. region_code: where
-- the rows were booked (the lowest code). The first :limit, newest first.
SELECT c.beneficiary_id, c.fund_kind, c.month, c.region_code, c.place_code,
       c.times, c.amount_due, c.amount_paid, c.excess
FROM roll_payment_audit_case c
JOIN region g ON g.code = c.place_code
WHERE c.check_kind = 'dup'
  AND c.place_code BETWEEN :region_lo AND :region_hi
  AND c.place_code BETWEEN :scope_lo AND :scope_hi
  AND c.month BETWEEN :ytd_m0 AND :m1
ORDER BY c.month DESC, c.place_code, c.beneficiary_id
LIMIT :limit
