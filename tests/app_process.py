"""A dashboard in its own process, on a database of the test's own (Dash Pages allows one app per process,
and tests/browser.py's live app is bound to the shared 郴州 fixture)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVE = ("import sys, logging; from werkzeug.serving import run_simple; from dashboard.app import create_app; "
         "logging.getLogger('werkzeug').setLevel(logging.ERROR); "
         "run_simple('127.0.0.1', int(sys.argv[1]), create_app().server, threaded=True)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(database_url: str, state_dir: Path, root: str, **env_extra) -> tuple[str, subprocess.Popen]:
    """(base URL, process) of an app on database_url in the 领导 demo session; waits for /healthz.
    root: the demo session's region (auth mode "demo" reads it from VETDASH_ROOT, as `vetdash demo` sets it)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VETDASH_")}
    env.update({"VETDASH_DATABASE_URL": database_url, "VETDASH_AUTH_MODE": "demo",
                "VETDASH_STATE_URL": f"sqlite:///{state_dir / 'state.sqlite'}", "VETDASH_SECRET_KEY": "test-secret",
                "DASH_DISABLE_VERSION_CHECK": "true", "VETDASH_ROOT": root, **env_extra})
    proc = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited: {proc.stdout.read()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as resp:
                if resp.status == 200:
                    return base, proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise RuntimeError("app did not answer /healthz within 90 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
