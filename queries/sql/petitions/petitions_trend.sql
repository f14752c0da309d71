-- name: petitions_trend
-- Monthly rollup series of one region over [:t_d0, :t_d1]: 件数, 人次, flags, and the numerators and
-- denominators of X2 (only received days up to :x2_cut, whose acceptance deadline has passed),
-- X4 (by deadline day) and X9 (by closing day).
SELECT (r.day - r.day % 100) / 100 AS month,
       SUM(r.received) AS received, SUM(r.persons) AS persons,
       SUM(r.repeat_cnt) AS repeat_cnt, SUM(r.skip_cnt) AS skip_cnt, SUM(r.group_cnt) AS group_cnt,
       SUM(CASE WHEN r.day <= :x2_cut THEN r.received ELSE 0 END) AS x2_received,
       SUM(CASE WHEN r.day <= :x2_cut THEN r.accepted_timely ELSE 0 END) AS x2_timely,
       SUM(r.due_cnt) AS due_cnt, SUM(r.due_closed_ontime) AS due_ontime,
       SUM(r.rated_cnt) AS rated_cnt, SUM(r.satisfied_cnt) AS satisfied_cnt
FROM roll_petition_day r
WHERE r.region_code = :region
  AND r.region_code BETWEEN :scope_lo AND :scope_hi
  AND r.day BETWEEN :t_d0 AND :t_d1
GROUP BY (r.day - r.day % 100) / 100
ORDER BY month
