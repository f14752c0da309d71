-- name: petitions_overdue_by_child_state
-- petitions_overdue_by_child for a province or city and its children (cities / counties), from
-- roll_petition_state (cohort 0), as petitions_overdue_count_state reads it for one region: open_cnt and
-- overdue_acc as at :d1, overdue as at :p_d1 and :y_d1 — one backward seek each per place (NULL: no
-- petition yet by that day, read as 0 by the caller).
SELECT g.code AS region_code,
       (SELECT s.open_cnt FROM roll_petition_state s
         WHERE s.region_code = g.code AND s.cohort = 0 AND s.day <= :d1
         ORDER BY s.day DESC LIMIT 1) AS open_cnt,
       (SELECT s.overdue_acc FROM roll_petition_state s
         WHERE s.region_code = g.code AND s.cohort = 0 AND s.day <= :d1
         ORDER BY s.day DESC LIMIT 1) AS overdue,
       (SELECT s.overdue FROM roll_petition_state s
         WHERE s.region_code = g.code AND s.cohort = 0 AND s.day <= :p_d1
         ORDER BY s.day DESC LIMIT 1) AS overdue_prev,
       (SELECT s.overdue FROM roll_petition_state s
         WHERE s.region_code = g.code AND s.cohort = 0 AND s.day <= :y_d1
         ORDER BY s.day DESC LIMIT 1) AS overdue_ly
FROM region g
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
ORDER BY g.code
