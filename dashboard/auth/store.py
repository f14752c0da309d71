"""The dashboard's own small database (accounts, display tokens, audit log) — never the operational one.

Minimal stand-in until dashboard/state_db.py lands on main: its own SQLAlchemy metadata and one engine per
URL (VETDASH_STATE_URL; SQLite in the user data folder by default). Tables are created on first use.
"""
from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import (BigInteger, Boolean, Column, DateTime, Integer, MetaData, String, Table, Text,
                        create_engine, event)
from sqlalchemy.engine import Engine, make_url

metadata = MetaData()

accounts = Table(
    "auth_account", metadata,
    Column("name", String(64), primary_key=True),           # sign-in name (工号/拼音)
    Column("full_name", String(64), nullable=False, default=""),
    Column("password_hash", String(255), nullable=True),    # None for display accounts (token only)
    Column("role", String(16), nullable=False, default=""),  # dashboard.auth.roles; "" = none yet
    Column("region", String(12), nullable=True),            # 12-digit code of the role's region
    Column("active", Boolean, nullable=False, default=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("locked_until", DateTime, nullable=True),
    Column("password_changed_at", DateTime, nullable=True),
    Column("must_change", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
)

tokens = Table(
    "auth_token", metadata,
    Column("token_hash", String(64), primary_key=True),     # sha256 of the token; the token itself is never kept
    Column("account", String(64), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime, nullable=True),
)

audit_log = Table(
    "auth_audit", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True),
    Column("account", String(64), nullable=False, default=""),
    Column("event", String(32), nullable=False, index=True),
    Column("ok", Boolean, nullable=False, default=True),
    Column("ip", String(64), nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),
)

_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


def engine_for(url: str) -> Engine:
    """One engine per state URL, tables created on first use."""
    with _LOCK:
        if url not in _ENGINES:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, pool_pre_ping=True)
            if parsed.get_backend_name() == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            metadata.create_all(engine)
            _ENGINES[url] = engine
        return _ENGINES[url]


def _sqlite_pragmas(dbapi_conn, _record):
    """Several gunicorn workers write the audit log: wait for the lock instead of failing."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout = 5000")
    cur.close()


def current_engine() -> Engine:
    """The state database of the running app (settings.state_db_url)."""
    from dashboard.context import get_context
    return engine_for(get_context().settings.state_db_url)
