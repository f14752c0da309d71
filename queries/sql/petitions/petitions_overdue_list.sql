-- name: petitions_overdue_list
-- Open overdue petitions of the subtree as at :d1 (accepted, not closed by :d1, deadline before :d1),
-- most overdue first, at most :max_rows. No names: the page masks petition_id.
-- Two branches on ix_petition_open (closed_day, due_day); COALESCE: see petitions_overdue_count.
SELECT t.petition_id, t.region_code, t.received_day, t.channel, t.category, t.item_type,
       t.persons, t.due_day, t.extended
FROM (
    SELECT p.petition_id, p.region_code, p.received_day, p.channel, p.category, p.item_type,
           p.persons, p.due_day, p.extended
    FROM petition p
    WHERE p.closed_day IS NULL AND p.due_day < :d1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
    UNION ALL
    SELECT p.petition_id, p.region_code, p.received_day, p.channel, p.category, p.item_type,
           p.persons, p.due_day, p.extended
    FROM petition p
    WHERE p.closed_day > :d1 AND p.due_day < :d1
      AND COALESCE(p.region_code, '') BETWEEN :region_lo AND :region_hi
      AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
) t
ORDER BY t.due_day, t.petition_id
LIMIT :max_rows
