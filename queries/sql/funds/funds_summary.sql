-- name: funds_summary
-- F1 发放额 (期间), F2 资金执行率 (年累计: paid since 1 Jan ÷ the year's budget), F3 按时足额发放率
-- (期间, rows_due = rows already due at the as-of date), F4 受益人数 (the period's last month).
-- Each measure for the period, the previous period (p_) and the same period last year (y_).
-- Reads roll_payment_month / roll_payment_people / budget only. Rows: the region and its children.
SELECT g.code AS region_code,
       (SELECT SUM(r.amount_paid) FROM roll_payment_month r
         WHERE r.region_code = g.code AND r.month BETWEEN :m0 AND :m1) AS paid,
       (SELECT SUM(r.amount_paid) FROM roll_payment_month r
         WHERE r.region_code = g.code AND r.month BETWEEN :p_m0 AND :p_m1) AS paid_prev,
       (SELECT SUM(r.amount_paid) FROM roll_payment_month r
         WHERE r.region_code = g.code AND r.month BETWEEN :y_m0 AND :y_m1) AS paid_ly,
       (SELECT SUM(r.amount_paid) FROM roll_payment_month r
         WHERE r.region_code = g.code AND r.month BETWEEN :ytd_m0 AND :m1) AS paid_ytd,
       (SELECT SUM(r.amount_paid) FROM roll_payment_month r
         WHERE r.region_code = g.code AND r.month BETWEEN :p_ytd_m0 AND :p_m1) AS paid_ytd_prev,
       (SELECT SUM(r.amount_paid) FROM roll_payment_month r
         WHERE r.region_code = g.code AND r.month BETWEEN :ytd_m0 - 100 AND :m1 - 100) AS paid_ytd_ly,
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
       (SELECT SUM(pp.beneficiaries) FROM roll_payment_people pp
         WHERE pp.region_code = g.code AND pp.month = :m1) AS people,
       (SELECT SUM(pp.beneficiaries) FROM roll_payment_people pp
         WHERE pp.region_code = g.code AND pp.month = :p_m1) AS people_prev,
       (SELECT SUM(pp.beneficiaries) FROM roll_payment_people pp
         WHERE pp.region_code = g.code AND pp.month = :y_m1) AS people_ly
FROM region g
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
ORDER BY g.code
