-- name: meta_values
SELECT m.meta_key, m.meta_value FROM meta m ORDER BY m.meta_key
