-- name: weekly_placement_unreported
-- 逾期未报到 for the weekly review: placements whose 30-day report deadline (report_deadline_day =
-- discharge + 30) fell in [:due0, :d1] and who had not been received (报到登记) by :d1, counted for
-- :region and each child (placement.region_code is the receiving county, so a township counts nothing).
SELECT g.code AS region_code, COUNT(p.placement_id) AS unreported
FROM region g
JOIN placement p
  ON p.region_code BETWEEN g.code AND g.code_hi
 AND p.report_deadline_day BETWEEN :due0 AND :d1
 AND (p.received_day IS NULL OR p.received_day > :d1)
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code
ORDER BY g.code
