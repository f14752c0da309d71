-- name: funds_refresh_case_death
-- 死亡后发放 cases: payment rows (not 调标补发, any status) whose 所属期 month is after the month of the
-- beneficiary's recorded death (died_day); counted at the registered village. Driven from the few
-- beneficiaries with a death date, through ix_payment_beneficiary.
INSERT INTO roll_payment_audit_case (check_kind, place_code, month, beneficiary_id, fund_kind, region_code,
                                     payment_id, times, amount_due, amount_paid, excess,
                                     died_month, min_monthly, max_monthly, register_code)
SELECT 'death', b.region_code, p.month, p.beneficiary_id, p.fund_kind, p.region_code,
       p.payment_id, 1, p.amount_due, p.amount_paid, NULL,
       (b.died_day - b.died_day % 100) / 100, NULL, NULL, NULL
FROM beneficiary b
CROSS JOIN payment p
WHERE b.died_day IS NOT NULL
  AND p.beneficiary_id = b.beneficiary_id
  AND p.month > (b.died_day - b.died_day % 100) / 100
  AND NOT p.is_backpay
