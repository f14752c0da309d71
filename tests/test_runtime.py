"""Start-up and operation: settings checked in Chinese, one meaning of 0, request deadline, log lines,
`vetdash serve` stops its workers on SIGTERM, a port in use is one Chinese line."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from config.settings import Settings, SettingsError
from queries.db import Database, QueryTimeout, clear_request_deadline, set_request_deadline

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
# ~0.3-1 s on each dialect, far longer than a limit of "0 ms" would allow
SLOWISH = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT COUNT(*) AS n FROM c",
    "postgresql": "SELECT pg_sleep(0.4) AS n",
    "mariadb": "SELECT SLEEP(0.4) AS n",
}
SLOW = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT COUNT(*) AS n FROM c",
    "postgresql": "SELECT pg_sleep(5) AS n",
    "mariadb": "SELECT COUNT(*) AS n FROM information_schema.columns a, information_schema.columns b, "
               "information_schema.columns c",
}


def _dialect(db) -> str:
    return "mariadb" if db.dialect in ("mysql", "mariadb") else db.dialect


# ------------------------------------------------------------------------------ settings
@pytest.mark.parametrize("env, words", [
    ({"VETDASH_STATEMENT_TIMEOUT_MS": "abc"}, "VETDASH_STATEMENT_TIMEOUT_MS"),
    ({"VETDASH_STATEMENT_TIMEOUT_MS": "-1"}, "不小于0"),
    ({"VETDASH_REQUEST_DEADLINE_S": "soon"}, "VETDASH_REQUEST_DEADLINE_S"),
    ({"VETDASH_STATEMENT_TIMEOUT_MS": "20000", "VETDASH_REQUEST_DEADLINE_S": "10"}, "应小于"),
    ({"VETDASH_CACHE_TIMEOUT_S": "5m"}, "VETDASH_CACHE_TIMEOUT_S"),
    ({"VETDASH_ROOT": "43x"}, "VETDASH_ROOT"),
    ({"VETDASH_ROOT": "4310", "VETDASH_SCOPE": "4401"}, "不在"),
    ({"VETDASH_AS_OF": "2026-13-01"}, "YYYY-MM-DD"),
    ({"VETDASH_DATABASE_URL": "oracle://x/y"}, "不受支持"),
    ({"VETDASH_DATABASE_URL": "not a url"}, "不是有效的数据库地址"),
    ({"VETDASH_LOG_LEVEL": "LOUD"}, "VETDASH_LOG_LEVEL"),
])
def test_bad_settings_are_one_chinese_line(env, words):
    with pytest.raises(SettingsError) as err:
        Settings.from_env(env)
    message = str(err.value)
    assert words in message and CJK.search(message) and "\n" not in message


def test_good_settings_pass():
    s = Settings.from_env({"VETDASH_STATEMENT_TIMEOUT_MS": "0", "VETDASH_REQUEST_DEADLINE_S": "12.5",
                           "VETDASH_ROOT": "4310", "VETDASH_SCOPE": "431022", "VETDASH_LOG_LEVEL": "debug"})
    assert (s.statement_timeout_ms, s.request_deadline_s, s.scope, s.log_level) == (0, 12.5, "431022", "DEBUG")


def test_bad_setting_stops_serve_without_traceback():
    env = {**os.environ, "VETDASH_STATEMENT_TIMEOUT_MS": "abc"}
    result = subprocess.run([sys.executable, "-m", "dashboard.cli", "serve", "--port", "1"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == ["配置错误：VETDASH_STATEMENT_TIMEOUT_MS=“abc”应为不小于0的整数（单位：毫秒，0 表示不限）"]


def test_bad_setting_stops_gunicorn_import_without_traceback():
    env = {**os.environ, "VETDASH_STATEMENT_TIMEOUT_MS": "abc"}
    result = subprocess.run([sys.executable, "-c", "import dashboard.wsgi"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "VETDASH_STATEMENT_TIMEOUT_MS" in result.stderr


# ------------------------------------------------------------------------------ 0 means no limit, everywhere
def test_zero_timeout_means_no_limit(fixture_db):
    db = Database(fixture_db.engine, timeout_ms=0)
    start = time.perf_counter()
    frame = db.frame("slowish", sql=SLOWISH[_dialect(fixture_db)])
    assert len(frame) == 1 and time.perf_counter() - start > 0.3      # ran to the end


def test_request_deadline_caps_the_statement_timeout(fixture_db):
    db = Database(fixture_db.engine, timeout_ms=4000)
    set_request_deadline(0.5)
    try:
        start = time.perf_counter()
        with pytest.raises(QueryTimeout):
            db.frame("slow", sql=SLOW[_dialect(fixture_db)])
        assert time.perf_counter() - start < 0.5 + 2.0                  # not the 4 s statement timeout
        with pytest.raises(QueryTimeout) as err:                          # the deadline is spent: not even sent
            db.frame("next_one", sql="SELECT 1 AS n")
        assert "本页查询已超过0.5秒" in err.value.message and "next_one" in err.value.message
    finally:
        clear_request_deadline()
    assert db.frame("after", sql="SELECT 1 AS n")["n"].tolist() == [1]  # other requests are not affected


# ------------------------------------------------------------------------------ vetdash serve
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_port_in_use_is_one_chinese_line_with_the_hint(live_db_url):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "VETDASH_DATABASE_URL": live_db_url}
        result = subprocess.run([sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"错误：端口 {port} 已被占用（驾驶舱或其他程序已在使用），请用 --port 指定其他端口，如 --port {port + 1}"]
    assert "驾驶舱已启动" not in result.stdout


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_serve_logs_queries_and_stops_workers_on_sigterm(live_db_url, tmp_path):
    port = _free_port()
    env = {**os.environ, "VETDASH_DATABASE_URL": live_db_url, "VETDASH_ROOT": "4310"}
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port), "--workers", "2"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.5)
        master = _children(proc.pid)
        assert len(master) == 1
        while len(workers := _children(master[0])) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)                                # the second worker may boot after the first answers
        assert len(workers) == 2
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(0.5)
    assert not any(_alive(pid) for pid in master + workers), "gunicorn outlived vetdash serve"
    text = (tmp_path / "serve.log").read_text()
    line = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO pid=(\d+) vetdash\.sql: sql health_rollup \d+\.\d ms$",
                      re.M)
    found = line.search(text)
    assert found and int(found.group(1)) in workers, text[-2000:]
    assert "Traceback" not in text and text.rstrip().endswith("驾驶舱已停止。")
