-- name: funds_register_list
-- Anomaly 不在登记地名册 (年累计), listed: same definition as funds_register_by_child, in :region's
-- subtree; register_code is the village the person is registered in (NULL: not registered).
-- place_code: where the case is counted (as in the _by_child query). The first :limit, newest first.
-- CROSS JOIN fixes the join order on SQLite (region first, then the payment index); the other
-- databases plan it as an inner join. Without it SQLite's statistics can pick a skip-scan of all payments.
SELECT p.beneficiary_id, p.region_code, p.fund_kind, p.month,
       p.amount_due, p.amount_paid, b.region_code AS register_code,
       p.region_code AS place_code
FROM region s
CROSS JOIN payment p
LEFT JOIN beneficiary b ON b.beneficiary_id = p.beneficiary_id
WHERE p.region_code BETWEEN s.code AND s.code_hi
  AND s.code = :region
  AND s.code BETWEEN :scope_lo AND :scope_hi
  AND p.month BETWEEN :ytd_m0 AND :m1
  AND (b.beneficiary_id IS NULL OR b.region_code <> p.region_code)
ORDER BY p.month DESC, p.region_code, p.payment_id
LIMIT :limit
