-- name: petitions_refresh_delta
-- One level of roll_petition_delta, for counties and up only (:level <= 3; a township or village view reads its
-- own few raw petitions): each petition's changes by day, plus the children's rows. A county takes every
-- petition of its subtree (its short code = the petition code's first 6 digits); a city or the province
-- only the petitions filed at its own code (the rest arrive in its children's rows).
-- cohort = received year: received +1 on its received day, accepted +1 on max(received, accepted),
-- closed +1 on max(received, accepted, closed) (petitions_close_rate: received from 1 Jan, accepted and
-- closed by the day). cohort 0: open_cnt +1 on accepted, −1 on closed (open on [accepted, closed));
-- overdue_acc (+ext) +1 on max(accepted, day after due), −1 on closed; overdue (+ext) +1 on the day after
-- due, −1 on closed — the day after due from roll_calendar (a deadline past the calendar is after the as-of
-- date + 40 days, so neither event can be read). The integer division stays exact on every database
-- (MariaDB's decimal result is stored into the INT column).
-- :since_day (0 = all) limits each branch to the days `refresh --since` rebuilds (by the day the branch
-- writes, so a petition received before then still adds its later acceptance, closing or overdue day).
INSERT INTO roll_petition_delta (region_code, cohort, day, received, accepted, closed, open_cnt, overdue_acc, overdue_ext_acc, overdue, overdue_ext)
SELECT t.region_code, t.cohort, t.day, SUM(t.received), SUM(t.accepted), SUM(t.closed), SUM(t.open_cnt), SUM(t.overdue_acc), SUM(t.overdue_ext_acc), SUM(t.overdue), SUM(t.overdue_ext)
FROM (
    SELECT g.code AS region_code, (p.received_day - p.received_day % 10000) / 10000 AS cohort, p.received_day AS day,
           1 AS received, 0 AS accepted, 0 AS closed, 0 AS open_cnt, 0 AS overdue_acc, 0 AS overdue_ext_acc, 0 AS overdue, 0 AS overdue_ext
    FROM petition p JOIN region g ON g.short_code = SUBSTR(p.region_code, 1, CASE :level WHEN 1 THEN 2 WHEN 2 THEN 4 ELSE 6 END)
    WHERE g.level = :level AND :level <= 3 AND (:level = 3 OR SUBSTR(p.region_code, CASE :level WHEN 1 THEN 3 ELSE 5 END, 2) = '00')
      AND p.received_day >= :since_day
    UNION ALL
    SELECT g.code, (p.received_day - p.received_day % 10000) / 10000,
           CASE WHEN p.accepted_day > p.received_day THEN p.accepted_day ELSE p.received_day END,
           0, 1, 0, 0, 0, 0, 0, 0
    FROM petition p JOIN region g ON g.short_code = SUBSTR(p.region_code, 1, CASE :level WHEN 1 THEN 2 WHEN 2 THEN 4 ELSE 6 END)
    WHERE g.level = :level AND :level <= 3 AND (:level = 3 OR SUBSTR(p.region_code, CASE :level WHEN 1 THEN 3 ELSE 5 END, 2) = '00') AND p.accepted_day IS NOT NULL
      AND CASE WHEN p.accepted_day > p.received_day THEN p.accepted_day ELSE p.received_day END >= :since_day
    UNION ALL
    SELECT g.code, (p.received_day - p.received_day % 10000) / 10000,
           CASE WHEN p.closed_day >= p.accepted_day AND p.closed_day >= p.received_day THEN p.closed_day
                WHEN p.accepted_day >= p.received_day THEN p.accepted_day ELSE p.received_day END,
           0, 0, 1, 0, 0, 0, 0, 0
    FROM petition p JOIN region g ON g.short_code = SUBSTR(p.region_code, 1, CASE :level WHEN 1 THEN 2 WHEN 2 THEN 4 ELSE 6 END)
    WHERE g.level = :level AND :level <= 3 AND (:level = 3 OR SUBSTR(p.region_code, CASE :level WHEN 1 THEN 3 ELSE 5 END, 2) = '00') AND p.accepted_day IS NOT NULL AND p.closed_day IS NOT NULL
      AND CASE WHEN p.closed_day >= p.accepted_day AND p.closed_day >= p.received_day THEN p.closed_day
           WHEN p.accepted_day >= p.received_day THEN p.accepted_day ELSE p.received_day END >= :since_day
    UNION ALL
    SELECT g.code, 0, p.accepted_day, 0, 0, 0, 1, 0, 0, 0, 0
    FROM petition p JOIN region g ON g.short_code = SUBSTR(p.region_code, 1, CASE :level WHEN 1 THEN 2 WHEN 2 THEN 4 ELSE 6 END)
    WHERE g.level = :level AND :level <= 3 AND (:level = 3 OR SUBSTR(p.region_code, CASE :level WHEN 1 THEN 3 ELSE 5 END, 2) = '00') AND p.accepted_day IS NOT NULL
      AND (p.closed_day IS NULL OR p.closed_day > p.accepted_day)
      AND p.accepted_day >= :since_day
    UNION ALL
    SELECT g.code, 0, p.closed_day, 0, 0, 0, -1, 0, 0, 0, 0
    FROM petition p JOIN region g ON g.short_code = SUBSTR(p.region_code, 1, CASE :level WHEN 1 THEN 2 WHEN 2 THEN 4 ELSE 6 END)
    WHERE g.level = :level AND :level <= 3 AND (:level = 3 OR SUBSTR(p.region_code, CASE :level WHEN 1 THEN 3 ELSE 5 END, 2) = '00') AND p.accepted_day IS NOT NULL AND p.closed_day > p.accepted_day
      AND p.closed_day >= :since_day
    UNION ALL
    SELECT g.code, 0, CASE WHEN p.accepted_day > k2.day THEN p.accepted_day ELSE k2.day END,
           0, 0, 0, 0, 1, CASE WHEN p.extended THEN 1 ELSE 0 END, 0, 0
    FROM petition p JOIN region g ON g.short_code = SUBSTR(p.region_code, 1, CASE :level WHEN 1 THEN 2 WHEN 2 THEN 4 ELSE 6 END)
    JOIN roll_calendar k1 ON k1.day = p.due_day
    JOIN roll_calendar k2 ON k2.day_no = k1.day_no + 1
    WHERE g.level = :level AND :level <= 3 AND (:level = 3 OR SUBSTR(p.region_code, CASE :level WHEN 1 THEN 3 ELSE 5 END, 2) = '00') AND p.accepted_day IS NOT NULL
      AND (p.closed_day IS NULL OR p.closed_day > CASE WHEN p.accepted_day > k2.day THEN p.accepted_day ELSE k2.day END)
      AND CASE WHEN p.accepted_day > k2.day THEN p.accepted_day ELSE k2.day END >= :since_day
    UNION ALL
    SELECT g.code, 0, p.closed_day,
           0, 0, 0, 0, -1, -CASE WHEN p.extended THEN 1 ELSE 0 END, 0, 0
    FROM petition p JOIN region g ON g.short_code = SUBSTR(p.region_code, 1, CASE :level WHEN 1 THEN 2 WHEN 2 THEN 4 ELSE 6 END)
    JOIN roll_calendar k1 ON k1.day = p.due_day
    JOIN roll_calendar k2 ON k2.day_no = k1.day_no + 1
    WHERE g.level = :level AND :level <= 3 AND (:level = 3 OR SUBSTR(p.region_code, CASE :level WHEN 1 THEN 3 ELSE 5 END, 2) = '00') AND p.accepted_day IS NOT NULL AND p.closed_day > CASE WHEN p.accepted_day > k2.day THEN p.accepted_day ELSE k2.day END
      AND p.closed_day >= :since_day
    UNION ALL
    SELECT g.code, 0, k2.day, 0, 0, 0, 0, 0, 0, 1, CASE WHEN p.extended THEN 1 ELSE 0 END
    FROM petition p JOIN region g ON g.short_code = SUBSTR(p.region_code, 1, CASE :level WHEN 1 THEN 2 WHEN 2 THEN 4 ELSE 6 END)
    JOIN roll_calendar k1 ON k1.day = p.due_day
    JOIN roll_calendar k2 ON k2.day_no = k1.day_no + 1
    WHERE g.level = :level AND :level <= 3 AND (:level = 3 OR SUBSTR(p.region_code, CASE :level WHEN 1 THEN 3 ELSE 5 END, 2) = '00') AND (p.closed_day IS NULL OR p.closed_day > k2.day)
      AND k2.day >= :since_day
    UNION ALL
    SELECT g.code, 0, p.closed_day, 0, 0, 0, 0, 0, 0, -1, -CASE WHEN p.extended THEN 1 ELSE 0 END
    FROM petition p JOIN region g ON g.short_code = SUBSTR(p.region_code, 1, CASE :level WHEN 1 THEN 2 WHEN 2 THEN 4 ELSE 6 END)
    JOIN roll_calendar k1 ON k1.day = p.due_day
    JOIN roll_calendar k2 ON k2.day_no = k1.day_no + 1
    WHERE g.level = :level AND :level <= 3 AND (:level = 3 OR SUBSTR(p.region_code, CASE :level WHEN 1 THEN 3 ELSE 5 END, 2) = '00') AND p.closed_day > k2.day
      AND p.closed_day >= :since_day
    UNION ALL
    SELECT g.parent_code, r.cohort, r.day, r.received, r.accepted, r.closed, r.open_cnt, r.overdue_acc, r.overdue_ext_acc, r.overdue, r.overdue_ext
    FROM roll_petition_delta r JOIN region g ON g.code = r.region_code
    WHERE g.level = :child_level AND r.day >= :since_day
) t
GROUP BY t.region_code, t.cohort, t.day
