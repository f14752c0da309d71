-- name: petitions_refresh_place_month
-- Once, after roll_petition_month: townships and villages with petitions, one row per month × place,
-- summed over channel × category × item type. petitions_hot_places reads a month range of it on
-- ix_rppm (month, region_code) instead of probing roll_petition_month once per place of the subtree.
INSERT INTO roll_petition_place_month (month, region_code, level, received, persons, group_cnt, repeat_cnt, skip_cnt)
SELECT r.month, r.region_code, g.level, SUM(r.received), SUM(r.persons), SUM(r.group_cnt),
       SUM(r.repeat_cnt), SUM(r.skip_cnt)
FROM roll_petition_month r JOIN region g ON g.code = r.region_code
WHERE g.level IN (4, 5) AND r.month >= :since_month
GROUP BY r.month, r.region_code, g.level
