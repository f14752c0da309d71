-- name: funds_audit_by_child
-- The four anomaly checks (年累计: months 1 Jan … period end), counted per child: cases and 实发 amount
-- per check_kind for :region (its whole subtree) and each child, from roll_payment_audit (cases placed
-- where docs/indicators/funds.md counts them: registered village for dup/death, booked village for
-- range/register). Cases counted at :region's own code = the region's row minus its children's rows.
SELECT g.code AS region_code, r.check_kind AS check_kind,
       SUM(r.cases) AS cases, SUM(r.amount) AS amount
FROM region g
JOIN roll_payment_audit r ON r.region_code = g.code
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
  AND r.month BETWEEN :ytd_m0 AND :m1
GROUP BY g.code, r.check_kind
ORDER BY g.code, r.check_kind
