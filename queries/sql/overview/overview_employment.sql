-- name: overview_employment
-- E1 就业率 (时点): the :cohort year's 自主就业 veterans by their latest status as at :asof_day.
-- 就业率 = 已就业 ÷ (总数 − 复学 − 考试入学). Rows: the region and, if :with_children = 1, its children.
SELECT g.code AS region_code,
       COUNT(st.veteran_id) AS cohort_size,
       SUM(CASE WHEN st.status IN ('城镇就业', '返乡务农', '创业') THEN 1 ELSE 0 END) AS employed,
       SUM(CASE WHEN st.status IN ('复学', '考试入学') THEN 1 ELSE 0 END) AS studying,
       SUM(CASE WHEN st.status = '待就业' THEN 1 ELSE 0 END) AS waiting
FROM region g
LEFT JOIN (
    SELECT s.veteran_id, s.region_code, s.status
    FROM employment_status s
    WHERE s.cohort_year = :cohort
      AND s.region_code BETWEEN :scope_lo AND :scope_hi
      AND s.region_code BETWEEN :region_lo AND :region_hi
      AND s.status_id = (
          SELECT MAX(s2.status_id) FROM employment_status s2
          WHERE s2.veteran_id = s.veteran_id
            AND s2.effective_day = (SELECT MAX(s3.effective_day) FROM employment_status s3
                                    WHERE s3.veteran_id = s.veteran_id AND s3.effective_day <= :asof_day))
) st ON st.region_code BETWEEN g.code AND g.code_hi
WHERE (g.code = :region OR (:with_children = 1 AND g.parent_code = :region))
  AND g.code BETWEEN :scope_lo AND :scope_hi
GROUP BY g.code
ORDER BY g.code
