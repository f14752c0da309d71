-- name: refresh_payment_people
-- Distinct beneficiaries per month; a person lives in one region, so children's counts add up.
-- Distinct within a month only, so :since_month (0 = all) can limit it to the months `refresh --since` rebuilds.
INSERT INTO roll_payment_people (region_code, month, beneficiaries)
SELECT t.region_code, t.month, SUM(t.beneficiaries)
FROM (
    SELECT p.region_code AS region_code, p.month AS month, COUNT(DISTINCT p.beneficiary_id) AS beneficiaries
    FROM payment p JOIN region g ON g.code = p.region_code
    WHERE g.level = :level AND p.month >= :since_month
    GROUP BY p.region_code, p.month
    UNION ALL
    SELECT g.parent_code, r.month, r.beneficiaries
    FROM roll_payment_people r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.month >= :since_month
) t
GROUP BY t.region_code, t.month
