-- name: report_employed_helped
-- 帮助实现就业创业: distinct veterans with a status change to 城镇就业/返乡务农/创业 effective in [:d0, :d1]
-- (any cohort; a change of job in the year counts the person once).
SELECT COUNT(DISTINCT s.veteran_id) AS helped
FROM employment_status s
WHERE s.status IN ('城镇就业', '返乡务农', '创业')
  AND s.effective_day BETWEEN :d0 AND :d1
  AND s.region_code BETWEEN :region_lo AND :region_hi
  AND s.region_code BETWEEN :scope_lo AND :scope_hi
