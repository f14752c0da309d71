-- name: petitions_spike
-- Week-over-week spike check for the townships of the subtree: petitions received in the week
-- [:w0, :w1] and in the 4 weeks before it [:b0, :b1]; only townships with >= :min_cases this week.
-- The page flags week >= 2 × (4-week total ÷ 4).
-- The scope filter is a safety net (binds already refuse an out-of-scope region); COALESCE keeps it
-- from being chosen as the index range, which at the root is the whole table.
SELECT r.region_code,
       SUM(CASE WHEN r.day BETWEEN :w0 AND :w1 THEN r.received ELSE 0 END) AS this_week,
       SUM(CASE WHEN r.day BETWEEN :b0 AND :b1 THEN r.received ELSE 0 END) AS base_4w
FROM roll_petition_day r
JOIN region g ON g.code = r.region_code
WHERE g.level = 4
  AND g.code BETWEEN :region_lo AND :region_hi
  AND COALESCE(g.code, '') BETWEEN :scope_lo AND :scope_hi
  AND r.day BETWEEN :b0 AND :w1
GROUP BY r.region_code
HAVING SUM(CASE WHEN r.day BETWEEN :w0 AND :w1 THEN r.received ELSE 0 END) >= :min_cases
ORDER BY r.region_code
