-- name: petitions_overdue_count_local
-- Below the viewer's root: the same counts read through ix_petition_region_day (the subtree's rows
-- only); COALESCE(closed_day, 0) (0 = open) keeps the planners off ix_petition_open, which at a
-- village would read the open/late-closed petitions of the whole scope. The root keeps petitions_overdue_count.
-- 当前超期未办结 (时点): accepted petitions of the subtree not closed at a day and past their deadline
-- (due_day < day). 'cur' as at :d1 also counts every open one (open_cnt, the status denominator);
-- 'prev' as at :p_d1 and 'ly' as at :y_d1 count the overdue only.
-- Each branch tests "open" (closed_day NULL, read as 0) or "closed after the day".
SELECT t.asat, SUM(t.is_open) AS open_cnt, SUM(t.overdue) AS overdue, SUM(t.overdue_extended) AS overdue_extended
FROM (
    SELECT 'cur' AS asat, 1 AS is_open,
           CASE WHEN p.due_day < :d1 THEN 1 ELSE 0 END AS overdue,
           CASE WHEN p.due_day < :d1 AND p.extended THEN 1 ELSE 0 END AS overdue_extended
    FROM petition p
    WHERE COALESCE(p.closed_day, 0) = 0 AND p.accepted_day <= :d1
      AND p.region_code BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'cur', 1,
           CASE WHEN p.due_day < :d1 THEN 1 ELSE 0 END,
           CASE WHEN p.due_day < :d1 AND p.extended THEN 1 ELSE 0 END
    FROM petition p
    WHERE COALESCE(p.closed_day, 0) > :d1 AND p.accepted_day <= :d1
      AND p.region_code BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'prev', 0, 1, CASE WHEN p.extended THEN 1 ELSE 0 END
    FROM petition p
    WHERE COALESCE(p.closed_day, 0) = 0 AND p.due_day < :p_d1
      AND p.region_code BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'prev', 0, 1, CASE WHEN p.extended THEN 1 ELSE 0 END
    FROM petition p
    WHERE COALESCE(p.closed_day, 0) > :p_d1 AND p.due_day < :p_d1
      AND p.region_code BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'ly', 0, 1, CASE WHEN p.extended THEN 1 ELSE 0 END
    FROM petition p
    WHERE COALESCE(p.closed_day, 0) = 0 AND p.due_day < :y_d1
      AND p.region_code BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'ly', 0, 1, CASE WHEN p.extended THEN 1 ELSE 0 END
    FROM petition p
    WHERE COALESCE(p.closed_day, 0) > :y_d1 AND p.due_day < :y_d1
      AND p.region_code BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
) t
GROUP BY t.asat
ORDER BY t.asat
