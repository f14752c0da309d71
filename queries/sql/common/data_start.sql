-- name: data_start
-- first month with facts for the period selectors: payments (yyyymm) and petitions (yyyymmdd) of the scope root
SELECT (SELECT MIN(p.month) FROM roll_payment_month p WHERE p.region_code = :root) AS first_month,
       (SELECT MIN(d.day) FROM roll_petition_day d WHERE d.region_code = :root) AS first_day
