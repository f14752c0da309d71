-- name: funds_kind_month
-- F1 by fund kind and month for one region over [:t_m0, :t_m1] (the stacked monthly bars).
-- Reads roll_payment_month (the region's own row: its whole subtree).
SELECT r.month AS month, r.fund_kind AS fund_kind,
       SUM(r.amount_due) AS amount_due, SUM(r.amount_paid) AS amount_paid,
       SUM(r.rows_due) AS rows_due, SUM(r.rows_ontime_full) AS rows_ontime
FROM roll_payment_month r
WHERE r.region_code = :region
  AND r.region_code BETWEEN :scope_lo AND :scope_hi
  AND r.month BETWEEN :t_m0 AND :t_m1
GROUP BY r.month, r.fund_kind
ORDER BY r.month
