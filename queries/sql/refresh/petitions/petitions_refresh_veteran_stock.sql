-- name: petitions_refresh_veteran_stock
-- Once, after roll_veteran_month (a core rollup, refreshed before the registered ones): the running
-- stock Σ (discharged − died) per region up to each of its months.
INSERT INTO roll_veteran_stock (region_code, month, stock)
SELECT v.region_code, v.month,
       SUM(v.discharged - v.died) OVER (PARTITION BY v.region_code ORDER BY v.month)
FROM roll_veteran_month v
