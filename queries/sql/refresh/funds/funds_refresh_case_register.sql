-- name: funds_refresh_case_register
-- 不在登记地名册 cases: a payment row (调标补发 included) booked to a village other than the one the
-- beneficiary is registered in, or whose beneficiary has no register row (register_code NULL);
-- counted where the row is booked.
INSERT INTO roll_payment_audit_case (check_kind, place_code, month, beneficiary_id, fund_kind, region_code,
                                     payment_id, times, amount_due, amount_paid, excess,
                                     died_month, min_monthly, max_monthly, register_code)
SELECT 'register', p.region_code, p.month, p.beneficiary_id, p.fund_kind, p.region_code,
       p.payment_id, 1, p.amount_due, p.amount_paid, NULL,
       NULL, NULL, NULL, b.region_code
FROM payment p
LEFT JOIN beneficiary b ON b.beneficiary_id = p.beneficiary_id
WHERE b.beneficiary_id IS NULL OR b.region_code <> p.region_code
