-- name: refresh_payment_month
-- One level of roll_payment_month: raw rows of regions at :level plus the rollup rows of their children.
-- rows_due / rows_ontime_full count only payments already due at the data's as-of date (:asof),
-- so the current month is not penalised for pay days still to come. :since_month (0 = all) limits it to the
-- months `refresh --since` rebuilds (an index range of ix_payment_region_month per region).
INSERT INTO roll_payment_month (region_code, month, fund_kind, amount_due, amount_paid, rows_due, rows_ontime_full)
SELECT t.region_code, t.month, t.fund_kind,
       SUM(t.amount_due), SUM(t.amount_paid), SUM(t.rows_due), SUM(t.rows_ontime_full)
FROM (
    SELECT p.region_code AS region_code, p.month AS month, p.fund_kind AS fund_kind,
           p.amount_due AS amount_due, p.amount_paid AS amount_paid,
           CASE WHEN p.due_day <= :asof THEN 1 ELSE 0 END AS rows_due,
           CASE WHEN p.due_day <= :asof AND p.paid_day IS NOT NULL AND p.paid_day <= p.due_day
                     AND p.amount_paid >= p.amount_due THEN 1 ELSE 0 END AS rows_ontime_full
    FROM payment p JOIN region g ON g.code = p.region_code
    WHERE g.level = :level AND p.month >= :since_month
    UNION ALL
    SELECT g.parent_code, r.month, r.fund_kind, r.amount_due, r.amount_paid, r.rows_due, r.rows_ontime_full
    FROM roll_payment_month r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.month >= :since_month
) t
GROUP BY t.region_code, t.month, t.fund_kind
