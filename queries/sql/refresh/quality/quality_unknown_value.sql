-- name: quality_unknown_value
-- 取值不在允许范围: payment rows whose 资金类别 or 发放状态 is not one of the schema's values
-- (queries/schema.py comments); such rows fall out of every per-kind figure.
INSERT INTO roll_quality (check_kind, source, place_code, cases, example_id, worst)
SELECT 'unknown_value', 'payment', COALESCE(g.code, x.region_code), SUM(x.cases), MIN(x.example_id), NULL
FROM (
    SELECT p.region_code AS region_code, COUNT(*) AS cases, MIN(p.payment_id) AS example_id
    FROM payment p
    WHERE p.fund_kind NOT IN ('残疾抚恤金', '定期抚恤金', '定期生活补助', '义务兵家庭优待金', '医疗补助', '临时救助')
       OR p.status NOT IN ('已发放', '未发放', '退回')
    GROUP BY p.region_code
) x
LEFT JOIN region g ON g.level = 3 AND g.short_code = SUBSTR(x.region_code, 1, 6)
GROUP BY COALESCE(g.code, x.region_code)
