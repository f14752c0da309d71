-- name: refresh_petition_day
-- Each measure is counted on its own day: received, deadline (due) or closing day; :since_day (0 = all)
-- limits each branch to the days `refresh --since` rebuilds.
INSERT INTO roll_petition_day (region_code, day, received, persons, repeat_cnt, skip_cnt, group_cnt,
                               accepted_timely, due_cnt, due_closed_ontime, closed_cnt, rated_cnt, satisfied_cnt)
SELECT t.region_code, t.day, SUM(t.received), SUM(t.persons), SUM(t.repeat_cnt), SUM(t.skip_cnt),
       SUM(t.group_cnt), SUM(t.accepted_timely), SUM(t.due_cnt), SUM(t.due_closed_ontime),
       SUM(t.closed_cnt), SUM(t.rated_cnt), SUM(t.satisfied_cnt)
FROM (
    SELECT p.region_code AS region_code, p.received_day AS day, 1 AS received, p.persons AS persons,
           CASE WHEN p.is_repeat THEN 1 ELSE 0 END AS repeat_cnt,
           CASE WHEN p.is_skip_level THEN 1 ELSE 0 END AS skip_cnt,
           CASE WHEN p.persons >= 5 THEN 1 ELSE 0 END AS group_cnt,
           CASE WHEN p.accepted_day IS NOT NULL AND p.accepted_day <= p.accept_deadline_day THEN 1 ELSE 0 END AS accepted_timely,
           0 AS due_cnt, 0 AS due_closed_ontime, 0 AS closed_cnt, 0 AS rated_cnt, 0 AS satisfied_cnt
    FROM petition p JOIN region g ON g.code = p.region_code
    WHERE g.level = :level AND p.received_day >= :since_day
    UNION ALL
    SELECT p.region_code, p.due_day, 0, 0, 0, 0, 0, 0, 1,
           CASE WHEN p.closed_day IS NOT NULL AND p.closed_day <= p.due_day THEN 1 ELSE 0 END,
           0, 0, 0
    FROM petition p JOIN region g ON g.code = p.region_code
    WHERE g.level = :level AND p.due_day IS NOT NULL AND p.due_day >= :since_day
    UNION ALL
    SELECT p.region_code, p.closed_day, 0, 0, 0, 0, 0, 0, 0, 0, 1,
           CASE WHEN p.satisfaction IS NOT NULL THEN 1 ELSE 0 END,
           CASE WHEN p.satisfaction IN ('满意', '基本满意') THEN 1 ELSE 0 END
    FROM petition p JOIN region g ON g.code = p.region_code
    WHERE g.level = :level AND p.closed_day IS NOT NULL AND p.closed_day >= :since_day
    UNION ALL
    SELECT g.parent_code, r.day, r.received, r.persons, r.repeat_cnt, r.skip_cnt, r.group_cnt,
           r.accepted_timely, r.due_cnt, r.due_closed_ontime, r.closed_cnt, r.rated_cnt, r.satisfied_cnt
    FROM roll_petition_day r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.day >= :since_day
) t
GROUP BY t.region_code, t.day
