"""Two `vetdash serve` instances on two ports sharing one Redis, one SQLite state database and one data folder
(as two hosts share them in a province deployment, docs/deploy.md): what one instance knows, the other knows.

- a session signed in on A works on B (the session key is the shared one, not one per process);
- wrong passwords on A and on B add up to the lock-out (the count lives in the state database);
- a page drawn by A is a cache hit on B (Redis key count unchanged, B logs the hit, runs no page SQL);
- `vetdash refresh` bumps the data version and warms the default views for it (the next page is a hit).
"""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.redis_support import client, redis_url  # noqa: F401 — fixture

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Sicher-Pass-2026"
START_S = 120                       # two apps importing pandas/dash on a loaded 2-core box


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    def __init__(self, env: dict, log: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.out = open(log, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "serve", "--port", str(self.port),
                                      "--workers", "1", "--threads", "4"], cwd=ROOT, env=env,
                                     stdout=self.out, stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self) -> None:
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.text()[-2000:]
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise AssertionError(f"instance on {self.port} did not start: {self.text()[-2000:]}")

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.out.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """Database, state database, data folder and Redis URL both instances use, with one leader account."""
    from tests.redis_support import probe, test_redis_url
    from tests.conftest import require
    url = test_redis_url()
    ok, reason = probe(url)
    require(ok, reason)
    client(url).flushdb()
    from dashboard.auth import accounts
    from dashboard.auth.accounts import CONSOLE
    from dashboard.auth.config import load_rules
    from dashboard.state_db import state_engine as engine_for
    from queries.db import make_engine
    from tests.fixtures import populate
    tmp = tmp_path_factory.mktemp("two")
    db_url, state_url = f"sqlite:///{tmp / 'data.sqlite'}", f"sqlite:///{tmp / 'state.sqlite'}"
    populate(make_engine(db_url))
    state = engine_for(state_url)
    for name in ("t-a", "t-lock"):
        accounts.add(state, CONSOLE, load_rules(), name, name, "leader", "4310", "4310", password=PASSWORD,
                     must_change=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VETDASH_")}
    env.update(VETDASH_DATABASE_URL=db_url, VETDASH_STATE_URL=state_url, VETDASH_REDIS_URL=url,
               VETDASH_ROOT="4310", VETDASH_LOG_LEVEL="DEBUG", XDG_DATA_HOME=str(tmp / "data"),
               DASH_DISABLE_VERSION_CHECK="true", PYTHONPATH=str(ROOT))
    return {"env": env, "tmp": tmp, "redis": url}


@pytest.fixture(scope="module")
def pair(shared):
    a, b = Instance(shared["env"], shared["tmp"] / "a.log"), Instance(shared["env"], shared["tmp"] / "b.log")
    try:
        a.wait()
        b.wait()
        yield a, b
    finally:
        a.stop()
        b.stop()


def _login(session: requests.Session, base: str, name: str, password: str = PASSWORD) -> requests.Response:
    page = session.get(base + "/login", timeout=30).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    return session.post(base + "/login", data={"name": name, "password": password, "csrf": csrf, "next": "/"},
                        allow_redirects=False, timeout=30)


_OUTPUT = {}


def _page_payload(base: str, session: requests.Session, path: str, search: str) -> dict:
    if "pages" not in _OUTPUT:           # read once by a signed-in session (a stranger gets 401 here)
        deps = session.get(base + "/_dash-dependencies", timeout=30).json()
        _OUTPUT["pages"] = next(d for d in deps if "_pages_content.children" in d["output"])["output"]
    return {"output": _OUTPUT["pages"],
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.search"], "state": []}


def _render(session, base, path, search) -> requests.Response:
    r = session.post(base + "/_dash-update-component", json=_page_payload(base, session, path, search), timeout=60)
    r.page = json.dumps(r.json(), ensure_ascii=False) if r.status_code == 200 else r.text   # Chinese unescaped
    return r


def test_session_signed_in_on_a_works_on_b(pair):
    a, b = pair
    s = requests.Session()
    assert _login(s, a.base, "t-a").status_code == 302
    on_b = s.get(b.base + "/", allow_redirects=False, timeout=30)
    assert on_b.status_code == 200                                     # not sent to /login
    r = _render(s, b.base, "/", "?period=2026-10")
    assert r.status_code == 200 and "郴州市" in r.page
    stranger = requests.Session()                                      # the same request without the cookie
    assert stranger.get(b.base + "/", allow_redirects=False, timeout=30).status_code == 302
    assert _render(stranger, b.base, "/", "?period=2026-10").status_code == 401


def test_wrong_passwords_on_both_instances_add_up_to_the_lock_out(pair):
    a, b = pair
    texts = [_login(requests.Session(), base, "t-lock", "wrong-Pass-1").text for base in (a.base, b.base) * 2]
    assert "再错 1 次将锁定账号" in texts[3]                             # 4 failures, two on each instance
    fifth = _login(requests.Session(), b.base, "t-lock", "wrong-Pass-1").text
    assert "账号已锁定" in fifth
    ok_password = _login(requests.Session(), a.base, "t-lock").text    # locked on A too, right password or not
    assert "账号已锁定" in ok_password


def test_page_built_by_a_is_a_cache_hit_on_b(pair, shared):
    a, b = pair
    r = client(shared["redis"])
    s = requests.Session()
    _login(s, a.base, "t-a")
    before = len(r.keys("vetdash:model:network:*"))
    assert _render(s, a.base, "/network", "?period=2026-07").status_code == 200
    built = len(r.keys("vetdash:model:network:*"))
    assert built == before + 1
    mark = len(b.text())
    resp = _render(s, b.base, "/network", "?period=2026-07")
    assert resp.status_code == 200 and "郴州市" in resp.page
    time.sleep(0.3)                                                   # let B's log line reach the file
    b_log = b.text()[mark:]
    assert "cache hit view /network" in b_log          # the page A drew, not only its model
    assert not re.search(r"sql network\w* ", b_log)                   # B ran none of the page's queries
    assert len(r.keys("vetdash:model:network:*")) == built


def test_refresh_bumps_the_version_and_warms_the_default_views(pair, shared):
    a, _b = pair
    r = client(shared["redis"])
    out = subprocess.run([sys.executable, "-m", "dashboard.cli", "refresh"], cwd=ROOT, env=shared["env"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "预热 /: " in out.stdout and "预热 /rankings: " in out.stdout
    from queries.db import make_engine
    from sqlalchemy import text
    with make_engine(shared["env"]["VETDASH_DATABASE_URL"]).connect() as conn:
        version = conn.execute(text("SELECT meta_value FROM meta WHERE meta_key = 'data_version'")).scalar()
    for page in ("overview", "placement", "funds", "petitions", "network", "rankings"):
        keys = [k.decode() for k in r.keys(f"vetdash:model:{page}:*")]
        fresh = [k for k in keys if f":{version}/" in k and ":leader:4310:4310:" in k and k.endswith("None|None|None")
                 or (page == "rankings" and f":{version}/" in k and k.endswith("None|None|None|None"))]
        assert fresh, f"{page}: no warmed key for data version {version}: {keys}"
    time.sleep(5.5)                      # A re-reads meta at most every 5 s (dashboard/context.py VERSION_CHECK_S)
    s = requests.Session()
    _login(s, a.base, "t-a")
    mark = len(a.text())
    assert _render(s, a.base, "/", "").status_code == 200
    time.sleep(0.3)
    assert "cache hit view /\n" in a.text()[mark:]           # the warmed page itself
