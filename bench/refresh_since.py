"""Times each month-local rollup rebuilt whole vs from one month on (`refresh --since`), and the rollups that
`--since` still rebuilds whole, with the load average.

    python bench/refresh_since.py --url sqlite:////work/demo-province.sqlite --since 2026-11

Each rebuild is its own transaction on the database as it is (the rows it writes equal those it deletes), in
the registry's order, so a rollup read by a later one (roll_311_person, roll_petition_day) is in place.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from queries.loader import load_sql  # noqa: E402
from queries.periods import day_key  # noqa: E402
from queries.refresh import _SQL, ROLLUPS, data_as_of, since_binds  # noqa: E402


def rebuild(engine, table: str, since: str | None) -> float:
    rollup, extra = ROLLUPS[table], since_binds(since)
    asof = day_key(data_as_of(engine))
    sql = load_sql(*_SQL, dialect=engine.dialect.name)        # as refresh() runs them (dialect overrides)
    start = time.perf_counter()
    with engine.begin() as conn:
        if engine.dialect.name in ("mysql", "mariadb"):       # as refresh() sets it
            conn.execute(text("SET SESSION optimizer_switch = 'split_materialized=off'"))
        conn.execute(text(rollup.since_delete if since else rollup.delete), extra)
        if rollup.fill:
            rollup.fill(conn, asof)
        for step in rollup.steps:
            for level in ((5, 4, 3, 2, 1) if step.per_level else (None,)):
                params = {"asof": asof, **extra} if level is None else \
                    {"level": level, "child_level": level + 1, "asof": asof, **extra}
                conn.execute(text(sql[step.sql_name]), params)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--since", default="2026-11")
    parser.add_argument("--local-only", action="store_true", help="skip the rollups --since rebuilds whole")
    args = parser.parse_args()
    engine = create_engine(args.url)
    print(f"load average at start {os.getloadavg()[0]:.2f}", flush=True)
    sums = {"whole": 0.0, "since": 0.0, "whole_only": 0.0}
    for table, rollup in ROLLUPS.items():
        if rollup.since_delete:
            whole = rebuild(engine, table, None)
            load_whole = os.getloadavg()[0]
            part = rebuild(engine, table, args.since)
            sums["whole"] += whole
            sums["since"] += part
            print(f"{table:28} whole {whole:7.2f} s (load {load_whole:.2f})   since {args.since} {part:7.2f} s "
                  f"(load {os.getloadavg()[0]:.2f})   ratio {part / whole if whole else 0:.3f}", flush=True)
        elif not args.local_only:
            whole = rebuild(engine, table, None)
            sums["whole_only"] += whole
            print(f"{table:28} whole {whole:7.2f} s (load {os.getloadavg()[0]:.2f})   rebuilt whole by --since too",
                  flush=True)
    print(f"month-local rollups: whole {sums['whole']:.1f} s, since {args.since} {sums['since']:.1f} s; "
          f"rebuilt whole either way: {sums['whole_only']:.1f} s; load average at end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
