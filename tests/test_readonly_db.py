"""The app under test reads the operational database through a read-only connection; the fixtures write.

PostgreSQL and MariaDB: the SELECT-only account dash_ro (.ci/run create_roles, docs/accounts.md) — an INSERT
through the app's engine is refused by the server. SQLite: the served file is opened query_only
(dashboard.context.make_context), so the live app of the page tests cannot write its database either.
"""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from config.settings import Settings
from dashboard.context import make_context

# what each server says when the account may not write (PostgreSQL: first the role's read-only default)
REFUSED = {"sqlite": "attempt to write a readonly database", "postgresql": "cannot execute INSERT in a read-only "
           "transaction", "mysql": "INSERT command denied", "mariadb": "INSERT command denied"}
PROBE_KEY = "ro_probe"


def _insert_meta(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO meta (meta_key, meta_value) VALUES (:k, 'x')"), {"k": PROBE_KEY})


def _probe_rows(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT COUNT(*) FROM meta WHERE meta_key = :k"), {"k": PROBE_KEY}).scalar()


def test_app_connection_reads_but_cannot_insert(reader_db, fixture_db, fixture_data):
    with reader_db.engine.connect() as conn:
        regions = conn.execute(text("SELECT COUNT(*) FROM region")).scalar()
    assert regions == len(fixture_data["region"]) > 0
    with pytest.raises(DBAPIError) as refused:
        _insert_meta(reader_db.engine)
    assert REFUSED[reader_db.dialect] in str(refused.value)
    assert _probe_rows(fixture_db.engine) == 0                  # the writer sees that nothing was written


@pytest.mark.parametrize("fixture_db", ["postgresql"], indirect=True)
def test_postgresql_role_is_refused_even_outside_read_only_transactions(reader_db):
    """default_transaction_read_only can be switched off by the session: the grant itself must refuse."""
    assert reader_db.dialect == "postgresql"
    with reader_db.engine.connect() as conn:
        conn.execute(text("SET SESSION default_transaction_read_only = off"))
        conn.commit()                            # the next transaction starts read-write
        try:
            with pytest.raises(DBAPIError) as refused:
                conn.execute(text("INSERT INTO meta (meta_key, meta_value) VALUES (:k, 'x')"), {"k": PROBE_KEY})
            assert "permission denied for table meta" in str(refused.value)
        finally:
            conn.rollback()
            conn.execute(text("RESET default_transaction_read_only"))
            conn.commit()


def test_tables_the_writer_creates_later_are_readable(reader_db, fixture_db):
    """`vetdash refresh` rebuilds roll_* tables as the writer: the reader sees them without a new GRANT."""
    with fixture_db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS ro_probe_later"))
        conn.execute(text("CREATE TABLE ro_probe_later (n INTEGER)"))
        conn.execute(text("INSERT INTO ro_probe_later (n) VALUES (41), (1)"))
    try:
        with reader_db.engine.connect() as conn:
            assert conn.execute(text("SELECT SUM(n) FROM ro_probe_later")).scalar() == 42
            conn.rollback()
    finally:
        with fixture_db.engine.begin() as conn:
            conn.execute(text("DROP TABLE ro_probe_later"))


def test_served_sqlite_file_is_opened_read_only(tmp_path):
    """make_context (create_app, vetdash serve) opens a writable SQLite file query_only."""
    path = tmp_path / "ops.sqlite"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE meta (meta_key TEXT PRIMARY KEY, meta_value TEXT)")
        raw.execute("INSERT INTO meta VALUES ('as_of', '2026-12-03')")
    ctx = make_context(Settings(database_url=f"sqlite:///{path}"))
    try:
        assert ctx.meta() == {"as_of": "2026-12-03"}
        with pytest.raises(DBAPIError, match="attempt to write a readonly database"):
            _insert_meta(ctx.db.engine)
    finally:
        ctx.db.engine.dispose()
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 1


def test_live_app_of_the_page_tests_cannot_write(live_db_url):
    from tests.browser import _APP, get_app
    get_app(live_db_url)
    engine = _APP["context"].db.engine
    assert engine.url.render_as_string(hide_password=False) == _APP["url"]
    with pytest.raises(DBAPIError, match="attempt to write a readonly database"):
        _insert_meta(engine)
