-- name: petitions_overdue_count_state
-- petitions_overdue_count from roll_petition_state (cohort 0): open and overdue (accepted by the day) as at
-- :d1, overdue as at :p_d1 and :y_d1 — one seek each. The caller drops a row whose count is 0, as the raw
-- query's GROUP BY has no row for an empty branch.
SELECT 'cur' AS asat, s.open_cnt, s.overdue_acc AS overdue, s.overdue_ext_acc AS overdue_extended
FROM roll_petition_state s
WHERE s.region_code = :region AND s.cohort = 0
  AND s.day = (SELECT MAX(x.day) FROM roll_petition_state x
                WHERE x.region_code = :region AND x.cohort = 0 AND x.day <= :d1)
  AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
UNION ALL
SELECT 'prev', 0, p.overdue, p.overdue_ext
FROM roll_petition_state p
WHERE p.region_code = :region AND p.cohort = 0
  AND p.day = (SELECT MAX(x.day) FROM roll_petition_state x
                WHERE x.region_code = :region AND x.cohort = 0 AND x.day <= :p_d1)
  AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
UNION ALL
SELECT 'ly', 0, y.overdue, y.overdue_ext
FROM roll_petition_state y
WHERE y.region_code = :region AND y.cohort = 0
  AND y.day = (SELECT MAX(x.day) FROM roll_petition_state x
                WHERE x.region_code = :region AND x.cohort = 0 AND x.day <= :y_d1)
  AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
