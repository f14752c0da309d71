"""`refresh --since`: month/day-local rollups rebuilt from a month on equal a full rebuild, rows before it untouched."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from queries.refresh import ROLLUPS, check_since, refresh, since_binds, whole_rollups

# every rollup refresh --since rebuilds from a month on, with its key column and the first key kept for SINCE
LOCAL = {
    "roll_payment_month": "month", "roll_payment_people": "month", "roll_petition_day": "day",
    "roll_activity_day": "day", "roll_veteran_month": "month", "roll_employment_day": "day",
    "roll_311_day": "day", "roll_placement_day": "day", "roll_placement_mix": "day", "roll_training_day": "day",
    "roll_payment_paid_day": "day", "roll_payment_backpay": "month", "roll_activity_month": "month",
    "roll_petition_month": "month", "roll_petition_place_month": "month", "roll_petition_delta": "day",
    "roll_petition_week": "week",
}
# the first key each table keeps for a --since month; the earlier one is the fixture's 调标补发 month (2024-10)
FROM_KEY = {
    "2026-10": {"month": 202610, "day": 20261001, "week": 202640},   # Thu 1 Oct: W40 is 28 Sep – 4 Oct
    "2024-10": {"month": 202410, "day": 20241001, "week": 202440},   # Tue 1 Oct: W40 is 30 Sep – 6 Oct
}
NO_ROWS_FROM = {"2026-10": ["roll_payment_backpay"], "2024-10": []}


def _rows(db, table: str) -> list[tuple]:
    frame = db.frame(f"test_{table}", sql=f"SELECT * FROM {table}")
    return sorted(tuple(str(v) for v in rec) for rec in frame.itertuples(index=False))


def test_local_rollups_are_these():
    assert sorted(t for t, r in ROLLUPS.items() if r.since_delete) == sorted(LOCAL)
    assert not set(LOCAL) & set(whole_rollups())
    # windows over history, last activity, stocks and history-wide checks stay whole
    for table in ("roll_unit_last", "roll_veteran_stock", "roll_petition_state", "roll_network_state",
                  "roll_network_delta", "roll_veteran_flags_day", "roll_311_person", "roll_payment_audit_case",
                  "roll_payment_audit", "roll_quality"):
        assert table in whole_rollups()


def test_since_binds():
    assert since_binds("2026-11") == {"since_month": 202611, "since_day": 20261101,
                                      "since_week": 202644, "since_week_day": 20261026}
    # 1 Jan 2027 is a Friday of ISO week 2026-W53, which starts on Monday 28 Dec 2026
    assert since_binds("2027-01") == {"since_month": 202701, "since_day": 20270101,
                                      "since_week": 202653, "since_week_day": 20261228}
    assert since_binds("2026-06")["since_week_day"] == 20260601          # a month starting on a Monday
    assert since_binds(None) == {"since_month": 0, "since_day": 0, "since_week": 0, "since_week_day": 0}
    with pytest.raises(ValueError, match="年-月"):
        since_binds("2026-13")


def test_since_must_reach_back_to_the_previous_as_of_month():
    check_since("2026-11", date(2026, 11, 10), date(2026, 11, 23))
    check_since("2026-09", date(2026, 11, 10), date(2026, 11, 23))
    check_since("2026-11", date(2026, 10, 31), date(2026, 11, 23))      # October was whole at the old date
    with pytest.raises(ValueError, match="2026-10 起各月都须重建"):
        check_since("2026-11", date(2026, 10, 30), date(2026, 11, 23))
    with pytest.raises(ValueError, match="2026-11 起各月都须重建"):
        check_since("2026-12", date(2026, 11, 10), date(2026, 12, 3))
    with pytest.raises(ValueError, match="2026-10 起各月都须重建"):       # the as-of moved back
        check_since("2026-11", date(2026, 11, 23), date(2026, 10, 5))
    with pytest.raises(ValueError, match="完整刷新"):
        check_since("2026-11", None, date(2026, 11, 23))


def test_refused_since_changes_nothing(fixture_db):
    before = _rows(fixture_db, "roll_payment_month")
    with pytest.raises(ValueError, match="太晚"):
        refresh(fixture_db.engine, since="2026-12")                    # the fixture is as of 2026-11-23
    assert _rows(fixture_db, "roll_payment_month") == before


@pytest.mark.parametrize("since", list(FROM_KEY))
def test_incremental_equals_full(fixture_db, since):
    full = {t: _rows(fixture_db, t) for t in LOCAL}
    assert all(full.values())
    try:
        with fixture_db.engine.begin() as conn:   # the rows from since on go missing: only --since restores them
            for table, key in LOCAL.items():      # fixed names from LOCAL; the bound is a bind
                conn.execute(text(f"DELETE FROM {table} WHERE {key} >= :k"), {"k": FROM_KEY[since][key]})
        emptied = {t: _rows(fixture_db, t) for t in LOCAL}
        assert [t for t in LOCAL if len(emptied[t]) >= len(full[t])] == NO_ROWS_FROM[since]
        refresh(fixture_db.engine, since=since)
        assert {t: _rows(fixture_db, t) for t in LOCAL} == full
    except BaseException:
        refresh(fixture_db.engine)                # leave the shared fixture database whole for the next tests
        raise


def test_cli_says_what_it_rebuilt_and_refuses_a_late_month(tmp_path, monkeypatch, capsys):
    from dashboard.cli import main
    from queries.db import make_engine
    from tests.fixtures import populate

    url = f"sqlite:///{tmp_path / 'f.sqlite'}"
    populate(make_engine(url))                                     # as of 2026-11-23
    monkeypatch.setenv("VETDASH_DATABASE_URL", url)
    assert main(["refresh", "--since", "2026-12"]) == 2
    err = capsys.readouterr().err
    assert "太晚" in err and "--since 2026-11 或更早" in err and "Traceback" not in err
    assert main(["refresh", "--since", "2026-11"]) == 0
    out = capsys.readouterr().out
    assert "roll_payment_month: " in out and "（仅重建 2026-11 起各月）" in out
    assert "roll_petition_week: " in out and "（仅重建 2026-10-26 所在周起各周）" in out
    assert "roll_unit_last: " in out and f"整表重建 {len(whole_rollups())} 张表合计" in out
    assert f"按月增量 {len(LOCAL)} 张表合计" in out


def test_since_indexes_on_server_databases_only(fixture_db):
    """refresh() adds the payment month / paid-day indexes on PostgreSQL and MariaDB (a since run reads the new
    months only), never on SQLite (its planner would read a full refresh through them row by row)."""
    from sqlalchemy import inspect
    refresh(fixture_db.engine, since=None, only=["roll_calendar"])
    names = {ix["name"] for ix in inspect(fixture_db.engine).get_indexes("payment")}
    wanted = {"ix_payment_month", "ix_payment_paid_day"}
    if fixture_db.engine.dialect.name == "sqlite":
        assert not wanted & names
    else:
        assert wanted <= names
