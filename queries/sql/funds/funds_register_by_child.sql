-- name: funds_register_by_child
-- Anomaly 不在登记地名册 (年累计), counted per child: a payment row booked to a village whose register
-- does not hold the person — the beneficiary is registered in another village, or has no register
-- row at all. Rows: each child of :region, plus :region itself for rows booked to its own code.
-- CROSS JOIN fixes the join order on SQLite (region first, then the payment index); the other
-- databases plan it as an inner join. Without it SQLite's statistics can pick a skip-scan of all payments.
SELECT g.code AS region_code,
       COUNT(*) AS cases,
       SUM(p.amount_paid) AS amount
FROM region g
CROSS JOIN payment p
LEFT JOIN beneficiary b ON b.beneficiary_id = p.beneficiary_id
WHERE p.region_code BETWEEN g.code AND CASE WHEN g.code = :region THEN g.code ELSE g.code_hi END
  AND (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
  AND p.month BETWEEN :ytd_m0 AND :m1
  AND (b.beneficiary_id IS NULL OR b.region_code <> p.region_code)
GROUP BY g.code
ORDER BY g.code
