-- name: funds_death_by_child
-- Anomaly 死亡后发放 (年累计), counted per child: payment rows (not 调标补发) whose 所属期 month is
-- after the month of the beneficiary's recorded death (died_day). Driven from the register
-- (beneficiary → ix_payment_beneficiary), so a case is placed at the beneficiary's registered region.
-- Rows: each child of :region, plus :region itself for beneficiaries registered at its own code.
-- CROSS JOIN fixes the join order on SQLite (region first, then the payment index); the other
-- databases plan it as an inner join. Without it SQLite's statistics can pick a skip-scan of all payments.
SELECT g.code AS region_code,
       COUNT(*) AS cases,
       SUM(p.amount_paid) AS amount
FROM region g
CROSS JOIN beneficiary b
CROSS JOIN payment p
WHERE b.region_code BETWEEN g.code AND CASE WHEN g.code = :region THEN g.code ELSE g.code_hi END
  AND p.beneficiary_id = b.beneficiary_id
  AND (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
  AND b.died_day IS NOT NULL
  AND p.month BETWEEN :ytd_m0 AND :m1
  AND p.month > (b.died_day - b.died_day % 100) / 100
  AND NOT p.is_backpay
  AND p.region_code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code
ORDER BY g.code
