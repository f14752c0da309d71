-- name: petitions_hot_places
-- Townships (level 4) and villages (level 5) inside the region (not the region itself) with at least
-- :min_cases petitions received in the period, with the veterans stock at :m1 (X8 per 万名退役军人).
-- The page applies the minimum-veterans rule and ranks by rate (ratios in Python).
-- The period is split in Python (queries.petitions.split_months): whole months [:rm0, :rm1] from
-- roll_petition_place_month (a month range of ix_rppm, places with petitions only; skipped when empty), the other days [:rd0, :rd1]
-- (a week) from the raw table, each petition counted for its village and that village's township.
-- ":rd0 <= :rd1" is a constant test: a whole-month period skips the raw branches (else the township branch
-- probes the petition index once per village of the subtree, 29,534 probes at the province root, for nothing).
-- veterans: the roll_veteran_stock row with the greatest month ≤ :m1 (one backward seek per place).
-- The scope filter is a safety net (binds already refuse an out-of-scope region); COALESCE keeps it
-- from being chosen as the index range, which at the root is the whole table.
SELECT t.region_code, t.level, t.received, t.persons, t.group_cnt, t.repeat_cnt, t.skip_cnt,
       (SELECT s.stock FROM roll_veteran_stock s
         WHERE s.region_code = t.region_code AND s.month <= :m1
         ORDER BY s.month DESC LIMIT 1) AS veterans
FROM (
    SELECT u.region_code AS region_code, u.level AS level,
           SUM(u.received) AS received, SUM(u.persons) AS persons, SUM(u.group_cnt) AS group_cnt,
           SUM(u.repeat_cnt) AS repeat_cnt, SUM(u.skip_cnt) AS skip_cnt
    FROM (
        SELECT r.region_code AS region_code, r.level AS level, r.received AS received, r.persons AS persons,
               r.group_cnt AS group_cnt, r.repeat_cnt AS repeat_cnt, r.skip_cnt AS skip_cnt
        FROM roll_petition_place_month r
        WHERE r.month BETWEEN :rm0 AND :rm1
          AND :rm0 <= :rm1
          AND r.region_code BETWEEN :region_lo AND :region_hi
          AND COALESCE(r.region_code, '') BETWEEN :scope_lo AND :scope_hi
          AND r.region_code <> :region
        UNION ALL
        SELECT g.code, g.level, 1, p.persons, CASE WHEN p.persons >= 5 THEN 1 ELSE 0 END,
               CASE WHEN p.is_repeat THEN 1 ELSE 0 END, CASE WHEN p.is_skip_level THEN 1 ELSE 0 END
        FROM petition p
        JOIN region g ON g.code = p.region_code
        WHERE p.received_day BETWEEN :rd0 AND :rd1
          AND :rd0 <= :rd1
          AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
          AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
          AND g.level IN (4, 5)
          AND g.code <> :region
        UNION ALL
        SELECT g.parent_code, 4, 1, p.persons, CASE WHEN p.persons >= 5 THEN 1 ELSE 0 END,
               CASE WHEN p.is_repeat THEN 1 ELSE 0 END, CASE WHEN p.is_skip_level THEN 1 ELSE 0 END
        FROM petition p
        JOIN region g ON g.code = p.region_code
        WHERE p.received_day BETWEEN :rd0 AND :rd1
          AND :rd0 <= :rd1
          AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
          AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
          AND g.level = 5
          AND g.parent_code BETWEEN :region_lo AND :region_hi
          AND g.parent_code <> :region
    ) u
    GROUP BY u.region_code, u.level
    HAVING SUM(u.received) >= :min_cases
) t
ORDER BY t.region_code
