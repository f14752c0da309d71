-- name: funds_refresh_audit
-- One level of roll_payment_audit: the cases counted at regions of :level (roll_payment_audit_case,
-- already rebuilt) plus the rollup rows of their children. One case per row; amount = 实发 of the case.
INSERT INTO roll_payment_audit (region_code, month, check_kind, cases, amount)
SELECT t.region_code, t.month, t.check_kind, SUM(t.cases), SUM(t.amount)
FROM (
    SELECT c.place_code AS region_code, c.month AS month, c.check_kind AS check_kind,
           1 AS cases, c.amount_paid AS amount
    FROM roll_payment_audit_case c JOIN region g ON g.code = c.place_code
    WHERE g.level = :level
    UNION ALL
    SELECT g.parent_code, r.month, r.check_kind, r.cases, r.amount
    FROM roll_payment_audit r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level
) t
GROUP BY t.region_code, t.month, t.check_kind
