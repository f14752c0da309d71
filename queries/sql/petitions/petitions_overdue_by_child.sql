-- name: petitions_overdue_by_child
-- 当前超期未办结 per child of a county, township or village (no roll_petition_state below counties): the
-- subtree's raw rows through the region index, grouped by the first :child_len digits of the place code
-- (the child's short code; the caller pads it to 12 digits and sums the region's own row). The counts are
-- petitions_overdue_count_local's: open_cnt / overdue as at :d1 (accepted by then, not closed by then;
-- overdue: also past due_day), overdue_prev as at :p_d1 and overdue_ly as at :y_d1 (past due, not closed).
-- Only petitions still open after :y_d1 (the earliest of the three days) can count.
SELECT t.child, SUM(t.open_cnt) AS open_cnt, SUM(t.overdue) AS overdue,
       SUM(t.overdue_prev) AS overdue_prev, SUM(t.overdue_ly) AS overdue_ly
FROM (
    SELECT SUBSTR(p.region_code, 1, :child_len) AS child,
           CASE WHEN p.accepted_day <= :d1 AND (COALESCE(p.closed_day, 0) = 0 OR p.closed_day > :d1)
                THEN 1 ELSE 0 END AS open_cnt,
           CASE WHEN p.accepted_day <= :d1 AND (COALESCE(p.closed_day, 0) = 0 OR p.closed_day > :d1)
                     AND p.due_day < :d1 THEN 1 ELSE 0 END AS overdue,
           CASE WHEN (COALESCE(p.closed_day, 0) = 0 OR p.closed_day > :p_d1) AND p.due_day < :p_d1
                THEN 1 ELSE 0 END AS overdue_prev,
           CASE WHEN (COALESCE(p.closed_day, 0) = 0 OR p.closed_day > :y_d1) AND p.due_day < :y_d1
                THEN 1 ELSE 0 END AS overdue_ly
    FROM petition p
    WHERE p.region_code BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
      AND (COALESCE(p.closed_day, 0) = 0 OR p.closed_day > :y_d1)
) t
GROUP BY t.child
ORDER BY t.child
