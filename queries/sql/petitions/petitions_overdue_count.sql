-- name: petitions_overdue_count
-- 当前超期未办结 (时点): accepted petitions of the subtree not closed at a day and past their deadline
-- (due_day < day). 'cur' as at :d1 also counts every open one (open_cnt, the status denominator);
-- 'prev' as at :p_d1 and 'ly' as at :y_d1 count the overdue only.
-- Each branch reads ix_petition_open (closed_day, due_day): "closed_day IS NULL" or "closed_day > day".
-- COALESCE on region_code keeps SQLite off ix_petition_region_day, which it cannot tell is the whole
-- table at the root (a village's range and the province's look alike to the planner); the open
-- petitions are few at every level.
SELECT t.asat, SUM(t.is_open) AS open_cnt, SUM(t.overdue) AS overdue, SUM(t.overdue_extended) AS overdue_extended
FROM (
    SELECT 'cur' AS asat, 1 AS is_open,
           CASE WHEN p.due_day < :d1 THEN 1 ELSE 0 END AS overdue,
           CASE WHEN p.due_day < :d1 AND p.extended THEN 1 ELSE 0 END AS overdue_extended
    FROM petition p
    WHERE p.closed_day IS NULL AND p.accepted_day <= :d1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'cur', 1,
           CASE WHEN p.due_day < :d1 THEN 1 ELSE 0 END,
           CASE WHEN p.due_day < :d1 AND p.extended THEN 1 ELSE 0 END
    FROM petition p
    WHERE p.closed_day > :d1 AND p.accepted_day <= :d1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'prev', 0, 1, CASE WHEN p.extended THEN 1 ELSE 0 END
    FROM petition p
    WHERE p.closed_day IS NULL AND p.due_day < :p_d1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'prev', 0, 1, CASE WHEN p.extended THEN 1 ELSE 0 END
    FROM petition p
    WHERE p.closed_day > :p_d1 AND p.due_day < :p_d1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'ly', 0, 1, CASE WHEN p.extended THEN 1 ELSE 0 END
    FROM petition p
    WHERE p.closed_day IS NULL AND p.due_day < :y_d1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'ly', 0, 1, CASE WHEN p.extended THEN 1 ELSE 0 END
    FROM petition p
    WHERE p.closed_day > :y_d1 AND p.due_day < :y_d1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
) t
GROUP BY t.asat
ORDER BY t.asat
