-- name: funds_backpay
-- F5 调标补发完成率 (年累计): 调标补发 rows (is_backpay) whose 所属期 lies in 1 Jan … period end, and those
-- paid in full (amount_paid >= amount_due) by the data's as-of date, from roll_payment_backpay (by the
-- booked region). Rows: :region (its whole subtree) and each child.
SELECT g.code AS region_code,
       SUM(r.backpay_rows) AS backpay_rows,
       SUM(r.backpay_done) AS backpay_done,
       SUM(r.amount_due) AS backpay_due_amount,
       SUM(r.amount_paid) AS backpay_paid_amount
FROM region g
JOIN roll_payment_backpay r ON r.region_code = g.code
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
  AND r.month BETWEEN :ytd_m0 AND :m1
GROUP BY g.code
ORDER BY g.code
