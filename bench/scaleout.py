"""Scale-out run: N `vetdash serve` instances behind nginx, the load test through nginx, one instance killed.

    python bench/scaleout.py --database-url URL [--instances 2] [--users 50] [--seconds 80] [--kill]
        [--cache on|off] [--redis-url redis://127.0.0.1:6379/2] [--workers 2] [--threads 8] [--retry 1]
        [--ports 8160,8161,8162] [--direct] [--warm none|root|counties]

Every instance gets the same database URL, the same throwaway state database (one bench 领导 account), the
same VETDASH_SECRET_KEY and — when --redis-url is given — the same VETDASH_REDIS_URL (the shared cache, once
the app supports it; the Redis database is flushed first). nginx (bench/nginx.conf.template, foreground,
every writable path under a temporary prefix) listens on the first port and balances over the others
(`proxy_next_upstream error timeout`). The load test (bench/load_test.py) runs through nginx; with --kill,
the last instance's whole process group gets SIGKILL at half time. Prints the load test's report, nginx's
view (requests per upstream, 502/504 answers, requests nginx passed to a second instance) and the load average.
--direct: one instance, no nginx (the load test talks to gunicorn). --warm (needs --redis-url): before the load,
`vetdash warm` (root) or `vetdash warm --counties` fills the shared cache as the nightly refresh does in a
deployment (docs/deploy.md); the default, none, starts every view cold. Always exits 0.
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load_test, servers


def nginx_summary(access_log: Path, kill_at_wall: float | None) -> str:
    """Requests per upstream, statuses nginx answered, and how many it passed on to a second instance."""
    if not access_log.exists():
        return "nginx: no access log"
    ups, statuses, passed_on = Counter(), Counter(), 0
    for line in access_log.read_text().splitlines():
        m = re.search(r'" (\d{3}) \d+ up=(.*?) up_status=(.*?) rt=', line)
        if not m:
            continue
        statuses[m.group(1)] += 1
        tried = m.group(2).split(",")
        passed_on += len(tried) > 1
        ups[tried[-1].strip()] += 1
    by_up = ", ".join(f"{u} {n}" for u, n in sorted(ups.items()))
    bad = {s: n for s, n in statuses.items() if s not in ("200", "302", "304")}
    return (f"nginx: {sum(statuses.values())} requests; answered by {by_up}; non-200/302/304 answers {bad or 0}; "
            f"passed on to another instance after an error: {passed_on}")


def warm_cache(env: dict, counties: bool) -> None:
    """`vetdash warm [--counties]` with the instances' settings (the same Redis, data version and root)."""
    cmd = [sys.executable, "-m", "dashboard.cli", "warm"] + (["--counties"] if counties else [])
    start, load = time.perf_counter(), os.getloadavg()[0]
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    views = sum(1 for line in done.stdout.splitlines() if line.strip().startswith("预热 /"))
    print(f"warm{' --counties' if counties else ''}: exit {done.returncode}, {views} views in "
          f"{time.perf_counter() - start:.0f} s (load {load:.2f} → {os.getloadavg()[0]:.2f})", flush=True)
    if done.returncode:
        print(done.stdout[-2000:], done.stderr[-2000:], flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=80)
    parser.add_argument("--kill", action="store_true", help="SIGKILL the last instance at half time")
    parser.add_argument("--cache", choices=["on", "off"], default="on")
    parser.add_argument("--redis-url", default="", help="shared cache for every instance (VETDASH_REDIS_URL)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--retry", type=int, default=1, choices=[0, 1])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--assets", action="store_true")
    parser.add_argument("--ports", default="8160,8161,8162", help="nginx port, then one port per instance")
    parser.add_argument("--state-url", default="", help="a scratch database for accounts and audit (default: a "
                        "SQLite file; 50 sign-ins at once on 4 workers met 'database is locked' there)")
    parser.add_argument("--direct", action="store_true", help="one instance, no nginx")
    parser.add_argument("--warm", choices=["none", "root", "counties"], default="none",
                        help="fill the shared cache first, as the refresh job does (needs --redis-url)")
    args = parser.parse_args()
    if args.warm != "none" and not args.redis_url:
        parser.error("--warm needs --redis-url (without a shared cache each worker starts empty)")

    ports = [int(p) for p in args.ports.split(",")]
    listen, app_ports = ports[0], ports[1:1 + (1 if args.direct else args.instances)]
    prefix = Path(tempfile.mkdtemp(prefix="vetdash-scaleout-"))
    root = load_test.deployment_root(args.database_url)
    tree, levels = load_test.region_tree(args.database_url)
    state = servers.make_state_db(prefix / "state.sqlite", root, args.state_url)
    if args.redis_url:
        subprocess.run(["redis-cli", "-u", args.redis_url, "flushdb"], check=False, capture_output=True)
    env = servers.instance_env(args.database_url, state, root, secrets.token_hex(32), args.cache,
                               args.redis_url or None)
    procs, nginx = [], None
    try:
        for port in app_ports:
            procs.append(servers.start_instance(port, env, args.workers, args.threads, prefix / f"serve-{port}.log"))
        for port, proc in zip(app_ports, procs):
            servers.wait_healthy(f"http://127.0.0.1:{port}", proc)
        if args.direct:
            base = f"http://127.0.0.1:{app_ports[0]}"
        else:
            nginx = servers.start_nginx(servers.render_nginx(prefix, listen, app_ports))
            base = f"http://127.0.0.1:{listen}"
            servers.wait_healthy(base, nginx, timeout=20)
        if args.warm != "none":
            warm_cache(env, args.warm == "counties")
        killed: list[float] = []

        def kill_last(t: float) -> None:
            servers.kill_group(procs[-1], signal.SIGKILL)
            killed.append(t)
            print(f"t={t:.1f} s: SIGKILL to instance :{app_ports[-1]} (its vetdash, gunicorn master and workers)",
                  flush=True)

        cfg = load_test.Config(base, args.users, args.seconds, (1.0, 3.0), args.seed, args.retry, args.assets)
        rss0, load0 = load_test.rss_snapshot(app_ports), os.getloadavg()
        print(f"{len(app_ports)} instance(s) :{','.join(map(str, app_ports))} × {args.workers} gthread workers × "
              f"{args.threads} threads{'' if args.direct else f', nginx :{listen}'}; cache {args.cache}"
              f"{', Redis ' + args.redis_url if args.redis_url else ''}; database {args.database_url}; root {root}",
              flush=True)
        on_half = kill_last if args.kill and len(procs) > 1 else None
        result = load_test.run(cfg, tree, levels, root, on_half=on_half)
        rss1, load1 = load_test.rss_snapshot(app_ports), os.getloadavg()
        extra = f", instance :{app_ports[-1]} killed at t={killed[0]:.0f} s" if killed else ""
        print(load_test.report(cfg, result, rss0, rss1, load0, load1, extra))
        if nginx is not None:
            print(nginx_summary(prefix / ".nginx" / "access.log", None))
    finally:
        if nginx is not None and nginx.poll() is None:
            nginx.send_signal(signal.SIGQUIT)
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
        for proc in procs:
            servers.stop_instance(proc)
    print(f"logs: {prefix}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
