"""queries/loader.py: `<name>.<dialect>.sql` overrides the portable `<name>.sql` on that dialect only."""
from __future__ import annotations

import pytest

from queries import loader


def _write(folder, name, body):
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def test_override_is_picked_for_its_dialect_only(tmp_path):
    _write(tmp_path, "q.sql", "-- name: q\nSELECT 1")
    _write(tmp_path, "q.postgresql.sql", "-- name: q\nSELECT 2")
    _write(tmp_path, "r.sql", "-- name: r\nSELECT 3")
    files, variants = loader._scan(tmp_path)
    assert set(files) == {"q", "r"} and set(variants) == {("q", "postgresql")}
    assert loader.pick("q", "postgresql", files, variants).name == "q.postgresql.sql"
    assert loader.pick("q", "sqlite", files, variants).name == "q.sql"
    assert loader.pick("q", "mariadb", files, variants).name == "q.sql"
    assert loader.pick("r", "postgresql", files, variants).name == "r.sql"


def test_mariadb_reads_the_mysql_override(tmp_path):
    _write(tmp_path, "q.sql", "-- name: q\nSELECT 1")
    _write(tmp_path, "q.mysql.sql", "-- name: q\nSELECT 2")
    files, variants = loader._scan(tmp_path)
    assert loader.pick("q", "mariadb", files, variants).name == "q.mysql.sql"
    assert loader.pick("q", "mysql", files, variants).name == "q.mysql.sql"


@pytest.mark.parametrize("files, message", [
    ({"q.oracle.sql": "SELECT 1", "q.sql": "SELECT 1"}, "unknown dialect"),
    ({"q.postgresql.sql": "SELECT 1"}, "without a portable query"),
    ({"q.postgresql.sql": "-- name: other\nSELECT 1", "q.sql": "SELECT 1"}, "header name"),
])
def test_bad_overrides_fail_at_scan(tmp_path, files, message):
    for name, body in files.items():
        _write(tmp_path, name, body)
    with pytest.raises(loader.QueryNameError, match=message):
        loader._scan(tmp_path)


def test_the_product_queries_load_on_every_dialect():
    """Every shipped query (and any override) loads for each dialect, and the portable text is the default."""
    for dialect in ("sqlite", "postgresql", "mysql", "mariadb", None):
        texts = loader.load_sql(*loader.all_names(), dialect=dialect)
        assert set(texts) == set(loader.all_names())
    assert "roll_network_state" in loader.load_sql("network_units_state", dialect="postgresql")["network_units_state"]
