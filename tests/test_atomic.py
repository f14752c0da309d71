"""Builds and refreshes are atomic: an interrupted build is never served as healthy; a failed refresh
leaves the previous rollups whole."""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

import queries.refresh as refresh_module
from config.settings import Settings
from dashboard.cli import INTERRUPTED
from dashboard.context import get_context, make_context, set_context
from tests.browser import get_app

ROOT = Path(__file__).resolve().parent.parent
BUILD = [sys.executable, "-m", "dashboard.cli", "build-demo", "--root", "431022", "--as-of", "2026-11-23"]


@pytest.fixture(scope="module")
def client(live_db_url):
    return get_app(live_db_url).server.test_client()


def _health_on(client, url: str) -> tuple[int, dict]:
    good = get_context()
    set_context(make_context(Settings(database_url=url, root_region="4310")))
    try:
        response = client.get("/healthz")
        return response.status_code, response.get_json()
    finally:
        set_context(good)


def _interrupt_when(proc: subprocess.Popen, ready, limit_s: float = 120) -> None:
    """SIGINT the build as soon as ready() is true (mid-build), as Ctrl+C in a terminal would."""
    deadline = time.monotonic() + limit_s
    while not ready():
        assert proc.poll() is None, "the build ended before it could be interrupted"
        assert time.monotonic() < deadline, "the build never reached the point to interrupt"
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)


def _last_line(stderr: str) -> str:
    return [line for line in stderr.replace("\r", "\n").splitlines() if line.strip()][-1]


def test_interrupted_sqlite_build_leaves_no_file(tmp_path, client):
    out = tmp_path / "demo.sqlite"
    proc = subprocess.Popen(BUILD + ["--out", str(out)], cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    temp = tmp_path / f".demo.sqlite.building-{proc.pid}"
    _interrupt_when(proc, lambda: temp.exists() and temp.stat().st_size > 1_000_000)   # rows are being written
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in stderr and _last_line(stderr) == INTERRUPTED["build-demo"]
    assert sorted(p.name for p in tmp_path.iterdir()) == []          # neither the target nor the temp file
    status, body = _health_on(client, f"sqlite:///{out}")
    assert status == 503 and body["status"] == "error"


def _meta_keys(path: Path) -> set[str]:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1)
        try:
            return {k for (k,) in conn.execute("SELECT meta_key FROM meta")}
        finally:
            conn.close()
    except sqlite3.Error:
        return set()


def test_interrupted_url_build_is_marked_and_not_healthy(tmp_path, client):
    """The --url path (PostgreSQL/MariaDB in production) writes `build_in_progress` first and
    `build_complete` last; run here on a SQLite URL so the test needs no second server database."""
    path = tmp_path / "by-url.sqlite"
    proc = subprocess.Popen(BUILD + ["--url", f"sqlite:///{path}"], cwd=ROOT, stderr=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    _interrupt_when(proc, lambda: "as_of" in _meta_keys(path))       # marker set, raw rows loading
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in stderr
    assert _last_line(stderr) == INTERRUPTED["build-demo"]
    keys = _meta_keys(path)
    assert "build_in_progress" in keys and "build_complete" not in keys
    status, body = _health_on(client, f"sqlite:///{path}")
    assert status == 503 and "尚未生成完成" in body["message"]


def test_completed_build_is_marked_complete(tmp_path):
    out = tmp_path / "ok.sqlite"
    result = subprocess.run(BUILD + ["--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.sqlite"]     # WAL folded in, temp file gone
    keys = _meta_keys(out)
    assert "build_complete" in keys and "build_in_progress" not in keys and "as_of" in keys


# ------------------------------------------------------------------------------ refresh: all or nothing
def test_failed_refresh_keeps_the_previous_rollups(fixture_db, monkeypatch):
    engine = fixture_db.engine
    count = "SELECT COUNT(*) FROM roll_payment_month"
    with engine.begin() as conn:                                     # a marker the first rollup would erase
        before = conn.execute(text(count)).scalar()
        conn.execute(text("UPDATE roll_payment_month SET amount_paid = -7 WHERE region_code = :c"),
                     {"c": "431022000000"})
    last = list(refresh_module.ROLLUPS.values())[-1]
    broken = dict(refresh_module._SQL)
    broken[last.steps[-1].sql_name] = "INSERT INTO no_such_table (x) VALUES (1)"
    monkeypatch.setattr(refresh_module, "_SQL", broken)
    with pytest.raises(Exception):
        refresh_module.refresh(engine)
    with engine.connect() as conn:
        assert conn.execute(text(count)).scalar() == before
        assert conn.execute(text("SELECT COUNT(*) FROM roll_payment_month WHERE amount_paid = -7")).scalar() > 0
    monkeypatch.undo()
    refresh_module.refresh(engine)                                   # restore the shared fixture database
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM roll_payment_month WHERE amount_paid = -7")).scalar() == 0
        assert conn.execute(text(count)).scalar() == before
