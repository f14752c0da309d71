-- name: petitions_monthly_mix
-- Petitions of the subtree over [:t_d0, :t_d1] by month × channel × category × item type (X1 by
-- 渠道/类别/事项类型): the whole months [:rm0, :rm1] from roll_petition_month (the region's own rows,
-- ≤ 36 × 150), and the last month's days [:rd0, :rd1] from the raw table only when it is cut before the
-- as-of date (a past week; (1, 0) otherwise) — through ix_petition_day, the region filters wrapped in
-- COALESCE so SQLite cannot pick the region index with the scope's whole-table range.
SELECT t.month, t.channel, t.category, t.item_type, SUM(t.received) AS received, SUM(t.persons) AS persons
FROM (
    SELECT r.month AS month, r.channel AS channel, r.category AS category, r.item_type AS item_type,
           r.received AS received, r.persons AS persons
    FROM roll_petition_month r
    WHERE r.region_code = :region AND r.region_code BETWEEN :scope_lo AND :scope_hi
      AND r.month BETWEEN :rm0 AND :rm1
    UNION ALL
    SELECT (p.received_day - p.received_day % 100) / 100, p.channel, p.category, p.item_type, 1, p.persons
    FROM petition p
    WHERE p.received_day BETWEEN :rd0 AND :rd1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
) t
GROUP BY t.month, t.channel, t.category, t.item_type
ORDER BY t.month, t.channel, t.category, t.item_type
