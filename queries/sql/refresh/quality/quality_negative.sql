-- name: quality_negative
-- 负数金额: payment rows with a negative 应发 or 实发 amount, counted per county of the row's region.
INSERT INTO roll_quality (check_kind, source, place_code, cases, example_id, worst)
SELECT 'negative', 'payment', COALESCE(g.code, x.region_code), SUM(x.cases), MIN(x.example_id), NULL
FROM (
    SELECT p.region_code AS region_code, COUNT(*) AS cases, MIN(p.payment_id) AS example_id
    FROM payment p
    WHERE p.amount_due < 0 OR p.amount_paid < 0
    GROUP BY p.region_code
) x
LEFT JOIN region g ON g.level = 3 AND g.short_code = SUBSTR(x.region_code, 1, 6)
GROUP BY COALESCE(g.code, x.region_code)
