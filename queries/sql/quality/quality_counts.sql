-- name: quality_counts
-- Findings of the last refresh by check: counties (or unknown codes) affected and rows involved.
SELECT q.check_kind, COUNT(DISTINCT q.place_code) AS places, SUM(q.cases) AS cases
FROM roll_quality q
GROUP BY q.check_kind
ORDER BY q.check_kind
