-- name: funds_refresh_paid_day
-- One level of roll_payment_paid_day: payments by the day they were paid (paid_day), raw rows of regions at
-- :level plus the rollup rows of their children. Unpaid rows (paid_day NULL) are not money that arrived.
-- A negative amount (a data error) is summed as it is, so the sanity check shows it as 数据异常.
-- :since_day (0 = all) limits it to the pay days `refresh --since` rebuilds; no index has paid_day, so the
-- raw branch still reads every payment row of the level's regions (a late or back payment may belong to
-- any 所属期 month).
INSERT INTO roll_payment_paid_day (region_code, day, amount_paid, rows_paid)
SELECT t.region_code, t.day, SUM(t.amount_paid), SUM(t.rows_paid)
FROM (
    SELECT p.region_code AS region_code, p.paid_day AS day, p.amount_paid AS amount_paid,
           CASE WHEN p.amount_paid > 0 THEN 1 ELSE 0 END AS rows_paid
    FROM payment p JOIN region g ON g.code = p.region_code
    WHERE g.level = :level AND p.paid_day IS NOT NULL AND p.paid_day >= :since_day
    UNION ALL
    SELECT g.parent_code, r.day, r.amount_paid, r.rows_paid
    FROM roll_payment_paid_day r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.day >= :since_day
) t
GROUP BY t.region_code, t.day
