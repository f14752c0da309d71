"""Benchmark: each page/drill callback's server time vs the SQL it runs, at city and province scale.

    python bench/run.py [--scales city,province] [--dialects sqlite,postgresql] [--repeat 15] [--cache off|on]
        [--sqlite-city PATH] [--sqlite-province PATH] [--pg-city URL] [--pg-province URL]

For every (scale, dialect) it reuses the given database (--sqlite-<scale> file, --pg-<scale> URL) or, when
none is given, builds the demo if missing (SQLite files under ~/.cache/vetdash-bench/, PostgreSQL into
--pg-url); an existing PostgreSQL demo is reused when it already holds the scale's root. Then it POSTs the pages router's callback through the
Flask test client exactly as the browser does on a drill, repeatedly, and prints p50/p95 of the callback,
of the SQL it ran (queries.db.record_sql_time), their difference (the framework's own overhead) and the
response size, the ratio callback ÷ SQL (p50) and the 1-minute load average read just after the view
(the machine is shared: compare ratios, trust absolute figures only at load < 1). Targets (issue #2/#3): p95 ≤ 150 ms, overhead p95 ≤ 50 ms, drill response ≤ 200 kB.
Always exits 0: it reports, it does not judge.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.settings import Settings  # noqa: E402
from dashboard.context import make_context, set_context  # noqa: E402
from queries.db import record_sql_time  # noqa: E402

AS_OF = date(2026, 11, 23)
CACHE = Path.home() / ".cache" / "vetdash-bench"
SCALES = {"city": "4310", "province": "43"}
# the test client is a loopback visitor: in auth_mode "demo" it is the 领导 demo session (as tests/browser.py),
# so the page callbacks answer instead of the login redirect; session state in a throwaway SQLite file
BENCH_AUTH = {"auth_mode": "demo", "secret_key": "bench",
              "state_url": f"sqlite:///{tempfile.mkdtemp(prefix='vetdash-bench-')}/state.sqlite"}
PAGES = ["/", "/network", "/placement", "/funds", "/petitions", "/rankings", "/weekly"]


def views(root: str) -> list[tuple[str, str]]:
    """(label, search) from the root down to one village, along real codes of the demo tree."""
    if root == "43":
        chain = ["43", "4310", "431022", "431022101", "431022101201"]
    else:
        chain = ["4310", "431022", "431022101", "431022101201"]
    names = {2: "省", 4: "市", 6: "县", 9: "乡镇", 12: "村"}
    return [(names[len(c)], f"?region={c}&period=2026-11") for c in chain]


def _has_root(url: str, root: str) -> bool:
    """True when the database at url already holds a refreshed demo rooted at root (reuse, don't rebuild)."""
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            code = root.ljust(12, "0")
            found = conn.execute(text("SELECT COUNT(*) FROM region WHERE code = :c"), {"c": code}).scalar()
            rolled = conn.execute(text("SELECT COUNT(*) FROM roll_payment_month")).scalar()
            return bool(found) and bool(rolled)
    except Exception:  # noqa: BLE001 — no schema yet: build it
        return False
    finally:
        engine.dispose()


def ensure_database(scale: str, dialect: str, pg_url: str, given: str | None = None) -> str:
    from queries.demo.build import build_demo
    if given:
        return given if "://" in given else f"sqlite:///{Path(given).resolve()}"
    if dialect == "postgresql" and _has_root(pg_url, SCALES[scale]):
        return pg_url
    if dialect == "sqlite":
        path = CACHE / f"{scale}.sqlite"
        if not path.exists():
            CACHE.mkdir(parents=True, exist_ok=True)
            print(f"building {scale} demo into {path} …", flush=True)
            build_demo(root=SCALES[scale], scale=scale, years=5, seed=42, as_of=AS_OF, out=str(path), progress=False)
        return f"sqlite:///{path}"
    print(f"building {scale} demo into PostgreSQL …", flush=True)
    start = time.perf_counter()
    build_demo(root=SCALES[scale], scale=scale, years=5, seed=42, as_of=AS_OF, url=pg_url, progress=False)
    print(f"  built in {time.perf_counter() - start:.0f} s", flush=True)
    return pg_url


def page_callback_payload(client, path: str, search: str) -> dict:
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if "_pages_content.children" in d["output"])
    return {"output": dep["output"],
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.search"], "state": []}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(client, path: str, search: str, repeat: int) -> dict:
    payload = page_callback_payload(client, path, search)
    totals, sqls, overheads, size, components = [], [], [], 0, 0
    for i in range(repeat + 1):
        with record_sql_time() as timings:
            start = time.perf_counter()
            response = client.post("/_dash-update-component", json=payload)
            total = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            return {"error": f"HTTP {response.status_code}"}
        if i == 0:                       # first call warms the region tree and connection pool
            continue
        sql = sum(ms for _, ms in timings)
        totals.append(total), sqls.append(sql), overheads.append(total - sql)
        size = len(response.data)
        components = response.data.count(b'"namespace"')        # Dash components in the response
    p50, sql_p50 = statistics.median(totals), statistics.median(sqls)
    return {"p50": p50, "p95": pct(totals, 0.95), "sql_p50": sql_p50,
            "sql_p95": pct(sqls, 0.95), "over_p95": pct(overheads, 0.95), "kb": size / 1024, "queries": len(timings),
            "components": components,
            "ratio": p50 / sql_p50 if sql_p50 else float("inf"), "load": os.getloadavg()[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="city,province")
    parser.add_argument("--dialects", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--pg-url", default="postgresql+psycopg://dash:dash@127.0.0.1:5432/dashperf",
                        help="where to build a missing PostgreSQL demo (never the test suites' dashdb)")
    parser.add_argument("--levels", default="", help="only these level labels, e.g. 省,村 (default: all)")
    parser.add_argument("--cache", choices=["off", "on"], default="off",
                        help="on: the in-process page cache, so every repeat after the first is a hit (the drawn "
                             "page served from the cache); off (the targets' condition): every repeat is built")
    for scale in SCALES:
        parser.add_argument(f"--sqlite-{scale}", default=None, help=f"reuse this SQLite file for {scale}")
        parser.add_argument(f"--pg-{scale}", default=None, help=f"reuse this PostgreSQL URL for {scale}")
    args = parser.parse_args()

    from dashboard.app import create_app
    app = None
    rows = []
    for scale in args.scales.split(","):
        for dialect in args.dialects.split(","):
            try:
                given = getattr(args, f"{'sqlite' if dialect == 'sqlite' else 'pg'}_{scale}")
                url = ensure_database(scale, dialect, args.pg_url, given)
            except Exception as exc:  # noqa: BLE001 — report and go on with the other combinations
                print(f"skip {scale}/{dialect}: {exc}", flush=True)
                continue
            settings = Settings(database_url=url, root_region=SCALES[scale],
                                cache_type="NullCache" if args.cache == "off" else "SimpleCache", **BENCH_AUTH)
            if app is None:
                app = create_app(settings)
            set_context(make_context(settings))
            client = app.server.test_client()
            for path in args.pages.split(","):
                for label, search in views(SCALES[scale]):
                    if args.levels and label not in args.levels.split(","):
                        continue
                    result = measure(client, path, search, args.repeat)
                    rows.append((scale, dialect, path, label, result))
                    print(_row(scale, dialect, path, label, result), flush=True)
    print()
    print(_table(rows))
    return 0


HEADER = (f"{'scale':8} {'db':10} {'page':11} {'level':5} {'p50 ms':>8} {'p95 ms':>8} {'SQL p50':>8} {'SQL p95':>8} "
          f"{'over p95':>9} {'÷SQL':>6} {'queries':>7} {'resp kB':>8} {'comps':>6} {'load1':>6}")


def _row(scale, dialect, path, label, r) -> str:
    if "error" in r:
        return f"{scale:8} {dialect:10} {path:11} {label:5} {r['error']}"
    return (f"{scale:8} {dialect:10} {path:11} {label:5} {r['p50']:8.1f} {r['p95']:8.1f} {r['sql_p50']:8.1f} "
            f"{r['sql_p95']:8.1f} {r['over_p95']:9.1f} {r['ratio']:6.1f} {r['queries']:7d} {r['kb']:8.1f} "
            f"{r['components']:6d} {r['load']:6.2f}")


def _table(rows) -> str:
    lines = [HEADER, "-" * len(HEADER)] + [_row(*row) for row in rows]
    ok = [r for *_, r in rows if "error" not in r]
    if ok:
        lines.append("-" * len(HEADER))
        worst = max(ok, key=lambda r: r["p95"])
        lines.append(f"worst callback p95 {worst['p95']:.1f} ms (target ≤ 150); "
                     f"worst overhead p95 {max(r['over_p95'] for r in ok):.1f} ms (target ≤ 50); "
                     f"largest response {max(r['kb'] for r in ok):.1f} kB (target ≤ 200); "
                     f"load average {min(r['load'] for r in ok):.2f}–{max(r['load'] for r in ok):.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
