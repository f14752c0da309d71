"""Behind nginx (VETDASH_PROXIES=1) the client is X-Forwarded-For's address: a remote caller through a proxy on
this machine gets /healthz without detail; with no proxy setting the header is not believed."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json
from dashboard.app import create_app
c = create_app().server.test_client()
local = c.get('/healthz', environ_base={'REMOTE_ADDR': '127.0.0.1'}).get_json()
forwarded = c.get('/healthz', environ_base={'REMOTE_ADDR': '127.0.0.1'},
                  headers={'X-Forwarded-For': '10.20.30.40'}).get_json()
print(json.dumps({'local': sorted(local), 'forwarded': sorted(forwarded)}))
"""


def _probe(live_db_url, tmp_path, proxies: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VETDASH_")}
    env.update(VETDASH_DATABASE_URL=live_db_url, DASH_DISABLE_VERSION_CHECK="true", XDG_DATA_HOME=str(tmp_path),
               VETDASH_STATE_URL=f"sqlite:///{tmp_path / 'state.sqlite'}", VETDASH_SECRET_KEY="s" * 32)
    if proxies is not None:
        env["VETDASH_PROXIES"] = proxies
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


DETAIL = ["as_of", "database", "dialect", "root", "status"]


def test_forwarded_client_is_not_loopback_behind_one_proxy(live_db_url, tmp_path):
    assert _probe(live_db_url, tmp_path, "1") == {"local": DETAIL, "forwarded": ["status"]}


def test_forwarded_header_is_ignored_without_the_setting(live_db_url, tmp_path):
    assert _probe(live_db_url, tmp_path, None) == {"local": DETAIL, "forwarded": DETAIL}


def test_bad_proxies_value_is_one_chinese_line():
    from config.settings import Settings, SettingsError
    with pytest.raises(SettingsError, match="VETDASH_PROXIES"):
        Settings.from_env({"VETDASH_PROXIES": "nginx"})
