-- name: petitions_period_mix
-- Petitions of the region's subtree received in the period (span 'cur'), the previous period ('prev')
-- and the same period last year ('ly'), by channel × category × item type: 件数, 人次, X7 集体访 (≥5人)
-- batches and persons. Each span's day range is split in Python (queries.petitions.split_months) into
-- whole months [:rm0, :rm1] read from roll_petition_month (the region's own rows: ≤ 150 per month) and the
-- remaining days [:rd0, :rd1] read raw (a week, or a month cut before the as-of date: ≤ 1 month); an empty
-- part is bound as (1, 0).
-- Raw branches read ix_petition_day: COALESCE keeps SQLite off the region index, which it would otherwise
-- seek with the scope's (whole-table) range.
SELECT t.span, t.channel, t.category, t.item_type,
       SUM(t.received) AS received,
       SUM(t.persons) AS persons,
       SUM(t.group_cnt) AS group_cnt,
       SUM(t.group_persons) AS group_persons
FROM (
    SELECT 'cur' AS span, r.channel AS channel, r.category AS category, r.item_type AS item_type,
           r.received AS received, r.persons AS persons, r.group_cnt AS group_cnt, r.group_persons AS group_persons
    FROM roll_petition_month r
    WHERE r.region_code = :region AND r.region_code BETWEEN :scope_lo AND :scope_hi
      AND r.month BETWEEN :rm0 AND :rm1
    UNION ALL
    SELECT 'cur', p.channel, p.category, p.item_type, 1, p.persons,
           CASE WHEN p.persons >= 5 THEN 1 ELSE 0 END, CASE WHEN p.persons >= 5 THEN p.persons ELSE 0 END
    FROM petition p
    WHERE p.received_day BETWEEN :rd0 AND :rd1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'prev', r.channel, r.category, r.item_type, r.received, r.persons, r.group_cnt, r.group_persons
    FROM roll_petition_month r
    WHERE r.region_code = :region AND r.region_code BETWEEN :scope_lo AND :scope_hi
      AND r.month BETWEEN :p_rm0 AND :p_rm1
    UNION ALL
    SELECT 'prev', p.channel, p.category, p.item_type, 1, p.persons,
           CASE WHEN p.persons >= 5 THEN 1 ELSE 0 END, CASE WHEN p.persons >= 5 THEN p.persons ELSE 0 END
    FROM petition p
    WHERE p.received_day BETWEEN :p_rd0 AND :p_rd1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT 'ly', r.channel, r.category, r.item_type, r.received, r.persons, r.group_cnt, r.group_persons
    FROM roll_petition_month r
    WHERE r.region_code = :region AND r.region_code BETWEEN :scope_lo AND :scope_hi
      AND r.month BETWEEN :y_rm0 AND :y_rm1
    UNION ALL
    SELECT 'ly', p.channel, p.category, p.item_type, 1, p.persons,
           CASE WHEN p.persons >= 5 THEN 1 ELSE 0 END, CASE WHEN p.persons >= 5 THEN p.persons ELSE 0 END
    FROM petition p
    WHERE p.received_day BETWEEN :y_rd0 AND :y_rd1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
) t
GROUP BY t.span, t.channel, t.category, t.item_type
ORDER BY t.span, t.channel, t.category, t.item_type
