-- name: petitions_spike_week
-- petitions_spike from roll_petition_week: townships of the subtree with >= :min_cases (>= 1) petitions in
-- ISO week :wk (that week's rows only, on ix_rpw_week) and their total over weeks :bw0..:bw1 (the 4 weeks
-- before; one seek on ix_rpw_region per township listed).
SELECT w.region_code, w.received AS this_week,
       COALESCE((SELECT SUM(b.received) FROM roll_petition_week b
                  WHERE b.region_code = w.region_code AND b.week BETWEEN :bw0 AND :bw1), 0) AS base_4w
FROM roll_petition_week w
WHERE w.week = :wk
  AND w.region_code BETWEEN :region_lo AND :region_hi
  AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
  AND w.received >= :min_cases
ORDER BY w.region_code
