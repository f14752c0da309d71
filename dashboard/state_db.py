"""The dashboard's own state database (not the operational one): accounts, display tokens and the audit log,
weekly flag snapshots, issued briefs. One `metadata`, small tables, created on first use; one engine per URL
per process.

URL from VETDASH_STATE_URL (any SQLAlchemy URL); default a SQLite file beside the demo database in the
user data folder. Never the operational database: the dashboard only reads that one.
"""
from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import (BigInteger, Boolean, Column, DateTime, Float, Integer, LargeBinary, MetaData, String,
                        Table, Text, create_engine, event)
from sqlalchemy.dialects.mysql import LONGBLOB
from sqlalchemy.engine import Engine, make_url

metadata = MetaData()

# ------------------------------------------------------------------ accounts (dashboard/auth)
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

# ------------------------------------------------------------------ weekly review (dashboard/weekly)
# One row per (week, viewed region) for which flags were recorded: "a snapshot exists for this week".
weekly_snapshot = Table(
    "weekly_snapshot", metadata,
    Column("week", String(8), primary_key=True, comment="ISO 周 2026-W48"),
    Column("view_region", String(12), primary_key=True, comment="查看的区划(12位)"),
    Column("taken_at", DateTime, nullable=False),
    Column("flags", Integer, nullable=False, default=0),
    comment="周例会预警快照(每周每区划一次)",
)

# The flags of that snapshot: one row per rule × flagged region.
weekly_flag = Table(
    "weekly_flag", metadata,
    Column("week", String(8), primary_key=True),
    Column("view_region", String(12), primary_key=True),
    Column("rule", String(40), primary_key=True, comment="指标id或规则id"),
    Column("region_code", String(12), primary_key=True, comment="预警的区划(12位)"),
    Column("value", Float, nullable=True),
    Column("value_text", String(80), nullable=True),
    comment="周例会预警快照明细",
)

# Every weekly brief (.docx) issued from /weekly, kept exactly as issued: a download returns these bytes,
# never a regeneration, whatever the data version is now.
issued_brief = Table(
    "issued_brief", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("region_code", String(12), nullable=False, index=True, comment="简报的区划(12位)"),
    Column("week", String(8), nullable=False, comment="期次 ISO 周 2026-W48"),
    Column("data_version", String(40), nullable=False, comment="签发时的数据版本 data_version/as_of"),
    Column("issued_by", String(64), nullable=False, comment="签发人账号"),
    Column("issued_at", DateTime, nullable=False),
    Column("file_name", String(200), nullable=False),
    # MariaDB's BLOB stops at 64 KB; a brief with charts is a few hundred KB
    Column("content", LargeBinary().with_variant(LONGBLOB(), "mysql", "mariadb"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    comment="已签发的周例会简报(原样保存)",
)

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def default_state_url() -> str:
    from config.settings import default_state_path
    return f"sqlite:///{default_state_path()}"


def state_engine(url: str | None = None) -> Engine:
    """The engine for the state URL (one per URL per process); every table above created on first use."""
    url = url or default_state_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            parsed = make_url(url)
            sqlite = parsed.get_backend_name() == "sqlite"
            if sqlite and parsed.database not in (None, "", ":memory:"):
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, pool_pre_ping=True)
            if sqlite:
                event.listen(engine, "connect", _sqlite_pragmas)
            metadata.create_all(engine)
            _engines[url] = engine
    return engine


def current_state_engine() -> Engine:
    """The state database of the running app (settings.state_db_url)."""
    from dashboard.context import get_context
    return state_engine(get_context().settings.state_db_url)


def _sqlite_pragmas(dbapi_conn, _record):
    # several gunicorn workers write the audit log and snapshots: wait for the lock instead of failing
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout = 10000")
    cur.execute("PRAGMA journal_mode = WAL")        # sign-ins read while the audit log is written
    cur.close()


def dispose_all() -> None:
    """Close every state engine (tests)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
