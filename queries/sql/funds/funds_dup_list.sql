-- name: funds_dup_list
-- Anomaly 重复发放 (年累计), listed: one row per (beneficiary, fund kind, 所属期 month) paid more than
-- once, for beneficiaries registered in :region's subtree; same definition as funds_dup_by_child.
-- region_code: where the rows were booked (the lowest code); place_code: the registered region,
-- where the case is counted. The first :limit, newest first.
-- CROSS JOIN fixes the join order on SQLite (region first, then the payment index); the other
-- databases plan it as an inner join. Without it SQLite's statistics can pick a skip-scan of all payments.
SELECT p.beneficiary_id, p.fund_kind, p.month,
       MIN(p.region_code) AS region_code,
       c.place_code,
       COUNT(*) AS times,
       SUM(p.amount_due) AS amount_due,
       SUM(p.amount_paid) AS amount_paid,
       SUM(p.amount_paid) - MAX(p.amount_paid) AS excess
FROM (
    SELECT b.beneficiary_id, b.region_code AS place_code, q.month
    FROM region s
    CROSS JOIN beneficiary b
    CROSS JOIN payment q
    WHERE b.region_code BETWEEN s.code AND s.code_hi
      AND q.beneficiary_id = b.beneficiary_id
      AND s.code = :region
      AND s.code BETWEEN :scope_lo AND :scope_hi
      AND q.month BETWEEN :ytd_m0 AND :m1
    GROUP BY b.beneficiary_id, b.region_code, q.month
    HAVING COUNT(*) > 1
) c
CROSS JOIN payment p
WHERE p.beneficiary_id = c.beneficiary_id
  AND p.month = c.month
  AND NOT p.is_backpay
  AND p.amount_paid > 0
  AND p.region_code BETWEEN :scope_lo AND :scope_hi
GROUP BY c.place_code, p.beneficiary_id, p.fund_kind, p.month
HAVING COUNT(*) > 1
ORDER BY p.month DESC, c.place_code, p.beneficiary_id
LIMIT :limit
