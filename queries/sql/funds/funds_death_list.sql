-- name: funds_death_list
-- Anomaly 死亡后发放 (年累计), listed: same definition as funds_death_by_child, for beneficiaries
-- registered in :region's subtree. place_code: where the case is counted (the registered region,
-- as in funds_death_by_child). The first :limit, newest first.
-- CROSS JOIN fixes the join order on SQLite (region first, then the payment index); the other
-- databases plan it as an inner join. Without it SQLite's statistics can pick a skip-scan of all payments.
SELECT b.beneficiary_id, p.region_code, p.fund_kind, p.month,
       p.amount_due, p.amount_paid,
       (b.died_day - b.died_day % 100) / 100 AS died_month,
       b.region_code AS place_code
FROM region s
CROSS JOIN beneficiary b
CROSS JOIN payment p
WHERE b.region_code BETWEEN s.code AND s.code_hi
  AND p.beneficiary_id = b.beneficiary_id
  AND s.code = :region
  AND s.code BETWEEN :scope_lo AND :scope_hi
  AND b.died_day IS NOT NULL
  AND p.month BETWEEN :ytd_m0 AND :m1
  AND p.month > (b.died_day - b.died_day % 100) / 100
  AND NOT p.is_backpay
  AND p.region_code BETWEEN :scope_lo AND :scope_hi
ORDER BY p.month DESC, p.region_code, p.payment_id
LIMIT :limit
