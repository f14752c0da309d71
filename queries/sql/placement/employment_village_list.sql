-- name: employment_village_list
-- One village (narrow filter): its 自主就业 veterans of cohorts :year-1 and :year with their latest
-- status as at :d1, since when, and this year's "311" services. Internal IDs only (masked on screen).
-- "Latest" is over ALL of a veteran's status rows (ix_emp_veteran), so a veteran who moved away is listed
-- where his latest row is — the rule of roll_employment_day. Same day: the higher status_id wins.
-- A status is recorded after discharge, so its effective_day is never before 1 Jan of its cohort
-- year: the lower bound only lets the (region_code, effective_day) index skip older cohorts' rows.
WITH here AS (
    SELECT DISTINCT s.veteran_id
    FROM employment_status s
    WHERE s.region_code BETWEEN :scope_lo AND :scope_hi
      AND s.region_code BETWEEN :region_lo AND :region_hi
      AND s.cohort_year BETWEEN :year - 1 AND :year
      AND s.effective_day BETWEEN (:year - 1) * 10000 + 101 AND :d1
),
st AS (
    SELECT s.veteran_id, s.region_code, s.cohort_year, s.status, s.hardship, s.effective_day AS d_from,
           LEAD(s.effective_day) OVER (PARTITION BY s.veteran_id ORDER BY s.effective_day, s.status_id) AS d_to
    FROM here h
    JOIN employment_status s ON s.veteran_id = h.veteran_id
    WHERE s.effective_day <= :d1
)
SELECT st.veteran_id, st.cohort_year, st.status, st.hardship, st.d_from AS since_day,
       (SELECT COUNT(*) FROM service_event e
         WHERE e.region_code BETWEEN :scope_lo AND :scope_hi
           AND e.region_code BETWEEN :region_lo AND :region_hi AND e.day BETWEEN :ytd0 AND :d1
           AND e.veteran_id = st.veteran_id AND e.kind = '岗位推荐') AS n_ref,
       (SELECT COUNT(*) FROM service_event e
         WHERE e.region_code BETWEEN :scope_lo AND :scope_hi
           AND e.region_code BETWEEN :region_lo AND :region_hi AND e.day BETWEEN :ytd0 AND :d1
           AND e.veteran_id = st.veteran_id AND e.kind = '职业指导') AS n_guide,
       (SELECT COUNT(*) FROM service_event e
         WHERE e.region_code BETWEEN :scope_lo AND :scope_hi
           AND e.region_code BETWEEN :region_lo AND :region_hi AND e.day BETWEEN :ytd0 AND :d1
           AND e.veteran_id = st.veteran_id AND e.kind = '技能培训信息') AS n_info
FROM st
WHERE st.d_to IS NULL
  AND st.region_code BETWEEN :region_lo AND :region_hi
  AND st.cohort_year BETWEEN :year - 1 AND :year
ORDER BY st.cohort_year, st.veteran_id
