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

from queries.loader import load_sql
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


def data_as_of(engine) -> date:
    """The data's as-of date from the meta table (today if absent)."""
    with engine.connect() as conn:
        value = conn.execute(text("SELECT meta_value FROM meta WHERE meta_key = :k"), {"k": "as_of"}).scalar()
    return date.fromisoformat(value) if value else date.today()


def refresh(engine, progress=None, as_of: date | None = None) -> dict[str, float]:
    """Rebuild every rollup in its own transaction; returns seconds per rollup.

    as_of (default: meta.as_of) decides which payments count as already due.
    """
    asof_key = day_key(as_of or data_as_of(engine))
    timings = {}
    for table, rollup in ROLLUPS.items():
        start = time.perf_counter()
        with engine.begin() as conn:
            if engine.dialect.name in ("mysql", "mariadb"):
                # MariaDB may pick a LATERAL DERIVED ("split materialized") plan that regroups all payments
                # once per person — minutes instead of seconds for the duplicate check
                conn.execute(text("SET SESSION optimizer_switch = 'split_materialized=off'"))
            conn.execute(text(rollup.delete))
            for step in rollup.steps:
                levels = (5, 4, 3, 2, 1) if step.per_level else (None,)
                for level in levels:
                    params = {"asof": asof_key} if level is None else \
                        {"level": level, "child_level": level + 1, "asof": asof_key}
                    conn.execute(text(_SQL[step.sql_name]), params)
        timings[table] = time.perf_counter() - start
        log.info("refreshed %s in %.1f s", table, timings[table])
        if progress:
            progress(table)
    with engine.begin() as conn:              # the app follows the version: new numbers without a restart
        record_coverage(conn)
        bump_data_version(conn)
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return timings
