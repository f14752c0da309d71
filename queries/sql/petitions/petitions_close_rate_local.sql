-- name: petitions_close_rate_local
-- Below the viewer's root (a city of the province, a county, a township, a village): the same counts read
-- through ix_petition_region_day — the subtree's rows only; COALESCE on received_day keeps every planner
-- off ix_petition_day (the whole scope's year). The root view keeps petitions_close_rate.
-- X3 办结率 (年累计): petitions of the subtree received from 1 Jan to the period end, as at that end:
-- accepted (accepted_day <= end) and, of those, closed (closed_day <= end). 'ytd' = this year to :d1,
-- 'ytd_ly' = last year from 1 Jan to :y_d1 (the same cut).
SELECT 'ytd' AS span,
       SUM(CASE WHEN p.accepted_day <= :d1 THEN 1 ELSE 0 END) AS accepted,
       SUM(CASE WHEN p.accepted_day <= :d1 AND p.closed_day <= :d1 THEN 1 ELSE 0 END) AS closed
FROM petition p
WHERE COALESCE(p.received_day, 0) BETWEEN :ytd0 AND :d1
  AND p.region_code BETWEEN :region_lo AND :region_hi
  AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
UNION ALL
SELECT 'ytd_ly',
       SUM(CASE WHEN p.accepted_day <= :y_d1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.accepted_day <= :y_d1 AND p.closed_day <= :y_d1 THEN 1 ELSE 0 END)
FROM petition p
WHERE COALESCE(p.received_day, 0) BETWEEN :y_ytd0 AND :y_d1
  AND p.region_code BETWEEN :region_lo AND :region_hi
  AND COALESCE(p.region_code, '') BETWEEN :scope_lo AND :scope_hi
