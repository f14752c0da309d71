-- name: overview_petitions
-- X1 信访量 (期间), X4 按期办结率 (期间: 期限日在本期内的件), X8 每万名退役军人信访量.
-- Reads roll_petition_day and roll_veteran_month. Rows: the region and its children.
SELECT g.code AS region_code,
       (SELECT SUM(r.received) FROM roll_petition_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :d0 AND :d1) AS received,
       (SELECT SUM(r.received) FROM roll_petition_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :p_d0 AND :p_d1) AS received_prev,
       (SELECT SUM(r.received) FROM roll_petition_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :y_d0 AND :y_d1) AS received_ly,
       (SELECT SUM(r.due_cnt) FROM roll_petition_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :d0 AND :d1) AS due_cnt,
       (SELECT SUM(r.due_closed_ontime) FROM roll_petition_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :d0 AND :d1) AS due_ontime,
       (SELECT SUM(r.due_cnt) FROM roll_petition_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :p_d0 AND :p_d1) AS due_cnt_prev,
       (SELECT SUM(r.due_closed_ontime) FROM roll_petition_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :p_d0 AND :p_d1) AS due_ontime_prev,
       (SELECT SUM(r.due_cnt) FROM roll_petition_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :y_d0 AND :y_d1) AS due_cnt_ly,
       (SELECT SUM(r.due_closed_ontime) FROM roll_petition_day r
         WHERE r.region_code = g.code AND r.day BETWEEN :y_d0 AND :y_d1) AS due_ontime_ly,
       (SELECT v.stock FROM roll_veteran_stock v
         WHERE v.region_code = g.code AND v.month <= :m1
         ORDER BY v.month DESC LIMIT 1) AS veterans
FROM region g
WHERE (g.code = :region OR g.parent_code = :region)
  AND g.code BETWEEN :scope_lo AND :scope_hi
ORDER BY g.code
