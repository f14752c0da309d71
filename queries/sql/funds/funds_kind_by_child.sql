-- name: funds_kind_by_child
-- F1 by fund kind for the period, for the region and each child (the kind × child table).
-- Reads roll_payment_month.
SELECT g.code AS region_code, r.fund_kind AS fund_kind,
       SUM(r.amount_due) AS amount_due, SUM(r.amount_paid) AS amount_paid
FROM region g
JOIN roll_payment_month r ON r.region_code = g.code
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
  AND r.month BETWEEN :m0 AND :m1
GROUP BY g.code, r.fund_kind
ORDER BY g.code
