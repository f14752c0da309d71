-- name: quality_no_budget
-- 县无预算: a county (not a functional zone) with payment rows but no budget row for the as-of year,
-- so its 资金执行率 cannot be computed.
INSERT INTO roll_quality (check_kind, source, place_code, cases, example_id, worst)
SELECT 'no_budget', 'budget', g.code, 1, NULL, NULL
FROM region g
WHERE g.level = 3
  AND NOT g.is_functional
  AND EXISTS (SELECT 1 FROM payment p WHERE p.region_code BETWEEN g.code AND g.code_hi)
  AND NOT EXISTS (SELECT 1 FROM budget b
                  WHERE b.region_code = g.code AND b.year = (:asof - :asof % 10000) / 10000)
