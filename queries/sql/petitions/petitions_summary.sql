-- name: petitions_summary
-- Rollup totals of the region and each child for the period (cur), the previous period (p_) and the
-- same period last year (y_), plus the veterans stock at each range's last month (X8 denominator:
-- the roll_veteran_stock row with the greatest month ≤ :m1 / :p_m1 / :y_m1, one backward seek each).
-- X1 received/persons, X5 repeat, X6 skip, X7 group (batches) by received day; X2 timely acceptance
-- only over received days whose 15-day deadline has passed by the as-of date (:x2_d1 etc.), so the
-- status of every counted petition is final; X4 by deadline day; X9 by closing day.
-- :children = 0: the region alone (a card's stand-in value for another period needs no children).
-- One pass over roll_petition_day per region: the join range [:y_d0, :d1] covers all three ranges.
SELECT g.code AS region_code,
       s.received, s.persons, s.repeat_cnt, s.skip_cnt, s.group_cnt, s.x2_received, s.x2_timely,
       s.due_cnt, s.due_ontime, s.rated_cnt, s.satisfied_cnt,
       s.p_received, s.p_persons, s.p_repeat_cnt, s.p_skip_cnt, s.p_group_cnt, s.p_x2_received, s.p_x2_timely,
       s.p_due_cnt, s.p_due_ontime, s.p_rated_cnt, s.p_satisfied_cnt,
       s.y_received, s.y_persons, s.y_repeat_cnt, s.y_skip_cnt, s.y_group_cnt, s.y_x2_received, s.y_x2_timely,
       s.y_due_cnt, s.y_due_ontime, s.y_rated_cnt, s.y_satisfied_cnt,
       (SELECT v.stock FROM roll_veteran_stock v
         WHERE v.region_code = g.code AND v.month <= :m1
         ORDER BY v.month DESC LIMIT 1) AS veterans,
       (SELECT v.stock FROM roll_veteran_stock v
         WHERE v.region_code = g.code AND v.month <= :p_m1
         ORDER BY v.month DESC LIMIT 1) AS p_veterans,
       (SELECT v.stock FROM roll_veteran_stock v
         WHERE v.region_code = g.code AND v.month <= :y_m1
         ORDER BY v.month DESC LIMIT 1) AS y_veterans
FROM region g
LEFT JOIN (
    SELECT r.region_code AS region_code,
           SUM(CASE WHEN r.day BETWEEN :d0 AND :d1 THEN r.received ELSE 0 END) AS received,
           SUM(CASE WHEN r.day BETWEEN :d0 AND :d1 THEN r.persons ELSE 0 END) AS persons,
           SUM(CASE WHEN r.day BETWEEN :d0 AND :d1 THEN r.repeat_cnt ELSE 0 END) AS repeat_cnt,
           SUM(CASE WHEN r.day BETWEEN :d0 AND :d1 THEN r.skip_cnt ELSE 0 END) AS skip_cnt,
           SUM(CASE WHEN r.day BETWEEN :d0 AND :d1 THEN r.group_cnt ELSE 0 END) AS group_cnt,
           SUM(CASE WHEN r.day BETWEEN :d0 AND :x2_d1 THEN r.received ELSE 0 END) AS x2_received,
           SUM(CASE WHEN r.day BETWEEN :d0 AND :x2_d1 THEN r.accepted_timely ELSE 0 END) AS x2_timely,
           SUM(CASE WHEN r.day BETWEEN :d0 AND :d1 THEN r.due_cnt ELSE 0 END) AS due_cnt,
           SUM(CASE WHEN r.day BETWEEN :d0 AND :d1 THEN r.due_closed_ontime ELSE 0 END) AS due_ontime,
           SUM(CASE WHEN r.day BETWEEN :d0 AND :d1 THEN r.rated_cnt ELSE 0 END) AS rated_cnt,
           SUM(CASE WHEN r.day BETWEEN :d0 AND :d1 THEN r.satisfied_cnt ELSE 0 END) AS satisfied_cnt,
           SUM(CASE WHEN r.day BETWEEN :p_d0 AND :p_d1 THEN r.received ELSE 0 END) AS p_received,
           SUM(CASE WHEN r.day BETWEEN :p_d0 AND :p_d1 THEN r.persons ELSE 0 END) AS p_persons,
           SUM(CASE WHEN r.day BETWEEN :p_d0 AND :p_d1 THEN r.repeat_cnt ELSE 0 END) AS p_repeat_cnt,
           SUM(CASE WHEN r.day BETWEEN :p_d0 AND :p_d1 THEN r.skip_cnt ELSE 0 END) AS p_skip_cnt,
           SUM(CASE WHEN r.day BETWEEN :p_d0 AND :p_d1 THEN r.group_cnt ELSE 0 END) AS p_group_cnt,
           SUM(CASE WHEN r.day BETWEEN :p_d0 AND :p_x2_d1 THEN r.received ELSE 0 END) AS p_x2_received,
           SUM(CASE WHEN r.day BETWEEN :p_d0 AND :p_x2_d1 THEN r.accepted_timely ELSE 0 END) AS p_x2_timely,
           SUM(CASE WHEN r.day BETWEEN :p_d0 AND :p_d1 THEN r.due_cnt ELSE 0 END) AS p_due_cnt,
           SUM(CASE WHEN r.day BETWEEN :p_d0 AND :p_d1 THEN r.due_closed_ontime ELSE 0 END) AS p_due_ontime,
           SUM(CASE WHEN r.day BETWEEN :p_d0 AND :p_d1 THEN r.rated_cnt ELSE 0 END) AS p_rated_cnt,
           SUM(CASE WHEN r.day BETWEEN :p_d0 AND :p_d1 THEN r.satisfied_cnt ELSE 0 END) AS p_satisfied_cnt,
           SUM(CASE WHEN r.day BETWEEN :y_d0 AND :y_d1 THEN r.received ELSE 0 END) AS y_received,
           SUM(CASE WHEN r.day BETWEEN :y_d0 AND :y_d1 THEN r.persons ELSE 0 END) AS y_persons,
           SUM(CASE WHEN r.day BETWEEN :y_d0 AND :y_d1 THEN r.repeat_cnt ELSE 0 END) AS y_repeat_cnt,
           SUM(CASE WHEN r.day BETWEEN :y_d0 AND :y_d1 THEN r.skip_cnt ELSE 0 END) AS y_skip_cnt,
           SUM(CASE WHEN r.day BETWEEN :y_d0 AND :y_d1 THEN r.group_cnt ELSE 0 END) AS y_group_cnt,
           SUM(CASE WHEN r.day BETWEEN :y_d0 AND :y_x2_d1 THEN r.received ELSE 0 END) AS y_x2_received,
           SUM(CASE WHEN r.day BETWEEN :y_d0 AND :y_x2_d1 THEN r.accepted_timely ELSE 0 END) AS y_x2_timely,
           SUM(CASE WHEN r.day BETWEEN :y_d0 AND :y_d1 THEN r.due_cnt ELSE 0 END) AS y_due_cnt,
           SUM(CASE WHEN r.day BETWEEN :y_d0 AND :y_d1 THEN r.due_closed_ontime ELSE 0 END) AS y_due_ontime,
           SUM(CASE WHEN r.day BETWEEN :y_d0 AND :y_d1 THEN r.rated_cnt ELSE 0 END) AS y_rated_cnt,
           SUM(CASE WHEN r.day BETWEEN :y_d0 AND :y_d1 THEN r.satisfied_cnt ELSE 0 END) AS y_satisfied_cnt
    FROM roll_petition_day r
    JOIN region c ON c.code = r.region_code
    WHERE (c.code = :region OR (:children = 1 AND c.parent_code = :region))
      AND r.day BETWEEN :y_d0 AND :d1
    GROUP BY r.region_code
) s ON s.region_code = g.code
WHERE (g.code = :region OR (:children = 1 AND g.parent_code = :region))
  AND g.code BETWEEN :scope_lo AND :scope_hi
ORDER BY g.code
