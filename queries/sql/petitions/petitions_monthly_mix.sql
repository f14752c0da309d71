-- name: petitions_monthly_mix
-- Raw petitions of the subtree over [:t_d0, :t_d1] by month × channel × category × item type (X1 by
-- 渠道/类别/事项类型). Raw because roll_petition_day has no channel/category columns.
-- Read through ix_petition_region_day (region range; received_day is filtered on the index entry):
-- ~0 ms for a county or below, ~60 ms for a city at province scale, ~330 ms at a province root —
-- there a month-grain rollup is needed (see docs/indicators/petitions.md).
-- The scope filter is a safety net (binds already refuse an out-of-scope region); COALESCE keeps it
-- from being chosen as the index range, which at the root is the whole table.
SELECT (p.received_day - p.received_day % 100) / 100 AS month, p.channel, p.category, p.item_type,
       COUNT(*) AS received, SUM(p.persons) AS persons
FROM petition p
WHERE COALESCE(p.received_day, 0) BETWEEN :t_d0 AND :t_d1
  AND p.region_code BETWEEN :region_lo AND :region_hi
  AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
GROUP BY (p.received_day - p.received_day % 100) / 100, p.channel, p.category, p.item_type
ORDER BY month, p.channel, p.category, p.item_type
