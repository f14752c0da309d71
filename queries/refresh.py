"""`vetdash refresh`: rebuild the roll_* tables from the raw tables (INSERT … SELECT, per level).

Each rollup is built bottom-up: villages (level 5) first, then every parent level sums its own raw
rows plus its children's rollup rows. The same statements run on SQLite, PostgreSQL and MariaDB;
in production they run as a scheduled job.

`refresh --since YYYY-MM` rebuilds the month/day-local rollups (Rollup.since_delete: every row is keyed by a
month, day or week and sums only raw rows dated in it) from that month on, and every other rollup whole
(whole_rollups(): running sums, last activity, stocks, history-wide checks). It equals a full refresh when
(1) the month is no later than the month holding the day after the as-of date the rollups were last built
for (meta rollups_as_of; refresh refuses a later one: that month's rows were cut at the old date), and
(2) whatever was added or changed since counts only in months from then on: new rows dated then, and
changes that fall on those days (a petition closed, a death recorded). A change booked to an earlier
month — a payment of an earlier 所属期 paid late or corrected, a petition received earlier and accepted
now (受理及时 counts on the received day), a veteran who moved — needs that month as --since, or a
full refresh.
"""
from __future__ import annotations

import logging
import time
from datetime import date, timedelta

from sqlalchemy import text

from queries.loader import load_sql, pick
from queries.meta import _upsert, bump_data_version, record_coverage
from queries.periods import day_key, week_key
from queries.rollups import Rollup, Step, discover

log = logging.getLogger("vetdash.refresh")

CORE = {   # the first rollups (tables in queries/schema.py); more register in queries/rollups/
    "roll_payment_month": "refresh_payment_month",
    "roll_payment_people": "refresh_payment_people",
    "roll_petition_day": "refresh_petition_day",
    "roll_activity_day": "refresh_activity_day",
    "roll_veteran_month": "refresh_veteran_month",
}
_DELETE = {   # fixed statements: identifiers are never built from input
    "roll_payment_month": "DELETE FROM roll_payment_month",
    "roll_payment_people": "DELETE FROM roll_payment_people",
    "roll_petition_day": "DELETE FROM roll_petition_day",
    "roll_activity_day": "DELETE FROM roll_activity_day",
    "roll_veteran_month": "DELETE FROM roll_veteran_month",
}
_SINCE_DELETE = {   # all five are month/day-local (see each SQL's :since_… filters)
    "roll_payment_month": "DELETE FROM roll_payment_month WHERE month >= :since_month",
    "roll_payment_people": "DELETE FROM roll_payment_people WHERE month >= :since_month",
    "roll_petition_day": "DELETE FROM roll_petition_day WHERE day >= :since_day",
    "roll_activity_day": "DELETE FROM roll_activity_day WHERE day >= :since_day",
    "roll_veteran_month": "DELETE FROM roll_veteran_month WHERE month >= :since_month",
}
ROLLUPS_AS_OF = "rollups_as_of"     # meta: the as-of date the roll_* tables were last built for


def all_rollups() -> list[Rollup]:
    core = [Rollup(table, _DELETE[table], [Step(sql)], since_delete=_SINCE_DELETE[table])
            for table, sql in CORE.items()]
    return core + discover()


ROLLUPS = {r.table: r for r in all_rollups()}
_SQL = load_sql(*{step.sql_name for r in ROLLUPS.values() for step in r.steps})


def whole_rollups() -> list[str]:
    """Rollups `refresh --since` still rebuilds whole (stocks, last activity, history-wide checks)."""
    return [table for table, rollup in ROLLUPS.items() if not rollup.since_delete]


def since_binds(since: str | None) -> dict[str, int]:
    """'2026-11' -> since_month 202611, since_day 20261101, since_week 202644 (the ISO week holding the 1st)
    and since_week_day 20261026 (that week's Monday); all 0 = everything. A clear error otherwise."""
    if not since:
        return {"since_month": 0, "since_day": 0, "since_week": 0, "since_week_day": 0}
    try:
        year, month = (int(x) for x in since.split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise ValueError(f"--since 应为 年-月，如 2026-11（收到“{since}”）") from None
    monday = first - timedelta(days=first.weekday())
    return {"since_month": year * 100 + month, "since_day": day_key(first),
            "since_week": week_key(first), "since_week_day": day_key(monday)}


def _meta_date(engine, key: str) -> date | None:
    with engine.connect() as conn:
        value = conn.execute(text("SELECT meta_value FROM meta WHERE meta_key = :k"), {"k": key}).scalar()
    return date.fromisoformat(value) if value else None


def data_as_of(engine) -> date:
    """The data's as-of date from the meta table (today if absent)."""
    return _meta_date(engine, "as_of") or date.today()


def check_since(since: str, built_for: date | None, as_of: date) -> None:
    """ValueError (in Chinese) unless `--since` reaches back to the first month the rollups were not built
    whole for: the month holding the day after their as-of date (or after this refresh's, if earlier) — that
    month's rows were cut at the old date (rows_due, 截至数据日期 months)."""
    month = since_binds(since)["since_month"]
    if built_for is None:
        raise ValueError("数据库中没有上次刷新汇总表时的数据截至日期，请先不带 --since 完整刷新一次")
    first_open = min(built_for, as_of) + timedelta(days=1)
    if month > first_open.year * 100 + first_open.month:
        raise ValueError(f"--since {since} 太晚：上次刷新汇总表时数据截至 {built_for.isoformat()}，本次截至 "
                         f"{as_of.isoformat()}，{first_open:%Y-%m} 起各月都须重建"
                         f"（请用 --since {first_open:%Y-%m} 或更早）")


# Indexes that let `refresh --since` read only the new months of the payment table, on the server databases.
# Without them a since run reads all of it three times (province: 21 M rows, ~2.5 s a pass). Not on SQLite:
# its planner, which has no range statistics, would take `month >= 0` (a full refresh) through the index,
# row by row, instead of one scan. PostgreSQL and MariaDB estimate the range and keep the scan there.
SINCE_INDEXES = {   # (table, index) -> its fixed CREATE statement: identifiers are never built from input
    ("payment", "ix_payment_month"): "CREATE INDEX ix_payment_month ON payment (month)",
    ("payment", "ix_payment_paid_day"): "CREATE INDEX ix_payment_paid_day ON payment (paid_day)",
}


def ensure_since_indexes(engine) -> None:
    """Create SINCE_INDEXES where missing (PostgreSQL/MariaDB; once: ~16 s at province scale on PostgreSQL).
    Outside the refresh's transaction, which must hold no DDL."""
    if engine.dialect.name == "sqlite":
        return
    from sqlalchemy import inspect
    for (table, name), create in SINCE_INDEXES.items():
        if name not in {ix["name"] for ix in inspect(engine).get_indexes(table)}:
            with engine.begin() as conn:
                conn.execute(text(create))
            log.info("created index %s on %s", name, table)


def refresh(engine, progress=None, as_of: date | None = None, since: str | None = None,
            only: list[str] | None = None) -> dict[str, float]:
    """Rebuild every rollup inside ONE transaction; returns seconds per rollup.

    Readers keep seeing the previous rollups until the commit (PostgreSQL/MariaDB MVCC, SQLite WAL), and a
    refresh that fails or is interrupted rolls back to them: never a mix of old and new tables. (No step
    is DDL, which would commit implicitly on MariaDB.) as_of (default: meta.as_of) decides which payments
    count as already due. since ('YYYY-MM'): month-local rollups (Rollup.since_delete) rebuild only the
    months from then on; every other rollup is rebuilt whole (whole_rollups() names them). only: rebuild
    just these tables (a rollup added to an existing database; bench/), leaving the others as they are.
    """
    as_of = as_of or data_as_of(engine)
    asof_key = day_key(as_of)
    extra = since_binds(since)
    if since:
        check_since(since, _meta_date(engine, ROLLUPS_AS_OF), as_of)
    timings = {}
    sql = dict(_SQL)                    # portable text, with the dialect's overrides (queries/loader.py)
    sql.update(load_sql(*[n for n in _SQL if pick(n, engine.dialect.name) != pick(n, None)],
                        dialect=engine.dialect.name))
    # a database refreshed before a rollup was added gets its (empty) table first: CREATE outside the
    # transaction below, which must hold no DDL (MariaDB commits implicitly on DDL)
    from queries.schema import metadata, rollup_tables
    metadata.create_all(engine, tables=[metadata.tables[t] for t in rollup_tables()], checkfirst=True)
    ensure_since_indexes(engine)
    with engine.begin() as conn:
        if engine.dialect.name in ("mysql", "mariadb"):
            # MariaDB may pick a LATERAL DERIVED ("split materialized") plan that regroups all payments
            # once per person — minutes instead of seconds for the duplicate check
            conn.execute(text("SET SESSION optimizer_switch = 'split_materialized=off'"))
        for table, rollup in ROLLUPS.items():
            if only is not None and table not in only:
                continue
            start = time.perf_counter()
            if since and rollup.since_delete:
                conn.execute(text(rollup.since_delete), extra)
            else:
                conn.execute(text(rollup.delete))
            if rollup.fill:
                rollup.fill(conn, asof_key)
            for step in rollup.steps:
                levels = (5, 4, 3, 2, 1) if step.per_level else (None,)
                for level in levels:
                    params = {"asof": asof_key} if level is None else \
                        {"level": level, "child_level": level + 1, "asof": asof_key}
                    if rollup.since_delete:              # 0, 0 without --since: every month
                        params = {**params, **extra}
                    conn.execute(text(sql[step.sql_name]), params)
            timings[table] = time.perf_counter() - start
            log.info("refreshed %s in %.1f s", table, timings[table])
            if progress:
                progress(table)
        # same transaction: the app follows the version (new numbers without a restart) exactly when the
        # new rollups become visible
        record_coverage(conn)
        if only is None:            # every rollup now holds this as-of: a later --since may start after it
            _upsert(conn, ROLLUPS_AS_OF, as_of.isoformat())
        bump_data_version(conn)
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return timings
