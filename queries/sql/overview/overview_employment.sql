-- name: overview_employment
-- E1 就业率 (时点): the :cohort year's 自主就业 veterans by their latest status as at :asof_day.
-- 就业率 = 已就业 ÷ (总数 − 复学 − 考试入学). Rows: the region and, if :with_children = 1, its children.
-- From roll_employment_day (status changes per region × cohort × day × status): the count as at :asof_day
-- is SUM(delta) over day <= :asof_day — each veteran once, by his latest row as at that day (same day: the
-- higher status_id), in that row's village and cohort. One index range per region. (The region list is an
-- IN (…UNION ALL…) so SQLite seeks it instead of scanning every region of the scope in code order.)
SELECT g.code AS region_code,
       COALESCE(SUM(r.delta), 0) AS cohort_size,
       COALESCE(SUM(CASE WHEN r.status IN ('城镇就业', '返乡务农', '创业') THEN r.delta ELSE 0 END), 0) AS employed,
       COALESCE(SUM(CASE WHEN r.status IN ('复学', '考试入学') THEN r.delta ELSE 0 END), 0) AS studying,
       COALESCE(SUM(CASE WHEN r.status = '待就业' THEN r.delta ELSE 0 END), 0) AS waiting
FROM region g
LEFT JOIN roll_employment_day r
  ON r.region_code = g.code
 AND r.cohort_year = :cohort
 AND r.day <= :asof_day
WHERE g.code IN (SELECT c.code FROM region c WHERE c.code = :region
                 UNION ALL
                 SELECT c.code FROM region c WHERE c.parent_code = :region AND :with_children = 1)
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code
ORDER BY g.code
