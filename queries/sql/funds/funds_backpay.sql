-- name: funds_backpay
-- F5 调标补发完成率 (年累计): 调标补发 rows (is_backpay) whose 所属期 lies in 1 Jan … period end;
-- done = paid in full (amount_paid >= amount_due) by the as-of date. Raw payment rows, read through
-- ix_payment_region_month per child. One row per child of :region (its subtree) plus one for :region
-- itself holding only rows booked to its own code (a village's own payments): the total is the sum.
-- CROSS JOIN fixes the join order on SQLite (region first, then the payment index); the other
-- databases plan it as an inner join. Without it SQLite's statistics can pick a skip-scan of all payments.
SELECT g.code AS region_code,
       COUNT(*) AS backpay_rows,
       SUM(CASE WHEN p.paid_day IS NOT NULL AND p.paid_day <= :asof
                     AND p.amount_paid >= p.amount_due THEN 1 ELSE 0 END) AS backpay_done,
       SUM(p.amount_due) AS backpay_due_amount,
       SUM(p.amount_paid) AS backpay_paid_amount
FROM region g
CROSS JOIN payment p
WHERE p.region_code BETWEEN g.code AND CASE WHEN g.code = :region THEN g.code ELSE g.code_hi END
  AND (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
  AND p.month BETWEEN :ytd_m0 AND :m1
  AND p.is_backpay
GROUP BY g.code
ORDER BY g.code
