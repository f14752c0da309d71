-- name: funds_village_categories
-- A village's (or any small region's) own summary: beneficiaries paid in the period by category,
-- with the amount paid to them. Raw rows: called only for a village (a few dozen people).
-- CROSS JOIN fixes the join order on SQLite (region first, then the payment index); the other
-- databases plan it as an inner join. Without it SQLite's statistics can pick a skip-scan of all payments.
SELECT b.category AS category,
       COUNT(DISTINCT p.beneficiary_id) AS people,
       COUNT(*) AS payments,
       SUM(p.amount_paid) AS amount_paid
FROM region s
CROSS JOIN payment p
JOIN beneficiary b ON b.beneficiary_id = p.beneficiary_id
WHERE p.region_code BETWEEN s.code AND s.code_hi
  AND s.code = :region
  AND s.code BETWEEN :scope_lo AND :scope_hi
  AND p.month BETWEEN :m0 AND :m1
GROUP BY b.category
