"""roll_petition_state / roll_petition_week (queries/rollups/petitions_state.py) on SQLite, PostgreSQL and
MariaDB: the counts as at any day and per week equal plain-Python counts of the fixture's raw petitions, and
petitions_close_rate / _overdue_count / _spike read them (the raw queries are only the fallback)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from queries import petitions as q
from queries.periods import Period, day_key, period_params
from tests.fixtures import CITY, FIXTURE_AS_OF, YIZHANG
from tests.test_petitions_queries import SCOPE, _num, _open_at, _period, _short, _sub

STATE_SQL = ("SELECT s.received, s.accepted, s.closed, s.open_cnt, s.overdue_acc, s.overdue_ext_acc, s.overdue, "
             "s.overdue_ext FROM roll_petition_state s WHERE s.region_code = :c AND s.cohort = :k AND s.day = "
             "(SELECT MAX(x.day) FROM roll_petition_state x WHERE x.region_code = :c AND x.cohort = :k AND x.day <= :d)")


def _state(db, code12: str, cohort: int, day: int) -> dict:
    frame = db.frame("test_petition_state", {"c": code12, "k": cohort, "d": day}, sql=STATE_SQL)
    return frame.iloc[0].to_dict() if len(frame) else {}


@pytest.mark.parametrize("region", [CITY, YIZHANG])
def test_state_on_every_day_equals_python(fixture_db, fixture_data, region):
    """Each day of Oct–Nov 2026 (and New Year's Day): cohort and open/overdue counts as at that day."""
    code12 = region.ljust(12, "0") if len(region) < 12 else region
    ps = _sub(fixture_data, region)
    days = [date(2026, 1, 1)] + [date(2026, 10, 1) + timedelta(days=i) for i in range(54)]
    for d in days:
        day = day_key(d)
        year0 = d.year * 10000 + 101
        cohort = [p for p in ps if year0 <= p["received_day"] <= day]
        accepted = [p for p in cohort if p["accepted_day"] is not None and p["accepted_day"] <= day]
        closed = [p for p in accepted if p["closed_day"] is not None and p["closed_day"] <= day]
        got = _state(fixture_db, code12, d.year, day)
        assert (_num(got.get("received")), _num(got.get("accepted")), _num(got.get("closed"))) == \
            (len(cohort), len(accepted), len(closed)), d
        open_ = [p for p in ps if _open_at(p, day)]
        overdue_acc = [p for p in open_ if p["due_day"] < day]
        overdue = [p for p in ps if p["due_day"] is not None and p["due_day"] < day
                   and (p["closed_day"] is None or p["closed_day"] > day)]
        got = _state(fixture_db, code12, 0, day)
        assert (_num(got.get("open_cnt")), _num(got.get("overdue_acc")), _num(got.get("overdue_ext_acc")),
                _num(got.get("overdue")), _num(got.get("overdue_ext"))) == \
            (len(open_), len(overdue_acc), sum(1 for p in overdue_acc if p["extended"]), len(overdue),
             sum(1 for p in overdue if p["extended"])), d


def test_page_functions_read_the_rollups(fixture_db):
    """At the root (and below) the state queries answer; the raw queries are not needed."""
    params = q._binds(SCOPE, CITY, _period("2026-11"))
    params["y_ytd0"] = params["y_d1"] // 10000 * 10000 + 101
    assert q._close_rate_from_state(fixture_db, params) is not None
    assert fixture_db.frame_or_none("petitions_overdue_count_state", params) is not None
    week = Period.parse("2026-W47", FIXTURE_AS_OF)
    frame = fixture_db.frame_or_none("petitions_spike_week", {
        **params, "wk": 202647, "bw0": 202643, "bw1": 202646, "min_cases": 1,
        "w0": day_key(week.start), "w1": day_key(week.end)})
    assert frame is not None and len(frame) > 0


@pytest.mark.parametrize("w", range(1, 6))
def test_spike_weeks_across_new_year(fixture_db, fixture_data, w):
    """Weeks 1–5 of 2026: the 4 weeks before reach into 2025 (ISO week keys 202549…202553 … 202601)."""
    short = _short(CITY)
    towns = [r["code"] for r in fixture_data["region"] if r["level"] == 4 and r["short_code"].startswith(short)]
    week = Period.parse(f"2026-W{w:02d}", FIXTURE_AS_OF)
    w0, w1 = day_key(week.start), day_key(week.end)
    b0, b1 = day_key(week.start - timedelta(weeks=4)), day_key(week.start - timedelta(days=1))
    expected = {}
    for t in towns:
        days = [p["received_day"] for p in _sub(fixture_data, t)]
        if sum(1 for d in days if w0 <= d <= w1) >= 1:
            expected[t] = (sum(1 for d in days if w0 <= d <= w1), sum(1 for d in days if b0 <= d <= b1))
    frame = q.petitions_spike(fixture_db, SCOPE, CITY, week, min_cases=1)
    got = {r["region_code"]: (_num(r["this_week"]), _num(r["base_4w"])) for r in frame.to_dict("records")}
    assert got == expected


def test_close_rate_and_overdue_at_the_root(fixture_db, fixture_data):
    """The page's functions at the viewer's root (the view that read the whole scope's year) equal Python."""
    period = _period("2026-11")
    b = period_params(period)
    rate = q.petitions_close_rate(fixture_db, SCOPE, SCOPE, period).set_index("span")
    ps = _sub(fixture_data, SCOPE)
    for span, end in (("ytd", b["d1"]), ("ytd_ly", b["y_d1"])):
        cohort = [p for p in ps if end // 10000 * 10000 + 101 <= p["received_day"] <= end]
        acc = [p for p in cohort if p["accepted_day"] is not None and p["accepted_day"] <= end]
        assert _num(rate.loc[span, "accepted"]) == len(acc)
        assert _num(rate.loc[span, "closed"]) == sum(1 for p in acc if p["closed_day"] is not None
                                                     and p["closed_day"] <= end)
    counts = q.petitions_overdue_count(fixture_db, SCOPE, SCOPE, period).set_index("asat")
    assert counts.loc["cur", "open_cnt"] == sum(1 for p in ps if _open_at(p, b["d1"]))
    assert list(counts.index) == sorted(counts.index)


def test_delta_sums_to_state(fixture_db, fixture_data):
    """roll_petition_delta's total received per region and cohort equals roll_petition_state's last row, and
    the root's all-years total is the number of petitions."""
    delta = fixture_db.frame("test_delta", sql="SELECT region_code, cohort, SUM(received) AS n "
                                               "FROM roll_petition_delta GROUP BY region_code, cohort")
    last = fixture_db.frame("test_last", sql=(
        "SELECT s.region_code, s.cohort, s.received AS n FROM roll_petition_state s WHERE s.day = "
        "(SELECT MAX(x.day) FROM roll_petition_state x WHERE x.region_code = s.region_code AND x.cohort = s.cohort)"))
    got = {(r.region_code, int(r.cohort)): int(r.n) for r in delta.itertuples()}
    assert got == {(r.region_code, int(r.cohort)): int(r.n) for r in last.itertuples()}
    root = SCOPE.ljust(12, "0")
    assert sum(n for (code, _), n in got.items() if code == root) == len(fixture_data["petition"])


def test_week_rollup_is_per_township(fixture_db, fixture_data):
    """roll_petition_week holds level-4 rows only, and their total is the petitions received in townships."""
    frame = fixture_db.frame("test_week", sql="SELECT region_code, SUM(received) AS n FROM roll_petition_week "
                                              "GROUP BY region_code")
    towns = {r["code"] for r in fixture_data["region"] if r["level"] == 4}
    assert set(frame["region_code"]) <= towns
    inside = sum(1 for p in fixture_data["petition"] if any(p["region_code"].startswith(_short(t)) for t in towns))
    assert int(frame["n"].sum()) == inside > 0


def test_state_holds_counties_and_up(fixture_db, fixture_data):
    """Townships and villages have no state rows (their views read their own raw petitions)."""
    frame = fixture_db.frame("test_state_levels", sql="SELECT DISTINCT region_code FROM roll_petition_state")
    levels = {r["code"]: r["level"] for r in fixture_data["region"]}
    got = {levels[c] for c in frame["region_code"]}
    assert got == {1, 2, 3}
