"""queries.db.Database.frame, the one execute path: bound parameters, statement timeout, Chinese errors."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import inspect, text

from queries.db import Database, QueryError, QueryTimeout, query_memo, record_sql_time
from queries.loader import QueryNameError
from tests.fixtures import REGION_CODES, YIZHANG

CJK = re.compile(r"[\u4e00-\u9fff]")
TIMEOUT_MS = 500
SLACK_S = 2.0
# statements that run far longer than TIMEOUT_MS on each dialect: (sql, must raise QueryTimeout)
SLOW = {
    "sqlite": [("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
                "SELECT COUNT(*) AS n FROM c", True)],
    "postgresql": [("SELECT pg_sleep(5) AS s", True)],
    # MariaDB 10.11 raises ER_STATEMENT_TIMEOUT for an interrupted SLEEP, but some versions return 1
    # instead, so SLEEP need only stop in time; the heavy cross join (~10^9 rows: information_schema
    # has > 1000 columns) must raise. (A recursive CTE stops at cte_max_recursion_depth = 1000 there.)
    "mariadb": [("SELECT SLEEP(5) AS s", False),
                ("SELECT COUNT(*) AS n FROM information_schema.columns a, information_schema.columns b, "
                 "information_schema.columns c", True)],
}
HOSTILE = ["O'Brien", "'; DROP TABLE region; --", "宜章县' OR '1'='1", "\\'; DELETE FROM region; #", '"x"']


def _region_count(db) -> int:
    return int(db.frame("count", sql="SELECT COUNT(*) AS n FROM region")["n"].iloc[0])


# ------------------------------------------------------------------------- bound parameters
@pytest.mark.parametrize("value", HOSTILE)
def test_values_are_bound_not_interpolated(fixture_db, value):
    got = fixture_db.frame("by_name", {"name": value}, sql="SELECT code, name FROM region WHERE name = :name")
    assert got.empty
    assert "region" in inspect(fixture_db.engine).get_table_names()
    assert _region_count(fixture_db) == len(REGION_CODES)
    others = fixture_db.frame("not_name", {"name": value}, sql="SELECT COUNT(*) AS n FROM region WHERE name <> :name")
    assert int(others["n"].iloc[0]) == len(REGION_CODES)        # compared as a value, every row differs


def test_bound_chinese_value_and_prefix(fixture_db):
    got = fixture_db.frame("by_name", {"name": "宜章县"}, sql="SELECT code FROM region WHERE name = :name")
    assert got["code"].tolist() == [YIZHANG]
    sub = fixture_db.frame("prefix", {"prefix": "431022%"},
                           sql="SELECT code FROM region WHERE code LIKE :prefix ORDER BY code")
    assert sub["code"].tolist() == sorted(c for c in REGION_CODES if c.startswith("431022"))


def test_money_comes_back_as_float(fixture_db, fixture_data):
    got = fixture_db.frame("sum", sql="SELECT SUM(amount_paid) AS paid FROM payment")["paid"].iloc[0]
    assert isinstance(got, float)
    assert got == pytest.approx(float(sum(p["amount_paid"] for p in fixture_data["payment"])))


def test_durations_are_recorded(fixture_db):
    with record_sql_time() as items:
        fixture_db.frame("one", sql="SELECT 1 AS x")
        fixture_db.frame("meta_values")
    assert [name for name, _ in items] == ["one", "meta_values"]
    assert all(ms >= 0 for _, ms in items)


def test_a_page_build_runs_an_identical_query_once(fixture_db):
    """Inside query_memo the same name and binds run once; other binds run; each caller owns its frame."""
    sql = "SELECT code FROM region WHERE code LIKE :prefix ORDER BY code"
    expected = sorted(c for c in REGION_CODES if c.startswith("431022"))
    with record_sql_time() as items, query_memo():
        first = fixture_db.frame("prefix", {"prefix": "431022%"}, sql=sql)
        first.loc[0, "code"] = "changed by the first caller"
        again = fixture_db.frame("prefix", {"prefix": "431022%"}, sql=sql)
        other = fixture_db.frame("prefix", {"prefix": "431002%"}, sql=sql)
    assert [name for name, _ in items] == ["prefix", "prefix"]          # the repeat was not sent
    assert again["code"].tolist() == expected
    assert other["code"].tolist() == sorted(c for c in REGION_CODES if c.startswith("431002"))
    with record_sql_time() as items:                                   # outside the block: every call runs
        fixture_db.frame("prefix", {"prefix": "431022%"}, sql=sql)
        fixture_db.frame("prefix", {"prefix": "431022%"}, sql=sql)
    assert len(items) == 2


# ------------------------------------------------------------------------- statement timeout
def test_statement_timeout_stops_a_slow_query(fixture_db):
    dialect = "mariadb" if fixture_db.dialect in ("mysql", "mariadb") else fixture_db.dialect
    db = Database(fixture_db.engine, timeout_ms=TIMEOUT_MS)
    problems = []
    for sql, must_raise in SLOW[dialect]:
        start = time.perf_counter()
        try:
            result = db.frame("slow_query", sql=sql)
        except QueryTimeout as exc:
            message = str(exc)
            if not (CJK.search(message) and "秒" in message and "slow_query" in message):
                problems.append(f"{sql[:40]}: message not the Chinese timeout text: {message}")
            if "SELECT" in message.upper():
                problems.append(f"{sql[:40]}: SQL text in the message: {message}")
        except Exception as exc:                       # noqa: BLE001 — report what happened instead
            problems.append(f"{sql[:40]}: raised {type(exc).__name__} instead of QueryTimeout: {exc}")
        else:
            if must_raise:
                problems.append(f"{sql[:40]}: returned {result.values.tolist()} instead of raising QueryTimeout")
        elapsed = time.perf_counter() - start
        if elapsed > TIMEOUT_MS / 1000 + SLACK_S:
            problems.append(f"{sql[:40]}: stopped only after {elapsed:.1f} s")
        # the connection goes back to the pool usable; normal queries still run under the same limit
        assert db.frame("after", sql="SELECT 1 AS x")["x"].tolist() == [1]
    assert not problems, "\n".join(problems)
    assert _region_count(fixture_db) == len(REGION_CODES)


def test_fast_queries_run_under_the_limit(fixture_db):
    db = Database(fixture_db.engine, timeout_ms=TIMEOUT_MS)
    for _ in range(20):           # the limit is reset between statements, not a running total
        assert len(db.frame("regions", sql="SELECT code FROM region")) == len(REGION_CODES)


def test_the_limit_follows_each_query_not_the_connections_last_setting(fixture_db):
    # the timeout is kept as a session setting and re-sent only when it changes: a connection last used
    # with a long limit (or none) must still stop the next slow query at the short one
    # (a Database made from a URL owns its engine: that is the app's, and the one with session settings)
    dialect = "mariadb" if fixture_db.dialect in ("mysql", "mariadb") else fixture_db.dialect
    slow_sql = SLOW[dialect][0][0]
    url = fixture_db.engine.url.render_as_string(hide_password=False)
    strict = Database(url, timeout_ms=TIMEOUT_MS)
    try:
        for _ in range(3):
            assert strict.frame("quick", sql="SELECT 1 AS x", timeout_ms=60_000)["x"].tolist() == [1]
            assert strict.frame("unlimited", sql="SELECT 2 AS x", timeout_ms=0)["x"].tolist() == [2]
            start = time.perf_counter()
            try:
                strict.frame("slow_query", sql=slow_sql)
            except QueryTimeout:
                pass
            assert time.perf_counter() - start < TIMEOUT_MS / 1000 + SLACK_S
    finally:
        strict.engine.dispose()


def test_a_shared_engine_gets_its_connections_back_without_the_limit(fixture_db):
    # refresh, load and the tests share their engine with a Database: the connection it hands back must not
    # carry the dashboard's statement timeout into the next writer's statements
    from queries.db import make_engine
    engine = make_engine(fixture_db.engine.url.render_as_string(hide_password=False))   # as refresh makes it
    db = Database(engine, timeout_ms=TIMEOUT_MS)
    assert db.frame("one", sql="SELECT 1 AS x")["x"].tolist() == [1]
    with engine.connect() as conn:
        if fixture_db.dialect == "postgresql":
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "0"
        elif fixture_db.dialect in ("mysql", "mariadb"):
            assert float(conn.execute(text("SELECT @@max_statement_time")).scalar()) == 0
        else:                      # SQLite: the limit is a progress handler, removed after the query
            start = time.perf_counter()
            n = conn.execute(text("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                                  "WHERE x < 3000000) SELECT COUNT(*) FROM c")).scalar()
            assert n == 3_000_000 and time.perf_counter() - start > TIMEOUT_MS / 1000
    engine.dispose()


# ------------------------------------------------------------------------- errors
def test_broken_query_raises_chinese_error_without_sql(fixture_db):
    with pytest.raises(QueryError) as err:
        fixture_db.frame("broken_query", sql="SELECT no_such_column FROM region WHERE code = :c", params={"c": "43"})
    assert not isinstance(err.value, QueryTimeout)
    message = str(err.value)
    assert CJK.search(message), message
    assert "no_such_column" not in message and "SELECT" not in message.upper() and "region" not in message
    assert err.value.name == "broken_query" and err.value.message == message
    assert _region_count(fixture_db) == len(REGION_CODES)      # the pool is healthy afterwards


def test_missing_table_raises_query_error(fixture_db):
    with pytest.raises(QueryError) as err:
        fixture_db.frame("missing_table", sql="SELECT * FROM no_such_table")
    assert "no_such_table" not in str(err.value) and CJK.search(str(err.value))


def test_unknown_query_name_is_a_programming_error(fixture_db):
    with pytest.raises(QueryNameError, match="no_such_query_file"):
        fixture_db.frame("no_such_query_file")
