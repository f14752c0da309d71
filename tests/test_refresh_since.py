"""`refresh --since`: month-local rollups rebuilt from a month on equal a full rebuild, rows before it untouched."""
from __future__ import annotations

import pytest

from queries.refresh import ROLLUPS, refresh, since_binds, whole_rollups

MONTHLY = ["roll_petition_month", "roll_petition_place_month", "roll_activity_month"]
SINCE = "2026-10"


def _rows(db, table: str) -> list[tuple]:
    frame = db.frame(f"test_{table}", sql=f"SELECT * FROM {table}")
    return sorted(tuple(str(v) for v in rec) for rec in frame.itertuples(index=False))


def test_month_local_rollups_are_the_monthly_ones():
    assert [t for t in MONTHLY if ROLLUPS[t].since_delete] == MONTHLY
    assert not set(MONTHLY) & set(whole_rollups())
    assert "roll_unit_last" in whole_rollups() and "roll_veteran_stock" in whole_rollups()


def test_since_binds():
    assert since_binds("2026-11") == {"since_month": 202611, "since_day": 20261101}
    assert since_binds(None) == {"since_month": 0, "since_day": 0}
    with pytest.raises(ValueError, match="年-月"):
        since_binds("2026-13")


def test_incremental_equals_full(fixture_db):
    full = {t: _rows(fixture_db, t) for t in MONTHLY}
    assert all(full.values())
    with fixture_db.engine.begin() as conn:       # the months from SINCE on go missing: only --since restores them
        from sqlalchemy import text
        for table in MONTHLY:
            conn.execute(text(f"DELETE FROM {table} WHERE month >= 202610"))
    emptied = {t: _rows(fixture_db, t) for t in MONTHLY}
    assert all(len(emptied[t]) < len(full[t]) for t in MONTHLY)
    refresh(fixture_db.engine, since=SINCE)
    assert {t: _rows(fixture_db, t) for t in MONTHLY} == full
