-- name: funds_range_by_child
-- Anomaly 超出标准范围 (年累计), counted per child: a regular monthly row (not 调标补发, whose amount
-- is a difference, not a monthly standard) whose amount_due lies outside fund_standard's
-- [min_monthly, max_monthly] for its kind. Kinds without a standard row are not checked.
-- Rows: each child of :region, plus :region itself for rows booked to its own code.
-- CROSS JOIN fixes the join order on SQLite (region first, then the payment index); the other
-- databases plan it as an inner join. Without it SQLite's statistics can pick a skip-scan of all payments.
SELECT g.code AS region_code,
       COUNT(*) AS cases,
       SUM(p.amount_paid) AS amount
FROM region g
CROSS JOIN payment p
JOIN fund_standard fs ON fs.fund_kind = p.fund_kind
WHERE p.region_code BETWEEN g.code AND CASE WHEN g.code = :region THEN g.code ELSE g.code_hi END
  AND (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
  AND p.month BETWEEN :ytd_m0 AND :m1
  AND NOT p.is_backpay
  AND (p.amount_due < fs.min_monthly OR p.amount_due > fs.max_monthly)
GROUP BY g.code
ORDER BY g.code
