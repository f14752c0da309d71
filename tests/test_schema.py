"""The schema is the same on SQLite, PostgreSQL and MariaDB; Chinese text survives; docs/schema.md is current."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from queries import schema
from tests.fixtures import YIZHANG

ROOT = Path(__file__).resolve().parents[1]
CHINESE = "测试村（退役军人服务站）·𠮷"        # 𠮷 is outside the BMP: needs utf8mb4 on MariaDB


def test_tables_and_columns_match_metadata(fixture_db):
    """create_all (run by populate) made every table with exactly the metadata's columns, in order."""
    insp = inspect(fixture_db.engine)
    present = set(insp.get_table_names())
    assert set(schema.metadata.tables) <= present, sorted(set(schema.metadata.tables) - present)
    assert set(schema.RAW_TABLES) | set(schema.ROLLUP_TABLES) == set(schema.metadata.tables)
    for name, table in schema.metadata.tables.items():
        got = [c["name"] for c in insp.get_columns(name)]
        assert got == [c.name for c in table.columns], name
        got_pk = insp.get_pk_constraint(name)["constrained_columns"]
        assert got_pk == [c.name for c in table.primary_key.columns], name
        wanted = {i.name for i in table.indexes}
        assert wanted <= {i["name"] for i in insp.get_indexes(name)}, name


def test_nullability_matches_metadata(fixture_db):
    insp = inspect(fixture_db.engine)
    for name, table in schema.metadata.tables.items():
        got = {c["name"]: c["nullable"] for c in insp.get_columns(name)}
        for col in table.columns:
            if not col.primary_key:
                assert got[col.name] == col.nullable, (name, col.name)


def test_create_all_is_idempotent(fixture_db):
    before = fixture_db.frame("count", sql="SELECT COUNT(*) AS n FROM region")["n"].iloc[0]
    schema.create_all(fixture_db.engine)
    after = fixture_db.frame("count", sql="SELECT COUNT(*) AS n FROM region")["n"].iloc[0]
    assert before == after > 0


def test_chinese_round_trip(fixture_db):
    """Insert a Chinese name (incl. a 4-byte character) and read it back — rolled back afterwards."""
    with fixture_db.engine.connect() as conn:
        trans = conn.begin()
        try:
            conn.execute(schema.region.insert(), {
                "code": "431022999999", "short_code": "431022999999", "code_hi": "431022999999",
                "name": CHINESE, "level": 5, "parent_code": "431022101000", "kind": "村", "is_functional": False,
            })
            got = conn.execute(text("SELECT name FROM region WHERE code = :c"), {"c": "431022999999"}).scalar()
            assert got == CHINESE
            found = conn.execute(text("SELECT code FROM region WHERE name = :n"), {"n": CHINESE}).scalar()
            assert found == "431022999999"
        finally:
            trans.rollback()
    assert fixture_db.frame("n", {"c": "431022999999"}, sql="SELECT code FROM region WHERE code = :c").empty


def test_fixture_names_read_back(fixture_db, fixture_data):
    got = dict(fixture_db.frame("names", sql="SELECT code, name FROM region").values.tolist())
    assert got == {r["code"]: r["name"] for r in fixture_data["region"]}
    assert got[YIZHANG] == "宜章县"
    kinds = fixture_db.frame("kinds", sql="SELECT DISTINCT category FROM petition ORDER BY category")
    assert set(kinds["category"]) == {p["category"] for p in fixture_data["petition"]}


def _doc_generator():
    spec = importlib.util.spec_from_file_location("make_schema_doc", ROOT / "docs" / "make_schema_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_schema_doc_is_current():
    gen = _doc_generator()
    current = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert current == gen.render(), "docs/schema.md is out of date: run python docs/make_schema_doc.py"


@pytest.mark.parametrize("name", sorted(schema.metadata.tables))
def test_schema_doc_lists_every_column(name):
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    section = doc.split(f"### `{name}`", 1)[1].split("### ", 1)[0]
    for col in schema.metadata.tables[name].columns:
        assert f"| {col.name} |" in section or f"| **{col.name}** |" in section, (name, col.name)
