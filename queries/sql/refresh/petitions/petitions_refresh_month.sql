-- name: petitions_refresh_month
-- One level of roll_petition_month: raw petitions of regions at :level (received by the as-of date :asof)
-- plus the rollup rows of their children, by received month × channel × category × item type.
-- :since_day / :since_month (0 = all) limit it to the months `refresh --since` rebuilds.
INSERT INTO roll_petition_month (region_code, month, channel, category, item_type, received, persons,
                                 group_cnt, group_persons, repeat_cnt, skip_cnt)
SELECT t.region_code, t.month, t.channel, t.category, t.item_type, SUM(t.received), SUM(t.persons),
       SUM(t.group_cnt), SUM(t.group_persons), SUM(t.repeat_cnt), SUM(t.skip_cnt)
FROM (
    SELECT p.region_code AS region_code, (p.received_day - p.received_day % 100) / 100 AS month,
           p.channel AS channel, p.category AS category, p.item_type AS item_type,
           1 AS received, p.persons AS persons,
           CASE WHEN p.persons >= 5 THEN 1 ELSE 0 END AS group_cnt,
           CASE WHEN p.persons >= 5 THEN p.persons ELSE 0 END AS group_persons,
           CASE WHEN p.is_repeat THEN 1 ELSE 0 END AS repeat_cnt,
           CASE WHEN p.is_skip_level THEN 1 ELSE 0 END AS skip_cnt
    FROM petition p JOIN region g ON g.code = p.region_code
    WHERE g.level = :level AND p.received_day <= :asof AND p.received_day >= :since_day
    UNION ALL
    SELECT g.parent_code, r.month, r.channel, r.category, r.item_type, r.received, r.persons,
           r.group_cnt, r.group_persons, r.repeat_cnt, r.skip_cnt
    FROM roll_petition_month r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.month >= :since_month
) t
GROUP BY t.region_code, t.month, t.channel, t.category, t.item_type
