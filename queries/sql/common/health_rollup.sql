-- name: health_rollup
-- /healthz: one row of a rollup every page reads (proves the rollups exist and answer, not just `meta`)
SELECT r.region_code FROM roll_payment_month r WHERE r.region_code = :root
