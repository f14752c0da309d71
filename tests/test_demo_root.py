"""auth_mode "demo" with no VETDASH_ROOT: the loopback demo viewer's region is the database's meta.root."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json
from dashboard.app import create_app
c = create_app().server.test_client()
r = c.get('/_dash-dependencies', environ_base={'REMOTE_ADDR': '127.0.0.1'})
print(json.dumps({'status': r.status_code, 'ok': r.is_json and isinstance(r.get_json(), list)}))
"""


def test_demo_viewer_takes_the_root_from_meta(live_db_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VETDASH_")}
    env.update(VETDASH_DATABASE_URL=live_db_url, VETDASH_AUTH_MODE="demo", DASH_DISABLE_VERSION_CHECK="true",
               VETDASH_STATE_URL=f"sqlite:///{tmp_path / 'state.sqlite'}", VETDASH_SECRET_KEY="t" * 32,
               XDG_DATA_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"status": 200, "ok": True}
