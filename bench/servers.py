"""Bench support: a throwaway state database with a bench account, `vetdash serve` instances, nginx, worker RSS.

Used by bench/capture_payloads.py and bench/scaleout.py; nothing here is imported by the app.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_USER = "bench-leader"
BENCH_PASSWORD = "Bench-Load-2026!"      # meets auth.toml's rules (length 10, 3 classes, not the name)
NGINX_TEMPLATE = ROOT / "bench" / "nginx.conf.template"


def make_state_db(path: Path, root: str, url: str = "") -> str:
    """A state database holding one 领导 account (no forced password change); its URL. A SQLite file at
    path, or url (a scratch PostgreSQL database: its auth tables are emptied first)."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import delete

    from dashboard.auth import accounts, roles
    from dashboard.auth.accounts import CONSOLE
    from dashboard.auth.config import load_rules
    from dashboard.state_db import accounts as account_table
    from dashboard.state_db import audit_log, state_engine, tokens
    url = url or f"sqlite:///{path}"
    engine = state_engine(url)
    with engine.begin() as conn:           # a rerun on the same scratch database starts clean
        for table in (tokens, audit_log, account_table):
            conn.execute(delete(table))
    # the same call `vetdash demo` uses for its demo accounts: a known password, no change at first sign-in
    accounts.add(engine, CONSOLE, load_rules(), BENCH_USER, "压测领导", roles.LEADER, None, root,
                 password=BENCH_PASSWORD, must_change=False)
    engine.dispose()
    return url


def instance_env(database_url: str, state_url: str, root: str, secret: str, cache: str,
                 redis_url: str | None) -> dict:
    """Environment of one `vetdash serve` instance; all instances of a run get the same values."""
    env = {**os.environ, "VETDASH_DATABASE_URL": database_url, "VETDASH_STATE_URL": state_url,
           "VETDASH_ROOT": root, "VETDASH_SECRET_KEY": secret, "VETDASH_LOG_LEVEL": "WARNING",
           "DASH_DISABLE_VERSION_CHECK": "true"}
    if cache == "off":
        env["VETDASH_CACHE_TYPE"] = "NullCache"
    else:
        env.pop("VETDASH_CACHE_TYPE", None)
    if redis_url:          # picked up by the app once it supports a shared cache (issue 15, branch scale)
        env["VETDASH_REDIS_URL"] = redis_url
    else:
        env.pop("VETDASH_REDIS_URL", None)
    return env


def start_instance(port: int, env: dict, workers: int, threads: int, log_path: Path) -> subprocess.Popen:
    """`vetdash serve` in its own process group (so SIGKILL of the group kills gunicorn and its workers)."""
    log = open(log_path, "ab")
    return subprocess.Popen([sys.executable, "-m", "dashboard.cli", "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(workers), "--threads", str(threads)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_healthy(base: str, proc: subprocess.Popen | None = None, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{base}: the server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{base}: not healthy within {timeout:g} s")


def kill_group(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Signal the whole instance (the vetdash wrapper, the gunicorn master and its workers)."""
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def stop_instance(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        kill_group(proc, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            kill_group(proc, signal.SIGKILL)
            proc.wait(timeout=10)
    else:
        kill_group(proc, signal.SIGKILL)      # the wrapper is gone: make sure no orphaned worker stays


def render_nginx(prefix: Path, listen: int, upstreams: list[int]) -> Path:
    """nginx.conf for the run, from bench/nginx.conf.template; every writable path under prefix."""
    (prefix / ".nginx").mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=2 fail_timeout=5s;" for p in upstreams)
    text = NGINX_TEMPLATE.read_text().replace("@LISTEN@", str(listen)).replace("@UPSTREAMS@", servers.strip())
    path = prefix / "nginx.conf"
    path.write_text(text)
    return path


def start_nginx(conf: Path) -> subprocess.Popen:
    prefix = conf.parent
    log = open(prefix / ".nginx" / "stdout.log", "ab")
    return subprocess.Popen(["nginx", "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


# ------------------------------------------------------------------ worker processes and their memory
def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _ppid(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("PPid:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def worker_pids(port: int) -> list[int]:
    """gunicorn workers serving 127.0.0.1:port: processes running dashboard.wsgi on that address whose
    parent (the gunicorn master) runs it too."""
    marker = f"127.0.0.1:{port}"
    mine = {int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
            and "dashboard.wsgi:server" in (c := _cmdline(int(p.name))) and marker in c}
    return sorted(pid for pid in mine if _ppid(pid) in mine)


def rss_mb(pid: int) -> float | None:
    """Resident set size (VmRSS) of pid in MB, None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None
