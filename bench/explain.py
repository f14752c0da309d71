"""EXPLAIN of each page's heaviest queries: runs a page callback, captures the named queries with their binds
and their times, then prints the plan of the slowest few (SQLite: EXPLAIN QUERY PLAN; PostgreSQL:
EXPLAIN (ANALYZE, BUFFERS) — rows read per node).

    python bench/explain.py --url sqlite:////work/demo-province.sqlite --root 43 [--top 2]
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from config.settings import Settings  # noqa: E402
from dashboard.context import make_context, set_context  # noqa: E402
from queries.db import Database  # noqa: E402
from queries.loader import load_sql  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--root", default="43")
    parser.add_argument("--top", type=int, default=2)
    parser.add_argument("--pages", default="/,/network,/placement,/funds,/petitions")
    args = parser.parse_args()
    import bench.run as br
    from dashboard.app import create_app
    settings = Settings(database_url=args.url, root_region=args.root, cache_type="NullCache", **br.BENCH_AUTH)
    app = create_app(settings)
    set_context(make_context(settings))
    client = app.server.test_client()
    captured: list[tuple[str, dict, float]] = []
    original = Database.frame

    def spy(self, name, params=None, sql=None, **kw):
        import time
        start = time.perf_counter()
        try:
            return original(self, name, params, sql, **kw)
        finally:
            if sql is None:
                captured.append((name, dict(params or {}), (time.perf_counter() - start) * 1000))
    Database.frame = spy
    db = Database(args.url)
    for path in args.pages.split(","):
        for label, search in br.views(args.root):
            if label not in (br.views(args.root)[0][0], "村"):
                continue
            payload = br.page_callback_payload(client, path, search)
            client.post("/_dash-update-component", json=payload)       # warm
            captured.clear()
            client.post("/_dash-update-component", json=payload)
            for name, params, ms in sorted(captured, key=lambda c: -c[2])[:args.top]:
                print(f"\n### {path} {label} — {name}: {ms:.0f} ms (load {os.getloadavg()[0]:.2f})")
                sql = load_sql(name, dialect=db.dialect)[name]
                prefix = "EXPLAIN QUERY PLAN " if db.dialect == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
                with db.engine.connect() as conn:
                    for row in conn.execute(text(prefix + sql), params):
                        print("    " + " | ".join(str(v) for v in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
