-- name: funds_refresh_backpay
-- One level of roll_payment_backpay: 调标补发 rows booked at regions of :level plus the rollup rows of their
-- children. done = paid in full (amount_paid >= amount_due) by the data's as-of date (:asof).
-- CROSS JOIN keeps SQLite's order region → ix_payment_region_month: levels 1-4 then read only the few
-- rows booked at their own codes instead of scanning every payment row once per level. :since_month (0 = all)
-- limits it to the months `refresh --since` rebuilds (the month range of the same index).
INSERT INTO roll_payment_backpay (region_code, month, backpay_rows, backpay_done, amount_due, amount_paid)
SELECT t.region_code, t.month, SUM(t.backpay_rows), SUM(t.backpay_done), SUM(t.amount_due), SUM(t.amount_paid)
FROM (
    SELECT p.region_code AS region_code, p.month AS month, 1 AS backpay_rows,
           CASE WHEN p.paid_day IS NOT NULL AND p.paid_day <= :asof
                     AND p.amount_paid >= p.amount_due THEN 1 ELSE 0 END AS backpay_done,
           p.amount_due AS amount_due, p.amount_paid AS amount_paid
    FROM region g
    CROSS JOIN payment p
    WHERE p.region_code = g.code
      AND g.level = :level
      AND p.is_backpay
      AND p.month >= :since_month
    UNION ALL
    SELECT g.parent_code, r.month, r.backpay_rows, r.backpay_done, r.amount_due, r.amount_paid
    FROM roll_payment_backpay r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.month >= :since_month
) t
GROUP BY t.region_code, t.month
