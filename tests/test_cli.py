"""`vetdash` console script: refresh against VETDASH_DATABASE_URL, and bad input gives a Chinese message."""
from __future__ import annotations

import subprocess
import sys

from sqlalchemy import text

from dashboard.cli import main
from queries.db import make_engine
from tests.fixtures import populate


def test_refresh_rebuilds_rollups(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'f.sqlite'}"
    engine = make_engine(url)
    populate(engine)
    with engine.begin() as conn:
        before = conn.execute(text("SELECT COUNT(*) FROM roll_petition_day")).scalar()
        conn.execute(text("DELETE FROM roll_petition_day"))
    monkeypatch.setenv("VETDASH_DATABASE_URL", url)
    assert main(["refresh"]) == 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM roll_petition_day")).scalar() == before > 0
    assert "roll_petition_day" in capsys.readouterr().out


def test_bad_root_is_a_chinese_error_not_a_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dashboard.cli", "build-demo", "--root", "43x",
                             "--out", str(tmp_path / "x.sqlite")], capture_output=True, text=True)
    assert result.returncode == 2
    assert "错误" in result.stderr and "Traceback" not in result.stderr


def test_bad_as_of_date(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dashboard.cli", "build-demo", "--as-of", "2026-13-40",
                             "--out", str(tmp_path / "x.sqlite")], capture_output=True, text=True)
    assert result.returncode == 2 and "应为 YYYY-MM-DD" in result.stderr and "Traceback" not in result.stderr
