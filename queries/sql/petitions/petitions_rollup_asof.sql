-- name: petitions_rollup_asof
-- The data's as-of date: roll_petition_month is cut at it by `vetdash refresh`.
SELECT m.meta_value FROM meta m WHERE m.meta_key = 'as_of'
