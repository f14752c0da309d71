-- name: funds_death_list
-- Anomaly 死亡后发放 (年累计), listed: payment rows for a month after the beneficiary's death month, counted
-- in :region's subtree (the registered village: place_code), from roll_payment_audit_case through
-- ix_rpac — the same cases roll_payment_audit counts. The first :limit, newest first.
SELECT c.beneficiary_id, c.region_code, c.fund_kind, c.month,
       c.amount_due, c.amount_paid, c.died_month, c.place_code
FROM roll_payment_audit_case c
JOIN region g ON g.code = c.place_code
WHERE c.check_kind = 'death'
  AND c.place_code BETWEEN :region_lo AND :region_hi
  AND c.place_code BETWEEN :scope_lo AND :scope_hi
  AND c.month BETWEEN :ytd_m0 AND :m1
ORDER BY c.month DESC, c.region_code, c.payment_id
LIMIT :limit
