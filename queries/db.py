"""The one path to the database: bound parameters, a statement timeout per dialect, duration log."""
from __future__ import annotations

import heapq
import logging
import os
import socket
import sqlite3
import threading
import time
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache

import pandas as pd
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from queries.loader import load_sql

log = logging.getLogger("vetdash.sql")
_timings = threading.local()
_request = threading.local()         # per-request deadline (set by the web app, absent in CLI jobs)
_memo = threading.local()            # results of this page build's queries (query_memo)


class QueryError(RuntimeError):
    """A query failed; `message` is the Chinese text shown to the user."""

    def __init__(self, message: str, name: str = ""):
        super().__init__(message)
        self.message = message
        self.name = name


class QueryTimeout(QueryError):
    pass


CONNECT_TIMEOUT_S = 5      # a server that does not answer at all: give up connecting after this long
MIN_LEFT_MS = 50           # less than this left of a request's deadline: the next query is not sent
WATCHDOG_GRACE_MS = 1500  # the server's own statement timeout gets this long to answer before the socket is shut
READ_MARGIN_S = 5          # PyMySQL read timeout of the app's engine = statement timeout + this
POOL = {"pool_size": 8, "max_overflow": 8}   # per process: one per gthread thread (8) plus room for bursts
_KEEPALIVE = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}
# psycopg prepares a statement run 5 times on a connection, and after 5 more PostgreSQL may switch it to a
# generic plan — one plan for the province root and a village alike (employment_summary at the province
# root for a week: 68 ms planned for its values, 860 ms generic). Plan every query for its own values.
_NO_AUTO_PREPARE = {"prepare_threshold": None}


def make_engine(url: str, read_timeout_s: float | None = None, read_only: bool = False,
                floats: bool = False) -> Engine:
    """Engine with per-dialect connection settings: connect timeout and TCP keepalives on every driver
    (a hung server or a cut network fails fast instead of holding a worker), SQLite usable from threads.

    read_timeout_s (PyMySQL only) bounds any silent read, the connection handshake included; the app's
    Database sets it just above its statement timeout, build and refresh jobs (minutes per statement) do not.
    read_only (SQLite only): every connection refuses writes (PRAGMA query_only) — the served file has no
    database role to do it; PostgreSQL and MariaDB are read-only by the account in the URL (docs/accounts.md).
    floats: NUMERIC/DECIMAL values come back as float from the driver (the pages' figures are floats; a
    Decimal column converted afterwards costs ~0.3 ms per column in pandas)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA cache_size = -64000")
            cur.execute("PRAGMA temp_store = MEMORY")
            if read_only:
                # query_only rather than mode=ro: a WAL file opened mode=ro needs its -shm file present or
                # its folder writable, and a read-only file handle is no stronger for the app's own queries
                cur.execute("PRAGMA query_only = ON")
            cur.close()
        return engine
    if url.startswith("mysql") or url.startswith("mariadb"):
        # PyMySQL has no keepalive option; read_timeout bounds a silent socket (above the statement
        # timeout, so the server's own timeout, with its Chinese message, comes first)
        timeouts = {"read_timeout": read_timeout_s, "write_timeout": read_timeout_s} if read_timeout_s else {}
        if floats:
            timeouts["conv"] = _MYSQL_FLOAT_CONV
        return create_engine(url, pool_recycle=3600, pool_timeout=CONNECT_TIMEOUT_S, **POOL,
                             connect_args={"connect_timeout": CONNECT_TIMEOUT_S, **timeouts})
    # no pool_pre_ping: on a frozen server the ping itself hangs, outside every timeout (Database._run retries
    # once instead when a pooled connection turns out dead)
    if url.startswith("postgresql"):
        engine = create_engine(url, pool_recycle=3600, pool_timeout=CONNECT_TIMEOUT_S, **POOL,
                               connect_args={"connect_timeout": CONNECT_TIMEOUT_S, **_KEEPALIVE, **_NO_AUTO_PREPARE})
        if floats:
            event.listen(engine, "connect", _pg_numeric_as_float)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _pg_numeric_as_float(dbapi_conn, _record) -> None:
    from psycopg.types.numeric import FloatLoader
    dbapi_conn.adapters.register_loader("numeric", FloatLoader)


def _mysql_float_conv() -> dict:
    from pymysql.constants import FIELD_TYPE
    from pymysql.converters import conversions
    conv = dict(conversions)
    conv[FIELD_TYPE.NEWDECIMAL] = conv[FIELD_TYPE.DECIMAL] = float
    return conv


try:
    _MYSQL_FLOAT_CONV = _mysql_float_conv()
except ImportError:          # no PyMySQL installed: no MariaDB URL can be used either
    _MYSQL_FLOAT_CONV = {}


@contextmanager
def record_sql_time():
    """Collects (name, ms) of every query run in this thread inside the block (for bench/)."""
    _timings.items = []
    try:
        yield _timings.items
    finally:
        _timings.items = None


def set_request_deadline(seconds: float) -> None:
    """From now on, queries in this thread share `seconds` in total (the web app sets it per request)."""
    _request.deadline = (time.monotonic() + seconds, seconds)


def clear_request_deadline() -> None:
    _request.deadline = None


@contextmanager
def query_memo():
    """Within the block, this thread's identical queries (same database, name, SQL text and binds) run once:
    one page build may ask the same question twice (周例会 reads funds_audit_by_child for the funds values
    and again for its rule, and the as-of station state for every week it walks). Each caller gets a frame
    of its own. Nested blocks share the outer one's results."""
    if getattr(_memo, "results", None) is not None:
        yield
        return
    _memo.results = {}
    try:
        yield
    finally:
        _memo.results = None


def request_seconds_left() -> float | None:
    """Seconds left of this thread's request deadline (None: no deadline, e.g. a CLI job)."""
    deadline = getattr(_request, "deadline", None)
    return None if deadline is None else deadline[0] - time.monotonic()


def _remaining_ms(name: str) -> float | None:
    """Milliseconds left of this thread's request deadline (None: no deadline); raises when none are left."""
    deadline = getattr(_request, "deadline", None)
    if deadline is None:
        return None
    left = (deadline[0] - time.monotonic()) * 1000
    if left < MIN_LEFT_MS:         # a few ms are not worth a round trip: the deadline counts as spent
        raise QueryTimeout(f"本页查询已超过{deadline[1]:g}秒，已中止（查询“{name}”未执行）。请缩小范围或稍后再试。", name)
    return left


def _note(name: str, ms: float) -> None:
    items = getattr(_timings, "items", None)
    if items is not None:
        items.append((name, ms))


@lru_cache(maxsize=1024)
def _statement(sql: str):
    """text(sql), parsed once: building a TextClause scans the SQL for binds (~0.2 ms for a long query, on
    every query of every page). A TextClause is immutable, so one object serves every thread."""
    return text(sql)


class Database:
    """An engine plus the statement timeout; every query goes through `frame`."""

    def __init__(self, engine: Engine | str, timeout_ms: int = 5000, read_only: bool = False):
        self.timeout_ms = int(timeout_ms)
        read_timeout = self.timeout_ms / 1000 + READ_MARGIN_S if self.timeout_ms else None
        self.engine = make_engine(engine, read_timeout, read_only, floats=True) if isinstance(engine, str) else engine
        # only an engine of its own may keep the timeout as a session setting on its pooled connections: an
        # engine shared with writers (refresh, load, tests) would hand them a connection with a 5 s limit
        self.session_settings = isinstance(engine, str)
        self.dialect = self.engine.dialect.name

    def __repr__(self) -> str:          # stable key for flask-caching memoize
        return f"Database({self.engine.url.render_as_string(hide_password=True)})"

    def frame_or_none(self, name: str, params: dict) -> pd.DataFrame | None:
        """frame(name), or None when it fails for a reason other than time — a rollup added since the database
        was last refreshed does not exist yet, and the caller reads the raw tables instead."""
        try:
            return self.frame(name, params)
        except QueryTimeout:
            raise
        except QueryError:
            return None

    def frame(self, name: str, params: dict | None = None, sql: str | None = None,
              timeout_ms: int | None = None) -> pd.DataFrame:
        """Run the named .sql file (or given text) with bound params; returns a DataFrame.

        timeout_ms overrides the database's statement timeout for this query (0 = no limit)."""
        params = dict(params or {})
        memo = getattr(_memo, "results", None)
        if memo is not None:
            key = (id(self), name, sql, repr(sorted(params.items())))
            if key in memo:
                return _to_frame(*memo[key])
        statement = _statement(sql if sql is not None else load_sql(name, dialect=self.dialect)[name])
        limit = self.timeout_ms if timeout_ms is None else int(timeout_ms)
        left = _remaining_ms(name)
        if left is not None:           # the request's remaining time caps the statement timeout
            limit = max(1, int(min(limit or left, left)))
        start = time.perf_counter()
        try:
            rows, columns = self._run(statement, params, limit, name)
        except QueryTimeout:
            raise
        except _Abandoned as exc:
            raise QueryTimeout(f"数据库{exc.seconds:g}秒内没有响应，已放弃查询“{name}”。请稍后再试。", name) from exc
        except _Unreachable as exc:
            log.error("query %s: cannot connect to the database: %s", name, exc.__cause__)
            raise QueryError(f"无法连接数据库（查询“{name}”未执行）：服务器无响应或拒绝连接，详情已记入日志。请稍后再试。",
                             name) from exc
        except Exception as exc:
            if _is_timeout(exc):
                raise QueryTimeout(f"查询“{name}”超过{limit / 1000:g}秒未完成，已中止。请缩小范围或稍后再试。", name) from exc
            log.exception("query %s failed", name)
            raise QueryError(f"查询“{name}”失败：数据库返回错误，详情已记入日志。", name) from exc
        finally:
            ms = (time.perf_counter() - start) * 1000
            log.info("sql %s %.1f ms", name, ms, extra={"query": name, "ms": round(ms, 1)})
            _note(name, ms)
        if memo is not None:
            memo[key] = (rows, columns)
        return _to_frame(rows, columns)

    def _run(self, statement, params: dict, limit: int, name: str, retry: bool = True):
        """Execute under the statement timeout and a watchdog; one retry on a connection found dead.

        PostgreSQL reads run in autocommit (no BEGIN/ROLLBACK round trips); the rows come straight from the DBAPI
        cursor as plain tuples (SQLAlchemy's Row objects cost ~1 µs each and pandas wants tuples anyway)."""
        watchdog = None
        pooled = False
        try:
            with self.engine.connect() as conn:
                pooled = True
                if self.dialect == "postgresql" and self.session_settings:
                    # psycopg switches autocommit client-side, no round trip
                    conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                if limit > 0 and self.dialect != "sqlite":
                    watchdog = _WATCHDOG.arm(conn.connection.dbapi_connection, (limit + WATCHDOG_GRACE_MS) / 1000)
                try:
                    with self._time_limit(conn, limit):
                        result = conn.execute(statement, params)
                        columns = list(result.keys())
                        rows = result.cursor.fetchall() if result.cursor is not None else []
                        result.close()
                finally:
                    if watchdog is not None:
                        _WATCHDOG.disarm(watchdog)
                        if watchdog.fired:
                            conn.invalidate()          # its socket was shut: never back into the pool
        except Exception as exc:
            if watchdog is not None and watchdog.fired:
                raise _Abandoned(watchdog.seconds) from exc
            if not pooled:
                raise _Unreachable() from exc
            if retry and pooled and getattr(exc, "connection_invalidated", False):
                # a pooled connection the server dropped (restart, failover): no pre-ping (it could hang on a
                # frozen server outside any timeout), so the first use finds out and one retry gets a new one
                # (a connection that could not be opened at all is not retried: that already took its timeout)
                log.warning("query %s: connection lost, retrying once on a new connection", name)
                return self._run(statement, params, limit, name, retry=False)
            raise
        return rows, columns

    def scalar_rows(self, name: str, params: dict | None = None) -> list[dict]:
        return self.frame(name, params).to_dict("records")

    @contextmanager
    def _time_limit(self, conn, ms: int):
        """Statement timeout for the block; 0 means no limit on every dialect (as PostgreSQL's own 0).

        On its own engine, PostgreSQL and MariaDB keep it as a session setting, sent only when it differs from
        the one the connection already has (conn.info remembers it), so a steady page costs one round trip per
        query. On an engine shared with others it is set for this transaction only and rolled back after."""
        if self.dialect in ("postgresql", "mysql", "mariadb") and not self.session_settings:
            yield from self._transaction_limit(conn, ms)
        elif self.dialect == "postgresql":
            info = conn.info
            if not info.get("vetdash_jit_off"):
                # short dashboard queries pay ~100 ms of JIT compilation and gain nothing from it
                conn.execute(text("SELECT set_config('jit', 'off', false)"))
                info["vetdash_jit_off"] = True
            if info.get("vetdash_timeout_ms") != ms:
                conn.execute(text("SELECT set_config('statement_timeout', :ms, false)"), {"ms": str(ms)})
                info["vetdash_timeout_ms"] = ms
            yield
        elif self.dialect in ("mysql", "mariadb"):
            if conn.info.get("vetdash_timeout_ms") != ms:
                conn.execute(text("SET SESSION max_statement_time = :s"), {"s": ms / 1000})
                conn.info["vetdash_timeout_ms"] = ms
            yield
        elif self.dialect == "sqlite" and ms <= 0:
            try:
                yield
            finally:
                conn.rollback()
        elif self.dialect == "sqlite":
            raw = conn.connection.dbapi_connection
            deadline = time.perf_counter() + ms / 1000

            def _handler():
                return 1 if time.perf_counter() > deadline else 0   # non-zero aborts the statement
            raw.set_progress_handler(_handler, 10_000)
            try:
                yield
            finally:
                raw.set_progress_handler(None, 0)
                conn.rollback()
        else:
            yield


    def _transaction_limit(self, conn, ms: int):
        """The statement timeout for one transaction on a shared engine (reset before the connection goes back)."""
        if self.dialect == "postgresql":
            # transaction-local: the rollback below resets it, even after the timeout aborted the transaction
            conn.execute(text("SELECT set_config('statement_timeout', :ms, true), set_config('jit', 'off', true)"),
                         {"ms": str(ms)})
            try:
                yield
            finally:
                conn.rollback()
        else:
            conn.execute(text("SET SESSION max_statement_time = :s"), {"s": ms / 1000})
            try:
                yield
            finally:
                conn.execute(text("SET SESSION max_statement_time = 0"))
                conn.rollback()


class _Unreachable(Exception):
    """No connection could be opened (refused, connect timeout, bad credentials, missing file)."""


class _Abandoned(Exception):
    def __init__(self, seconds: float):
        super().__init__(f"no answer in {seconds:g} s")
        self.seconds = seconds


class _Armed:
    __slots__ = ("deadline", "raw", "seconds", "fired", "done")

    def __init__(self, raw, seconds: float):
        self.deadline = time.monotonic() + seconds
        self.raw = raw
        self.seconds = round(seconds, 1)
        self.fired = False
        self.done = False


class _WatchdogThread:
    """Shuts a connection's socket if its statement outlives the timeout plus a grace period.

    The statement timeout is enforced by the server; a frozen or unreachable server never enforces it and
    TCP keepalives do not help (the peer's kernel still answers). Shutting the socket makes the blocked
    read return at once, so the request fails with a message instead of holding its thread. One thread
    watches every query of the process (a timer thread per query cost ~1 ms each)."""

    def __init__(self):
        self._armed: list = []        # heap of (deadline, seq, _Armed)
        self._seq = 0
        self._cond = threading.Condition()
        self._thread = None

    def arm(self, raw, seconds: float) -> _Armed:
        entry = _Armed(raw, seconds)
        with self._cond:
            if self._thread is None or not self._thread.is_alive():   # also after a fork
                self._thread = threading.Thread(target=self._loop, name="vetdash-sql-watchdog", daemon=True)
                self._thread.start()
            self._seq += 1
            heapq.heappush(self._armed, (entry.deadline, self._seq, entry))
            self._cond.notify()
        return entry

    def disarm(self, entry: _Armed) -> None:
        with self._cond:              # under the lock: once this returns, the socket is never shut any more
            entry.done = True         # (the loop drops the entry when its deadline comes up)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._armed and self._armed[0][2].done:
                    heapq.heappop(self._armed)
                if not self._armed:
                    self._cond.wait()
                    continue
                wait = self._armed[0][0] - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                entry = heapq.heappop(self._armed)[2]
                if not entry.done:
                    entry.fired = True
                    try:
                        _shutdown_socket(entry.raw)
                    except Exception:          # noqa: BLE001 — best effort; the driver's own timeouts remain
                        log.warning("watchdog could not shut a database socket", exc_info=True)


_WATCHDOG = _WatchdogThread()


def _shutdown_socket(raw) -> None:
    """shutdown(2) the driver's socket (psycopg: pgconn.socket fd; PyMySQL: _sock)."""
    sock = getattr(raw, "_sock", None)
    if sock is not None:
        sock.shutdown(socket.SHUT_RDWR)
        return
    pgconn = getattr(raw, "pgconn", None)
    if pgconn is not None:
        dup = socket.socket(fileno=os.dup(pgconn.socket))
        try:
            dup.shutdown(socket.SHUT_RDWR)      # shutdown acts on the socket, not on this descriptor
        finally:
            dup.close()


def _is_timeout(exc: Exception) -> bool:
    msg = str(exc).lower()
    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.OperationalError) and "interrupted" in msg:
        return True
    return ("statement timeout" in msg or "canceling statement" in msg
            or "max_statement_time" in msg or "query execution was interrupted" in msg)


def _to_frame(rows: list, columns: list[str]) -> pd.DataFrame:
    """The rows as a DataFrame, DECIMAL columns (PostgreSQL numeric sums, MariaDB DECIMAL) as float — the
    app's own engines already get floats from the driver; this serves engines made elsewhere (tests, jobs).

    A column's type is read from its first non-NULL value, usually in the first row."""
    frame = pd.DataFrame.from_records(rows, columns=columns)
    pending = set(range(len(columns)))
    decimal_columns = []
    for row in rows:
        for i in [i for i in pending if row[i] is not None]:
            pending.discard(i)
            if isinstance(row[i], Decimal):
                decimal_columns.append(columns[i])
        if not pending:
            break
    for col in decimal_columns:
        frame[col] = frame[col].astype(float)
    return frame
