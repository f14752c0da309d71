-- name: quality_negative_budget
-- 负数金额: budget rows with a negative amount (a budget has no row id: no example).
INSERT INTO roll_quality (check_kind, source, place_code, cases, example_id, worst)
SELECT 'negative', 'budget', COALESCE(g.code, x.region_code), SUM(x.cases), NULL, NULL
FROM (
    SELECT b.region_code AS region_code, COUNT(*) AS cases
    FROM budget b
    WHERE b.amount < 0
    GROUP BY b.region_code
) x
LEFT JOIN region g ON g.level = 3 AND g.short_code = SUBSTR(x.region_code, 1, 6)
GROUP BY COALESCE(g.code, x.region_code)
