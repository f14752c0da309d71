-- name: funds_dup_by_child
-- Anomaly 重复发放 (年累计), counted per child: the same beneficiary, fund kind and 所属期 month paid
-- more than once (regular rows with money paid; 调标补发 rows are a legitimate second row and are
-- left out). One case per (beneficiary, kind, month), placed at the beneficiary's registered region
-- (as 死亡后发放). Driven from the register: the candidates (a person's months with two or more rows)
-- come from ix_beneficiary_region + ix_payment_beneficiary alone, so only their rows are read.
-- Rows: each child of :region, plus :region itself for beneficiaries registered at its own code.
-- CROSS JOIN fixes the join order on SQLite (region first, then the payment index); the other
-- databases plan it as an inner join. Without it SQLite's statistics can pick a skip-scan of all payments.
SELECT g.code AS region_code,
       COUNT(*) AS cases,
       SUM(d.times) AS rows_involved,
       SUM(d.amount_paid) AS amount,
       SUM(d.excess) AS excess
FROM (
    SELECT c.place_code, p.beneficiary_id, p.fund_kind, p.month,
           COUNT(*) AS times,
           SUM(p.amount_paid) AS amount_paid,
           SUM(p.amount_paid) - MAX(p.amount_paid) AS excess
    FROM (
        SELECT b.beneficiary_id, b.region_code AS place_code, q.month
        FROM region s
        CROSS JOIN beneficiary b
        CROSS JOIN payment q
        WHERE b.region_code BETWEEN s.code AND s.code_hi
          AND q.beneficiary_id = b.beneficiary_id
          AND s.code = :region
          AND s.code BETWEEN :scope_lo AND :scope_hi
          AND q.month BETWEEN :ytd_m0 AND :m1
        GROUP BY b.beneficiary_id, b.region_code, q.month
        HAVING COUNT(*) > 1
    ) c
    CROSS JOIN payment p
    WHERE p.beneficiary_id = c.beneficiary_id
      AND p.month = c.month
      AND NOT p.is_backpay
      AND p.amount_paid > 0
      AND p.region_code BETWEEN :scope_lo AND :scope_hi
    GROUP BY c.place_code, p.beneficiary_id, p.fund_kind, p.month
    HAVING COUNT(*) > 1
) d
JOIN region g
  ON d.place_code BETWEEN g.code AND CASE WHEN g.code = :region THEN g.code ELSE g.code_hi END
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code
ORDER BY g.code
