-- name: network_active_months
-- Stations in the subtree with at least one service record, per month over [:t_d0, :t_d1] (numerator of
-- the monthly active share). Whole months [:rm0, :rm1] from roll_activity_month.active_units (≤ 36 rows);
-- the last month's days [:rd0, :rd1], only when it is cut before the as-of date (a past week), from the
-- stations of the subtree: one backward seek per station on ix_activity_unit_day (its last record up to
-- :rd1 is on or after :rd0). That branch is skipped when the range is empty ((1, 0)).
SELECT t.month, SUM(t.active_units) AS active_units
FROM (
    SELECT r.month AS month, r.active_units AS active_units
    FROM roll_activity_month r
    WHERE r.region_code = :region
      AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
      AND r.month BETWEEN :rm0 AND :rm1
    UNION ALL
    SELECT :rd_month, 1
    FROM service_unit s
    WHERE s.region_code BETWEEN :region_lo AND :region_hi
      AND :region_lo >= :scope_lo AND :region_hi <= :scope_hi
      AND :rd0 <= :rd1
      AND (SELECT a.day FROM station_activity a
            WHERE a.unit_id = s.unit_id AND a.day <= :rd1
            ORDER BY a.day DESC LIMIT 1) >= :rd0
) t
GROUP BY t.month
ORDER BY t.month
