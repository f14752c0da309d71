"""Benchmark: one locked rollup table, many users, then a frozen database (issue 13). Not run in CI.

    python bench/lock_bench.py --pg-url postgresql+psycopg://dash:dash@127.0.0.1:5432/benchdb \\
        [--clients 30] [--seconds 60] [--freeze-seconds 20] [--workers 2] [--threads 16] [--think 0] [--ramp 0]
        [--cache off|on]

--pg-url must hold a complete demo build (meta.build_complete; build one with `vetdash build-demo --url …`
into a database of its own — never the tests' database). The bench starts `vetdash serve` (gthread;
--cache off, the default: no page cache, so every request reaches the database; --cache on: the
product's in-process page cache) behind tests/faultproxy.py, then:
1. baseline (nothing locked), then lock: one connection holds `LOCK TABLE roll_payment_month IN ACCESS EXCLUSIVE MODE` while --clients
   users request the five pages round-robin (each waits for its answer) for --seconds; prints p50/p95/max
   per page, how many answered with an error message, /healthz latency, and the load average.
   Target: pages that do not read roll_payment_month keep p95 < 1 s.
2. freeze: the proxy holds every byte (a SIGSTOPped server, without stopping the shared one) for
   --freeze-seconds; prints how long a page takes to answer and whether it says so in Chinese; then
   resumes and prints how long until a normal page is served again (no restart).
--ramp S starts the users one by one over S seconds (people do not all click in the same millisecond;
0: all at once), so the p95 measures the steady state rather than one burst of 30 simultaneous renders.
Always exits 0: it reports, it does not judge.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from tests.faultproxy import FaultProxy  # noqa: E402

PAGES = ["/", "/network", "/placement", "/funds", "/petitions"]
READS_LOCKED = {"/", "/funds"}          # pages whose queries read roll_payment_month
LOCKED = "roll_payment_month"
SEARCH = "?period=2026-11"           # the root region of the build


def payload(output: str, path: str, search: str) -> bytes:
    return json.dumps({"output": output,
                       "outputs": [{"id": "_pages_content", "property": "children"},
                                   {"id": "_pages_store", "property": "data"}],
                       "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                                  {"id": "_pages_location", "property": "search", "value": search}],
                       "changedPropIds": ["_pages_location.search"], "state": []}).encode()


def post_page(base: str, output: str, path: str, timeout: float = 60) -> tuple[float, int, str]:
    """(seconds, status, body) of one page callback, as the browser sends it."""
    req = urllib.request.Request(base + "/_dash-update-component", data=payload(output, path, SEARCH),
                                 headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            body = r.read().decode("utf-8", "replace")
            status = r.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read().decode("utf-8", "replace"), exc.code
    except OSError as exc:
        body, status = str(exc), 0
    try:                                   # Dash escapes non-ASCII: decode to search for the Chinese text
        body = json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        pass
    return time.perf_counter() - start, status, body


def failed(body: str) -> bool:
    return "page-error" in body or "page-message" in body


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, root: str, port: int, workers: int, threads: int,
                 cache: str = "off") -> subprocess.Popen:
    env = {**os.environ, "VETDASH_DATABASE_URL": url, "VETDASH_ROOT": root,
           "VETDASH_CACHE_TYPE": "NullCache" if cache == "off" else "SimpleCache",
           "VETDASH_LOG_LEVEL": "WARNING", "DASH_DISABLE_VERSION_CHECK": "true",
           # loopback clients are the 领导 demo session (vetdash serve alone requires sign-in)
           "VETDASH_AUTH_MODE": "demo",
           "VETDASH_STATE_URL": f"sqlite:///{tempfile.gettempdir()}/lock-bench-state.sqlite"}
    # `vetdash serve` forces sign-in; the bench serves the same way with loopback demo viewers
    serve = (f"from dashboard.cli import _serve; _serve('127.0.0.1', {port}, {workers}, threads={threads}, "
             f"extra_env={{'VETDASH_AUTH_MODE': 'demo'}})")
    proc = subprocess.Popen([sys.executable, "-c", serve], cwd=ROOT, env=env)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return proc
        except OSError:
            time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    raise SystemExit("the server did not start within 90 s")


def lock_phase(base: str, output: str, pg_url: str, clients: int, seconds: float, lock: bool = True,
               think: float = 0.0, ramp: float = 0.0) -> None:
    """`clients` users for `seconds`, with roll_payment_month locked (or not: the baseline)."""
    results: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    health: list[float] = []
    holder = create_engine(pg_url).connect()
    tx = holder.begin()
    if lock:
        holder.execute(text(f"LOCK TABLE {LOCKED} IN ACCESS EXCLUSIVE MODE"))      # fixed identifier
    load_before = os.getloadavg()
    stop = time.monotonic() + seconds

    def user(i: int) -> None:
        n = i
        time.sleep(ramp * i / clients)
        while time.monotonic() < stop:
            path = PAGES[n % len(PAGES)]
            n += 1
            seconds_, _status, body = post_page(base, output, path)
            results[path].append((seconds_, failed(body)))
            if think:                                # a person reads the page before the next click
                time.sleep(random.uniform(0.5 * think, 1.5 * think))

    def healthz() -> None:
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                urllib.request.urlopen(base + "/healthz", timeout=30).read()
            except OSError:
                pass
            health.append(time.perf_counter() - start)
            time.sleep(2)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(clients)] + [threading.Thread(target=healthz)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    load_after = os.getloadavg()
    tx.rollback()
    holder.close()
    title = f"{LOCKED} locked" if lock else "baseline, nothing locked"
    print(f"\n{'1b' if lock else '1a'}. {title}, {clients} clients × {seconds:g} s "
          f"(load average before {load_before[0]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f})")
    print(f"{'page':<12}{'reads lock':>11}{'n':>6}{'p50 s':>8}{'p95 s':>8}{'max s':>8}{'errors':>8}")
    for path in PAGES:
        times = [s for s, _ in results[path]]
        errors = sum(1 for _, e in results[path] if e)
        print(f"{path:<12}{'yes' if path in READS_LOCKED else 'no':>11}{len(times):>6}"
              f"{pct(times, .5):>8.2f}{pct(times, .95):>8.2f}{max(times, default=float('nan')):>8.2f}{errors:>8}")
    print(f"/healthz     p95 {pct(health, .95):.2f} s, max {max(health, default=float('nan')):.2f} s over {len(health)} checks")


def freeze_phase(base: str, output: str, proxy: FaultProxy, seconds: float) -> None:
    post_page(base, output, "/petitions")             # a pooled connection exists
    proxy.pause()
    frozen_at = time.monotonic()
    took, status, body = post_page(base, output, "/petitions")
    said = re.search(r'"children": "([^"]*(?:数据库|查询|数据更新中断)[^"]*)"', body)
    time.sleep(max(0.0, seconds - (time.monotonic() - frozen_at)))
    proxy.resume()
    resumed = time.monotonic()
    while True:
        took2, status2, body2 = post_page(base, output, "/petitions")
        if status2 == 200 and not failed(body2):
            break
        if time.monotonic() - resumed > 120:
            print("   no recovery within 120 s")
            return
    print(f"\n2. database frozen for {seconds:g} s (proxy holds every byte; load average {os.getloadavg()[0]:.2f})")
    print(f"   page during the freeze: {took:.2f} s, HTTP {status}, message: {said.group(1) if said else '(none)'}")
    print(f"   after resume: normal page after {time.monotonic() - resumed:.2f} s (last request {took2:.2f} s), no restart")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", required=True)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--freeze-seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a user reads a page before the next click (0: back-to-back)")
    parser.add_argument("--ramp", type=float, default=0.0, help="start the users one by one over this many seconds")
    parser.add_argument("--cache", choices=["off", "on"], default="off")
    args = parser.parse_args()
    engine = create_engine(args.pg_url)
    with engine.connect() as conn:
        meta = dict(conn.execute(text("SELECT meta_key, meta_value FROM meta")).fetchall())
    engine.dispose()
    if "build_complete" not in meta:
        print("the database holds no complete demo build (meta.build_complete); build one with vetdash build-demo --url")
        return 0
    url = engine.url
    with FaultProxy(url.host, url.port or 5432) as proxy:
        port = free_port()
        server = start_server(proxy.url(args.pg_url), meta["root"], port, args.workers, args.threads, args.cache)
        base = f"http://127.0.0.1:{port}"
        try:
            deps = json.load(urllib.request.urlopen(base + "/_dash-dependencies", timeout=30))
            output = next(d["output"] for d in deps if "_pages_content.children" in d["output"])
            for path in PAGES:                            # warm the region tree and the pool
                post_page(base, output, path)
            print(f"database: root {meta['root']}, as-of {meta.get('as_of')}; server: gunicorn gthread, "
                  f"{args.workers} workers × {args.threads} threads; {os.cpu_count()} cores")
            print(("users click back-to-back" if not args.think else f"think time {args.think:g} s ± 50 %")
                  + (f", users start one by one over {args.ramp:g} s" if args.ramp else ", users start together")
                  + f"; page cache {args.cache}")
            lock_phase(base, output, args.pg_url, args.clients, args.seconds, lock=False, think=args.think,
                       ramp=args.ramp)
            lock_phase(base, output, args.pg_url, args.clients, args.seconds, think=args.think, ramp=args.ramp)
            freeze_phase(base, output, proxy, args.freeze_seconds)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
