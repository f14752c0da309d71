-- name: funds_village_categories
-- A village's (or any small region's) own summary: beneficiaries paid in the period by category,
-- with the amount paid to them. Raw rows: called only for a village (a few dozen people).
-- The region's code range is bound (:region_lo/:region_hi), not joined from the region table: with a
-- joined range PostgreSQL cannot see that it is one village, estimates ~40,000 payments and hashes all
-- ~490,000 beneficiaries of the province (60 ms); bound, it looks up the village's few payments' people.
-- The scope test is a constant (binds already refuse an out-of-scope region).
SELECT b.category AS category,
       COUNT(DISTINCT p.beneficiary_id) AS people,
       COUNT(*) AS payments,
       SUM(p.amount_paid) AS amount_paid
FROM payment p
JOIN beneficiary b ON b.beneficiary_id = p.beneficiary_id
WHERE p.region_code BETWEEN :region_lo AND :region_hi
  AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
  AND p.month BETWEEN :m0 AND :m1
GROUP BY b.category
