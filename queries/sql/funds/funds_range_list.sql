-- name: funds_range_list
-- Anomaly 超出标准范围 (年累计), listed: same definition as funds_range_by_child, in :region's
-- subtree. place_code: where the case is counted (as in the _by_child query). The first :limit,
-- newest first.
-- CROSS JOIN fixes the join order on SQLite (region first, then the payment index); the other
-- databases plan it as an inner join. Without it SQLite's statistics can pick a skip-scan of all payments.
SELECT p.beneficiary_id, p.region_code, p.fund_kind, p.month,
       p.amount_due, p.amount_paid, fs.min_monthly, fs.max_monthly,
       p.region_code AS place_code
FROM region s
CROSS JOIN payment p
JOIN fund_standard fs ON fs.fund_kind = p.fund_kind
WHERE p.region_code BETWEEN s.code AND s.code_hi
  AND s.code = :region
  AND s.code BETWEEN :scope_lo AND :scope_hi
  AND p.month BETWEEN :ytd_m0 AND :m1
  AND NOT p.is_backpay
  AND (p.amount_due < fs.min_monthly OR p.amount_due > fs.max_monthly)
ORDER BY p.month DESC, p.region_code, p.payment_id
LIMIT :limit
