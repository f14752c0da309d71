-- name: network_refresh_expected
-- One level of roll_network_expected: each region at :level counts itself (a city or county: one centre, a
-- township: one station, a village: one station; the province nothing) plus its children's rows — the same
-- counts as network_expected over the region table's subtree.
INSERT INTO roll_network_expected (region_code, expected_centre, expected_town, expected_village)
SELECT t.region_code, SUM(t.centre), SUM(t.town), SUM(t.village)
FROM (
    SELECT g.code AS region_code,
           CASE WHEN g.level IN (2, 3) THEN 1 ELSE 0 END AS centre,
           CASE WHEN g.level = 4 THEN 1 ELSE 0 END AS town,
           CASE WHEN g.level = 5 THEN 1 ELSE 0 END AS village
    FROM region g
    WHERE g.level = :level
    UNION ALL
    SELECT g.parent_code, r.expected_centre, r.expected_town, r.expected_village
    FROM roll_network_expected r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level
) t
GROUP BY t.region_code
