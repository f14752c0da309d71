-- name: petitions_hot_places
-- Townships (level 4) and villages (level 5) inside the region (not the region itself) with at least
-- :min_cases petitions received in the period, with the veterans stock at :m1 (X8 per 万名退役军人).
-- The page applies the minimum-veterans rule and ranks by rate (ratios in Python).
-- The scope filter is a safety net (binds already refuse an out-of-scope region); COALESCE keeps it
-- from being chosen as the index range, which at the root is the whole table.
SELECT t.region_code, t.level, t.received, t.persons, t.group_cnt, t.repeat_cnt, t.skip_cnt,
       (SELECT SUM(v.discharged) - SUM(v.died) FROM roll_veteran_month v
         WHERE v.region_code = t.region_code AND v.month <= :m1) AS veterans
FROM (
    SELECT r.region_code AS region_code, g.level AS level,
           SUM(r.received) AS received, SUM(r.persons) AS persons, SUM(r.group_cnt) AS group_cnt,
           SUM(r.repeat_cnt) AS repeat_cnt, SUM(r.skip_cnt) AS skip_cnt
    FROM roll_petition_day r
    JOIN region g ON g.code = r.region_code
    WHERE g.level IN (4, 5)
      AND g.code BETWEEN :region_lo AND :region_hi
      AND COALESCE(g.code, '') BETWEEN :scope_lo AND :scope_hi
      AND g.code <> :region
      AND r.day BETWEEN :d0 AND :d1
    GROUP BY r.region_code, g.level
    HAVING SUM(r.received) >= :min_cases
) t
ORDER BY t.region_code
