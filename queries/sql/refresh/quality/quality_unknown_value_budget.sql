-- name: quality_unknown_value_budget
-- 取值不在允许范围: budget rows of a 资金类别 that is not one of the schema's values.
INSERT INTO roll_quality (check_kind, source, place_code, cases, example_id, worst)
SELECT 'unknown_value', 'budget', b.region_code, COUNT(*), NULL, NULL
FROM budget b
WHERE b.fund_kind NOT IN ('残疾抚恤金', '定期抚恤金', '定期生活补助', '义务兵家庭优待金', '医疗补助', '临时救助')
GROUP BY b.region_code
