-- name: overview_trend
-- Monthly series for one region over [:t_m0, :t_m1]: funds, petitions, station activity, discharges.
SELECT 'funds' AS series, r.month AS month, SUM(r.amount_paid) AS value,
       SUM(r.rows_ontime_full) AS num, SUM(r.rows_due) AS den
FROM roll_payment_month r
WHERE r.region_code = :region AND r.month BETWEEN :t_m0 AND :t_m1
GROUP BY r.month
UNION ALL
SELECT 'petitions', (r.day - r.day % 100) / 100, SUM(r.received), SUM(r.due_closed_ontime), SUM(r.due_cnt)
FROM roll_petition_day r
WHERE r.region_code = :region AND r.day BETWEEN :t_d0 AND :t_d1
GROUP BY (r.day - r.day % 100) / 100
UNION ALL
SELECT 'activity', (a.day - a.day % 100) / 100, SUM(a.items), SUM(a.records), 0
FROM roll_activity_day a
WHERE a.region_code = :region AND a.day BETWEEN :t_d0 AND :t_d1
GROUP BY (a.day - a.day % 100) / 100
UNION ALL
SELECT 'discharged', v.month, SUM(v.discharged), 0, 0
FROM roll_veteran_month v
WHERE v.region_code = :region AND v.month BETWEEN :t_m0 AND :t_m1
GROUP BY v.month
