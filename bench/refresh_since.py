"""Times the month-local rollups rebuilt whole vs from one month on (`refresh --since`), with the load average.

    python bench/refresh_since.py --url sqlite:////work/demo-province.sqlite --since 2026-11
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from queries.periods import day_key  # noqa: E402
from queries.refresh import _SQL, ROLLUPS, data_as_of, since_binds  # noqa: E402


def rebuild(engine, table: str, since: str | None) -> float:
    rollup, extra = ROLLUPS[table], since_binds(since)
    asof = day_key(data_as_of(engine))
    start = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text(rollup.since_delete if since else rollup.delete), extra)
        for step in rollup.steps:
            for level in ((5, 4, 3, 2, 1) if step.per_level else (None,)):
                params = {"asof": asof, **extra} if level is None else \
                    {"level": level, "child_level": level + 1, "asof": asof, **extra}
                conn.execute(text(_SQL[step.sql_name]), params)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--since", default="2026-11")
    args = parser.parse_args()
    engine = create_engine(args.url)
    for table in [t for t, r in ROLLUPS.items() if r.since_delete]:
        whole = rebuild(engine, table, None)
        load_whole = os.getloadavg()[0]
        part = rebuild(engine, table, args.since)
        print(f"{table:28} whole {whole:7.1f} s (load {load_whole:.2f})   since {args.since} {part:6.1f} s "
              f"(load {os.getloadavg()[0]:.2f})   ratio {part / whole:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
