-- name: funds_summary
-- F1 发放额 (期间, by payment day: cash basis), F2 资金执行率 (年累计: paid since 1 Jan by payment day ÷ the
-- year's budget), F3 按时足额发放率 (期间 by entitlement month, rows_due = rows already due at the as-of date),
-- F4 受益人次 (rows paid in the period, by payment day).
-- Each measure for the period, the previous period (p_) and the same period last year (y_); day ranges are
-- already cut to the same number of days when the period is not over.
-- Reads roll_payment_paid_day / roll_payment_month / budget only. Rows: the region and its children.
SELECT g.code AS region_code,
       (SELECT SUM(r.amount_paid) FROM roll_payment_paid_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :d0 AND :d1) AS paid,
       (SELECT SUM(r.amount_paid) FROM roll_payment_paid_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :p_d0 AND :p_d1) AS paid_prev,
       (SELECT SUM(r.amount_paid) FROM roll_payment_paid_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :y_d0 AND :y_d1) AS paid_ly,
       (SELECT SUM(r.amount_paid) FROM roll_payment_paid_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :ytd0 AND :d1) AS paid_ytd,
       (SELECT SUM(r.amount_paid) FROM roll_payment_paid_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :p_ytd_d0 AND :p_d1) AS paid_ytd_prev,
       (SELECT SUM(r.amount_paid) FROM roll_payment_paid_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :y_ytd_d0 AND :y_d1) AS paid_ytd_ly,
       (SELECT SUM(b.amount) FROM budget b
         WHERE b.region_code BETWEEN g.code AND g.code_hi AND b.year = :year) AS budget,
       (SELECT SUM(b.amount) FROM budget b
         WHERE b.region_code BETWEEN g.code AND g.code_hi AND b.year = :p_year) AS budget_prev,
       (SELECT SUM(b.amount) FROM budget b
         WHERE b.region_code BETWEEN g.code AND g.code_hi AND b.year = :year - 1) AS budget_ly,
       (SELECT SUM(r.rows_due) FROM roll_payment_month r
         WHERE r.region_code = g.code AND r.month BETWEEN :m0 AND :m1) AS rows_due,
       (SELECT SUM(r.rows_ontime_full) FROM roll_payment_month r
         WHERE r.region_code = g.code AND r.month BETWEEN :m0 AND :m1) AS rows_ontime,
       (SELECT SUM(r.rows_due) FROM roll_payment_month r
         WHERE r.region_code = g.code AND r.month BETWEEN :p_m0 AND :p_m1) AS rows_due_prev,
       (SELECT SUM(r.rows_ontime_full) FROM roll_payment_month r
         WHERE r.region_code = g.code AND r.month BETWEEN :p_m0 AND :p_m1) AS rows_ontime_prev,
       (SELECT SUM(r.rows_due) FROM roll_payment_month r
         WHERE r.region_code = g.code AND r.month BETWEEN :y_m0 AND :y_m1) AS rows_due_ly,
       (SELECT SUM(r.rows_ontime_full) FROM roll_payment_month r
         WHERE r.region_code = g.code AND r.month BETWEEN :y_m0 AND :y_m1) AS rows_ontime_ly,
       (SELECT SUM(r.rows_due) FROM roll_payment_month r
         WHERE r.region_code = g.code AND r.month BETWEEN :ytd_m0 AND :m1) AS rows_due_ytd,
       (SELECT SUM(r.rows_paid) FROM roll_payment_paid_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :d0 AND :d1) AS people,
       (SELECT SUM(r.rows_paid) FROM roll_payment_paid_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :p_d0 AND :p_d1) AS people_prev,
       (SELECT SUM(r.rows_paid) FROM roll_payment_paid_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :y_d0 AND :y_d1) AS people_ly
FROM region g
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
ORDER BY g.code
