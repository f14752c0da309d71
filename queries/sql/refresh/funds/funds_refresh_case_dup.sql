-- name: funds_refresh_case_dup
-- 重复发放 cases (docs/indicators/funds.md): the same beneficiary, fund kind and 所属期 month with two or
-- more regular rows (not 调标补发) that paid money. One case per (beneficiary, kind, month), counted at
-- the beneficiary's registered village (beneficiaries not on the register have no place: not counted).
-- The rows may be booked anywhere. Candidates first: a person's months with two or more rows of any kind,
-- from ix_payment_beneficiary alone (a covering index scan, no sort); only their rows are read.
INSERT INTO roll_payment_audit_case (check_kind, place_code, month, beneficiary_id, fund_kind, region_code,
                                     payment_id, times, amount_due, amount_paid, excess,
                                     died_month, min_monthly, max_monthly, register_code)
SELECT 'dup', b.region_code, d.month, d.beneficiary_id, d.fund_kind, d.region_code,
       d.payment_id, d.times, d.amount_due, d.amount_paid, d.excess,
       NULL, NULL, NULL, NULL
FROM (
    SELECT p.beneficiary_id AS beneficiary_id, p.fund_kind AS fund_kind, p.month AS month,
           MIN(p.region_code) AS region_code, MIN(p.payment_id) AS payment_id,
           COUNT(*) AS times,
           SUM(p.amount_due) AS amount_due,
           SUM(p.amount_paid) AS amount_paid,
           SUM(p.amount_paid) - MAX(p.amount_paid) AS excess
    FROM (
        SELECT q.beneficiary_id AS beneficiary_id, q.month AS month
        FROM payment q
        GROUP BY q.beneficiary_id, q.month
        HAVING COUNT(*) > 1
    ) c
    CROSS JOIN payment p
    WHERE p.beneficiary_id = c.beneficiary_id
      AND p.month = c.month
      AND NOT p.is_backpay
      AND p.amount_paid > 0
    GROUP BY p.beneficiary_id, p.month, p.fund_kind
    HAVING COUNT(*) > 1
) d
JOIN beneficiary b ON b.beneficiary_id = d.beneficiary_id
