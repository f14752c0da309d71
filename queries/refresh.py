"""`vetdash refresh`: rebuild the roll_* tables from the raw tables (INSERT … SELECT, per level).

Each rollup is built bottom-up: villages (level 5) first, then every parent level sums its own raw
rows plus its children's rollup rows. The same statements run on SQLite, PostgreSQL and MariaDB;
in production they run as a scheduled job.
"""
from __future__ import annotations

import logging
import time
from datetime import date

from sqlalchemy import text

from queries.loader import load_sql, pick
from queries.meta import bump_data_version, record_coverage
from queries.periods import day_key
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


def all_rollups() -> list[Rollup]:
    core = [Rollup(table, _DELETE[table], [Step(sql)]) for table, sql in CORE.items()]
    return core + discover()


ROLLUPS = {r.table: r for r in all_rollups()}
_SQL = load_sql(*{step.sql_name for r in ROLLUPS.values() for step in r.steps})


def whole_rollups() -> list[str]:
    """Rollups `refresh --since` still rebuilds whole (stocks, last activity, history-wide checks)."""
    return [table for table, rollup in ROLLUPS.items() if not rollup.since_delete]


def since_binds(since: str | None) -> dict[str, int]:
    """'2026-11' -> since_month 202611, since_day 20261101 (0, 0 = everything); a clear error otherwise."""
    if not since:
        return {"since_month": 0, "since_day": 0}
    try:
        year, month = (int(x) for x in since.split("-"))
        date(year, month, 1)
    except ValueError:
        raise ValueError(f"--since 应为 年-月，如 2026-11（收到“{since}”）") from None
    return {"since_month": year * 100 + month, "since_day": (year * 100 + month) * 100 + 1}


def data_as_of(engine) -> date:
    """The data's as-of date from the meta table (today if absent)."""
    with engine.connect() as conn:
        value = conn.execute(text("SELECT meta_value FROM meta WHERE meta_key = :k"), {"k": "as_of"}).scalar()
    return date.fromisoformat(value) if value else date.today()


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
    asof_key = day_key(as_of or data_as_of(engine))
    extra = since_binds(since)
    timings = {}
    sql = dict(_SQL)                    # portable text, with the dialect's overrides (queries/loader.py)
    sql.update(load_sql(*[n for n in _SQL if pick(n, engine.dialect.name) != pick(n, None)],
                        dialect=engine.dialect.name))
    # a database refreshed before a rollup was added gets its (empty) table first: CREATE outside the
    # transaction below, which must hold no DDL (MariaDB commits implicitly on DDL)
    from queries.schema import metadata, rollup_tables
    metadata.create_all(engine, tables=[metadata.tables[t] for t in rollup_tables()], checkfirst=True)
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
        bump_data_version(conn)
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return timings
