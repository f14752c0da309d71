-- name: petitions_close_rate_state
-- petitions_close_rate from roll_petition_state: the region's received / accepted / closed of this year's
-- cohort (:ytd_year) as at :d1 and last year's (:y_year) as at :y_d1 — one seek each. No row (or received
-- 0) = no petition received in the span; the caller then reports NULL like the raw query's empty SUM.
SELECT 'ytd' AS span, s.received, s.accepted, s.closed
FROM roll_petition_state s
WHERE s.region_code = :region AND s.cohort = :ytd_year
  AND s.day = (SELECT MAX(x.day) FROM roll_petition_state x
                WHERE x.region_code = :region AND x.cohort = :ytd_year AND x.day <= :d1)
  AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
UNION ALL
SELECT 'ytd_ly', y.received, y.accepted, y.closed
FROM roll_petition_state y
WHERE y.region_code = :region AND y.cohort = :y_year
  AND y.day = (SELECT MAX(x.day) FROM roll_petition_state x
                WHERE x.region_code = :region AND x.cohort = :y_year AND x.day <= :y_d1)
  AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
