-- name: network_rollup_asof
-- The data's as-of date: roll_activity_month is cut at it and roll_unit_last is taken at it by
-- `vetdash refresh`.
SELECT m.meta_value FROM meta m WHERE m.meta_key = 'as_of'
