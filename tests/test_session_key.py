"""The session signing key: one per data folder, the same for every process that starts at the same moment,
never a random key per process (a second worker or instance would reject the first one's cookies)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import SettingsError
from dashboard.auth.web import _persisted_key

ROOT = Path(__file__).resolve().parents[1]


def test_processes_starting_at_once_share_one_key(tmp_path):
    code = "from dashboard.auth.web import _persisted_key; print(_persisted_key(None))"
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(4)]
    keys = {p.communicate(timeout=120)[0].strip() for p in procs}
    path = tmp_path / "vetdash" / "secret_key"
    assert keys == {path.read_text().strip()} and len(keys.pop()) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_no_writable_folder_stops_the_start_with_one_chinese_line(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")                             # the data folder's parent is a file: cannot be created
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    with pytest.raises(SettingsError, match="VETDASH_SECRET_KEY"):
        _persisted_key(None)
