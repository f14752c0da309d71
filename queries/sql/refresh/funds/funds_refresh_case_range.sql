-- name: funds_refresh_case_range
-- 超出标准范围 cases: a regular monthly row (not 调标补发, whose amount is a difference) with amount_due
-- outside fund_standard's [min_monthly, max_monthly] of its kind (kinds without a standard are not
-- checked); counted where the row is booked. The standard in force at the refresh is kept with the case.
INSERT INTO roll_payment_audit_case (check_kind, place_code, month, beneficiary_id, fund_kind, region_code,
                                     payment_id, times, amount_due, amount_paid, excess,
                                     died_month, min_monthly, max_monthly, register_code)
SELECT 'range', p.region_code, p.month, p.beneficiary_id, p.fund_kind, p.region_code,
       p.payment_id, 1, p.amount_due, p.amount_paid, NULL,
       NULL, fs.min_monthly, fs.max_monthly, NULL
FROM payment p
JOIN fund_standard fs ON fs.fund_kind = p.fund_kind
WHERE NOT p.is_backpay
  AND (p.amount_due < fs.min_monthly OR p.amount_due > fs.max_monthly)
