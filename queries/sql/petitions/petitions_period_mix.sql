-- name: petitions_period_mix
-- Raw petitions of the region's subtree received in the period (span 'cur'), the previous period ('prev')
-- and the same period last year ('ly'), by channel × category × item type: 件数, 人次, X7 集体访 (≥5人)
-- batches and persons. Each branch is one received_day range.
-- Read through ix_petition_day: COALESCE keeps SQLite off the region index, which it would otherwise
-- seek with the scope's (whole-table) range. Measured at province scale (402k petitions): ≤ 45 ms at every
-- level for week/month periods; a year at the province root reads ~80k rows per span (~250 ms).
SELECT t.span, t.channel, t.category, t.item_type,
       COUNT(*) AS received,
       SUM(t.persons) AS persons,
       SUM(CASE WHEN t.persons >= 5 THEN 1 ELSE 0 END) AS group_cnt,
       SUM(CASE WHEN t.persons >= 5 THEN t.persons ELSE 0 END) AS group_persons
FROM (
    SELECT 'cur' AS span, p.channel AS channel, p.category AS category, p.item_type AS item_type,
           p.persons AS persons
    FROM petition p
    WHERE p.received_day BETWEEN :d0 AND :d1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'prev', p.channel, p.category, p.item_type, p.persons
    FROM petition p
    WHERE p.received_day BETWEEN :p_d0 AND :p_d1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'ly', p.channel, p.category, p.item_type, p.persons
    FROM petition p
    WHERE p.received_day BETWEEN :y_d0 AND :y_d1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
) t
GROUP BY t.span, t.channel, t.category, t.item_type
ORDER BY t.span, t.channel, t.category, t.item_type
