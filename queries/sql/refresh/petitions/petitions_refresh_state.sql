-- name: petitions_refresh_state
-- Once: roll_petition_state = the running sums of roll_petition_delta per region and cohort, i.e. each
-- count as at that day (the page reads the last row on or before its day).
INSERT INTO roll_petition_state (region_code, cohort, day, received, accepted, closed, open_cnt, overdue_acc, overdue_ext_acc, overdue, overdue_ext)
SELECT r.region_code, r.cohort, r.day,
       SUM(r.received) OVER (PARTITION BY r.region_code, r.cohort ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.accepted) OVER (PARTITION BY r.region_code, r.cohort ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.closed) OVER (PARTITION BY r.region_code, r.cohort ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.open_cnt) OVER (PARTITION BY r.region_code, r.cohort ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.overdue_acc) OVER (PARTITION BY r.region_code, r.cohort ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.overdue_ext_acc) OVER (PARTITION BY r.region_code, r.cohort ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.overdue) OVER (PARTITION BY r.region_code, r.cohort ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       SUM(r.overdue_ext) OVER (PARTITION BY r.region_code, r.cohort ORDER BY r.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
FROM roll_petition_delta r
