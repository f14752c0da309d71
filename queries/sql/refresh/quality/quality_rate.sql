-- name: quality_rate
-- 比率超出合理范围: a county's 资金执行率 for the as-of year (实发 of the year's 所属期 months so far over the
-- year's budget, all fund kinds) above 150 %, or any budget of the year not above 0 while money was paid.
-- worst = the rate (NULL when the budget is not positive).
INSERT INTO roll_quality (check_kind, source, place_code, cases, example_id, worst)
SELECT 'rate', 'budget', paid.county, 1, NULL,
       CASE WHEN bud.amount > 0 THEN paid.amount * 1.0 / bud.amount END
FROM (
    SELECT g.code AS county, SUM(x.paid) AS amount
    FROM (
        SELECT p.region_code AS region_code, SUM(p.amount_paid) AS paid
        FROM payment p
        WHERE p.month BETWEEN (:asof - :asof % 10000) / 100 + 1 AND (:asof - :asof % 10000) / 100 + 12
        GROUP BY p.region_code
    ) x
    JOIN region g ON g.level = 3 AND g.short_code = SUBSTR(x.region_code, 1, 6)
    GROUP BY g.code
) paid
JOIN (
    SELECT b.region_code AS county, SUM(b.amount) AS amount
    FROM budget b
    WHERE b.year = (:asof - :asof % 10000) / 10000
    GROUP BY b.region_code
) bud ON bud.county = paid.county
WHERE paid.amount > 0 AND (bud.amount <= 0 OR paid.amount > 1.5 * bud.amount)
