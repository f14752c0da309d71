"""Test setup: database URLs from the environment, one fixture database per dialect, strict mode for CI.

- SQLite always runs (a temp file). PostgreSQL and MariaDB come from VETDASH_TEST_POSTGRES_URL /
  VETDASH_TEST_MARIADB_URL (defaults below); each is probed once and skipped when unreachable.
- VETDASH_REQUIRE_ALL=1 (set by .ci/run) turns every missing resource and every skip into a failure,
  so a test cannot silently not run in CI. xfail stays xfail.
- Use `require(ok, reason)` (from tests.conftest import require) for any other resource; tests marked
  `browser` call `require_chromium()` automatically (Chromium at /usr/bin/chromium).
- `fixture_db` yields a queries.db.Database holding tests/fixtures.py's rows, once per dialect per session;
  `fixture_data` gives the same rows as Python lists, to compute expected values independently.
- `reader_db` is the same data as the app reads it: PostgreSQL/MariaDB through the read-only account
  (RO_URLS, VETDASH_TEST_*_RO_URL; created by .ci/run create_roles), SQLite query_only. Model tests build
  their AppContext on it; fixture_db (the writer) is for building and changing data.
"""
from __future__ import annotations

import os
import sys
import time
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:            # `from tests.fixtures import …` also under plain `pytest`
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, make_url, text  # noqa: E402

# Browser fixtures (one Chromium and one live app per session) registered once for every module;
# importing them into several modules would start a second Playwright inside the first's event loop.
pytest_plugins = ["tests.browser"]
from sqlalchemy.pool import NullPool  # noqa: E402

DIALECTS = ["sqlite", "postgresql", "mariadb"]
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mariadb": "MariaDB"}
DEFAULT_URLS = {
    "postgresql": "postgresql+psycopg://dash:dash@127.0.0.1:5432/dashdb",
    "mariadb": "mysql+pymysql://dash:dash@127.0.0.1:3306/dashdb?charset=utf8mb4",
}
URL_ENV = {"postgresql": "VETDASH_TEST_POSTGRES_URL", "mariadb": "VETDASH_TEST_MARIADB_URL"}
# The app under test reads through a SELECT-only account (created by .ci/run create_roles, docs/accounts.md);
# the fixtures that build the data use the writer above. SQLite has no accounts: the app opens it query_only.
RO_URLS = {
    "postgresql": "postgresql+psycopg://dash_ro:dash_ro@127.0.0.1:5432/dashdb",
    "mariadb": "mysql+pymysql://dash_ro:dash_ro@127.0.0.1:3306/dashdb?charset=utf8mb4",
}
RO_URL_ENV = {"postgresql": "VETDASH_TEST_POSTGRES_RO_URL", "mariadb": "VETDASH_TEST_MARIADB_RO_URL"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--lang=zh-CN"]
LOCK_WAIT_S = 600                          # another pytest session on the same server: wait this long

os.environ.setdefault("DASH_TEST_CHROMEPATH", CHROMIUM)      # dash[testing] reads it for the binary


# ------------------------------------------------------------------------------------ strictness
def require_all() -> bool:
    """True in CI (VETDASH_REQUIRE_ALL=1): nothing may be skipped."""
    return os.environ.get("VETDASH_REQUIRE_ALL", "").strip().lower() in ("1", "true", "yes")


def require(resource_ok: bool, reason: str) -> None:
    """Skip the test when a resource is missing — or fail it when VETDASH_REQUIRE_ALL=1."""
    if resource_ok:
        return
    if require_all():
        pytest.fail(f"{reason} (VETDASH_REQUIRE_ALL=1: a missing resource is a failure)", pytrace=False)
    pytest.skip(reason)


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


def require_chromium() -> None:
    require(chromium_available(), f"Chromium not found at {CHROMIUM}")


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        path, lineno, message = longrepr
        return f"{message} ({path}:{lineno})"
    return str(longrepr)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and require_all() and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (f"skipped, but VETDASH_REQUIRE_ALL=1 forbids skips (CI must run every test): "
                           f"{_skip_reason(report)}")
    return report


_collect_skips: list[str] = []


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """A module skipped at collection (e.g. pytest.importorskip) fails the run in CI; the other tests
    still run (a failed collect report would interrupt the whole session)."""
    report = yield
    if report.skipped and require_all():
        _collect_skips.append(f"{report.nodeid}: {_skip_reason(report)}")
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _collect_skips:
        terminalreporter.section("skipped modules (forbidden: VETDASH_REQUIRE_ALL=1)", red=True)
        for line in _collect_skips:
            terminalreporter.line(line, red=True)


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser"):
        require_chromium()


@pytest.hookimpl(optionalhook=True)
def pytest_setup_options():
    """dash[testing] hook: headless Debian Chromium for dash_duo (STACK_NOTES §3b)."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = CHROMIUM
    for arg in CHROMIUM_ARGS + ["--window-size=1200,900"]:
        options.add_argument(arg)
    return options


def pytest_report_header(config):
    lines = [f"vetdash: VETDASH_REQUIRE_ALL={'1' if require_all() else '0'}"]
    for dialect in ("postgresql", "mariadb"):
        lines.append(f"vetdash: {LABELS[dialect]} {masked(server_url(dialect))}")
    return lines


# ------------------------------------------------------------------------------------ databases
def server_url(dialect: str) -> str:
    return os.environ.get(URL_ENV[dialect]) or DEFAULT_URLS[dialect]


def masked(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:                                  # noqa: BLE001 — only for messages
        return url


_CONNECT_ARGS = {"postgresql": {"connect_timeout": 3}, "mariadb": {"connect_timeout": 3}}
_probes: dict[str, tuple[bool, str]] = {}


def probe(dialect: str) -> tuple[bool, str]:
    """(reachable, reason) for a dialect; the server is contacted once per session."""
    if dialect == "sqlite":
        return True, ""
    if dialect not in _probes:
        url = server_url(dialect)
        try:
            engine = create_engine(url, poolclass=NullPool, connect_args=_CONNECT_ARGS[dialect])
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
            finally:
                engine.dispose()
            _probes[dialect] = (True, "")
        except Exception as exc:                       # noqa: BLE001 — any failure means "not reachable"
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            _probes[dialect] = (False, f"{LABELS[dialect]} not reachable at {masked(url)}: {first}")
    return _probes[dialect]


def require_dialect(dialect: str) -> None:
    ok, reason = probe(dialect)
    require(ok, reason)


# One registry per process, however this module is imported (pytest loads it as "conftest"; a test's
# `from tests import conftest` is a second module object): a second copy would wait for its own session's lock.
_SHARED = sys.modules.setdefault("_vetdash_test_registry", types.ModuleType("_vetdash_test_registry"))
if not hasattr(_SHARED, "locks"):
    _SHARED.locks, _SHARED.databases = {}, {}
if not hasattr(_SHARED, "readers"):
    _SHARED.readers = {}
_locks: dict[str, object] = _SHARED.locks


def _lock_server(dialect: str, url: str) -> None:
    """Hold a server-side lock for the whole session: two pytest sessions must not rebuild the same
    shared test database under each other (PostgreSQL advisory lock / MariaDB GET_LOCK)."""
    if dialect in _locks:
        return
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT",
                           connect_args=_CONNECT_ARGS[dialect])
    conn = engine.connect()
    deadline = time.monotonic() + LOCK_WAIT_S
    announced = False
    while True:
        if dialect == "postgresql":
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": 7274_0001}).scalar()
        else:
            got = conn.execute(text("SELECT GET_LOCK(:k, 0)"), {"k": "vetdash_tests"}).scalar() == 1
        if got:
            break
        if time.monotonic() > deadline:
            conn.close()
            pytest.fail(f"{LABELS[dialect]} test database {masked(url)} is locked by another test session "
                        f"for more than {LOCK_WAIT_S} s", pytrace=False)
        if not announced:
            sys.stderr.write(f"\nwaiting for another test session to release {LABELS[dialect]} ...\n")
            announced = True
        time.sleep(1)
    _locks[dialect] = (engine, conn)


_databases: dict[str, object] = _SHARED.databases


def database_url(dialect: str, tmp_path_factory) -> str:
    if dialect == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('fixture_db') / 'fixture.sqlite'}"
    return server_url(dialect)


@pytest.fixture(scope="session")
def fixture_data() -> dict[str, list[dict]]:
    """The fixture's raw rows as plain Python (the same rows `fixture_db` holds); treat as read-only."""
    from tests.fixtures import fixture_rows

    return fixture_rows()


@pytest.fixture(scope="session", params=DIALECTS, ids=DIALECTS)
def fixture_db(request, tmp_path_factory, fixture_data):
    """A queries.db.Database loaded with the fixture (fresh schema), built once per dialect per session."""
    from queries.db import Database
    from tests.fixtures import populate

    dialect = request.param
    require_dialect(dialect)
    if dialect not in _databases:
        url = database_url(dialect, tmp_path_factory)
        if dialect != "sqlite":
            _lock_server(dialect, url)
        db = Database(url)
        populate(db.engine, fixture_data)
        _databases[dialect] = db
    return _databases[dialect]


def reader_url(dialect: str) -> str:
    """The read-only account's URL for a server dialect (VETDASH_TEST_*_RO_URL, else RO_URLS)."""
    return os.environ.get(RO_URL_ENV[dialect]) or RO_URLS[dialect]


_readers: dict[str, object] = _SHARED.readers


@pytest.fixture
def reader_db(fixture_db):
    """The fixture data as the app reads it: PostgreSQL and MariaDB through the read-only account (dash_ro),
    SQLite opened query_only, as dashboard.context.make_context opens the served database."""
    from queries.db import Database

    dialect = next(d for d, db in _databases.items() if db is fixture_db)
    if dialect not in _readers:
        if dialect == "sqlite":
            url = fixture_db.engine.url.render_as_string(hide_password=False)
        else:
            url = reader_url(dialect)
            ok, reason = True, ""
            try:
                engine = create_engine(url, poolclass=NullPool, connect_args=_CONNECT_ARGS[dialect])
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1 FROM region WHERE 1 = 0"))
                engine.dispose()
            except Exception as exc:                   # noqa: BLE001 — any failure means "role missing"
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                ok, reason = False, (f"{LABELS[dialect]} read-only account {masked(url)} cannot read the test "
                                     f"database (create it as .ci/run create_roles does): {first}")
            require(ok, reason)
        _readers[dialect] = Database(url, fixture_db.timeout_ms, read_only=True)
    return _readers[dialect]


def pytest_sessionfinish(session, exitstatus):
    if _collect_skips and exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    for db in list(_readers.values()) + list(_databases.values()):
        db.engine.dispose()
    _readers.clear()
    for engine, conn in _locks.values():
        conn.close()                                   # closing the session releases the lock
        engine.dispose()
    _databases.clear()
    _locks.clear()
