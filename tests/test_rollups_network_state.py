"""roll_unit_span / roll_network_state (queries/rollups/network_state.py) on SQLite, PostgreSQL and MariaDB:
运行 spans and the 服务网络 counts as of any day equal plain-Python counts of the fixture's raw rows
(service_unit, station_activity), and network_units reads the rollup (not the raw fallback)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from queries import network as q
from queries.db import record_sql_time
from queries.periods import Period, day_key, from_day_key
from tests.fixtures import FIXTURE_AS_OF, VILLAGE_WITHOUT_STATION
from tests.test_network_queries import (
    PERIODS,
    REGIONS,
    SCOPE,
    _period,
    expected_units,
    same,
)

ASOF = day_key(FIXTURE_AS_OF)
OPEN = 99991231


def expected_spans(data) -> set[tuple[int, int, int]]:
    """(unit_id, start_day, stop_day): runs of days with a record in the 30 days to the day, from founding on."""
    days = {}
    for a in data["station_activity"]:
        if a["day"] <= ASOF:
            days.setdefault(a["unit_id"], set()).add(from_day_key(a["day"]))
    out = set()
    for u in data["service_unit"]:
        founded = from_day_key(u["founded_day"])
        active = sorted({r + timedelta(days=i) for r in days.get(u["unit_id"], ()) for i in range(30)
                         if r + timedelta(days=i) >= founded})
        start = prev = None
        for d in active + [None]:
            if d is not None and prev is not None and d == prev + timedelta(days=1):
                prev = d
                continue
            if start is not None:
                stop = prev + timedelta(days=1)
                out.add((u["unit_id"], day_key(start), day_key(stop) if day_key(stop) <= ASOF else OPEN))
            start = prev = d
    return out


def test_spans_equal_python(fixture_db, fixture_data):
    frame = fixture_db.frame("test_spans", sql="SELECT unit_id, start_day, stop_day FROM roll_unit_span")
    got = {(int(r.unit_id), int(r.start_day), int(r.stop_day)) for r in frame.itertuples()}
    expected = expected_spans(fixture_data)
    assert len(got) == len(frame)                        # no duplicate span
    assert got == expected
    assert any(s[2] != OPEN for s in expected) and any(s[2] == OPEN for s in expected)   # both kinds seen


@pytest.mark.parametrize("period_key", PERIODS)
@pytest.mark.parametrize("region", REGIONS)
def test_state_query_equals_raw_counts(fixture_db, fixture_data, region, period_key):
    period = _period(period_key)
    frame = fixture_db.frame("network_units_state", q._period_binds(SCOPE, region, period))
    expected = expected_units(fixture_data, region, period)
    got = {r["region_code"]: r for r in frame.to_dict("records")}
    assert set(got) == set(expected)
    for code, row in expected.items():
        for key, value in row.items():
            cell = got[code][key]           # no state row yet (nothing built by then): NULL, shown as 0
            assert same(0 if cell is None or cell != cell else cell, value), (code, key, cell, value)


@pytest.mark.parametrize("region", ["4310", "431022", "431022101202"])
def test_network_units_reads_the_rollup(fixture_db, region):
    """The page's function takes the rollup path wherever a station exists (the raw path is the fallback)."""
    params = q._period_binds(SCOPE, region, _period("2026-10"))
    assert q._units_from_state(fixture_db, params) is not None
    assert q._units_from_state(fixture_db, q._period_binds(SCOPE, VILLAGE_WITHOUT_STATION,
                                                           _period("2026-10"))) is None


def test_city_active_on_every_day_of_a_month(fixture_db, fixture_data):
    """active as of each day 1–23 Nov 2026 (a week or month may end on any day) equals the raw count."""
    city = "431000000000"
    for day in range(1, 24):
        end = date(2026, 11, day)
        lo = day_key(end - timedelta(days=29))
        want = sum(1 for u in fixture_data["service_unit"] if u["founded_day"] <= day_key(end) and any(
            a["unit_id"] == u["unit_id"] and lo <= a["day"] <= day_key(end) for a in fixture_data["station_activity"]))
        got = fixture_db.frame("test_state_day", {"c": city, "d": day_key(end)}, sql=(
            "SELECT s.active FROM roll_network_state s WHERE s.region_code = :c AND s.day = "
            "(SELECT MAX(x.day) FROM roll_network_state x WHERE x.region_code = :c AND x.day <= :d)"))
        assert int(got.iloc[0, 0]) == want, end


def test_delta_sums_to_state(fixture_db):
    """roll_network_delta's total change per region equals roll_network_state's last row (the running sum)."""
    delta = fixture_db.frame("test_delta", sql="SELECT region_code, SUM(built) AS b, SUM(active) AS a "
                                               "FROM roll_network_delta GROUP BY region_code")
    last = fixture_db.frame("test_last", sql=(
        "SELECT s.region_code, s.built AS b, s.active AS a FROM roll_network_state s WHERE s.day = "
        "(SELECT MAX(x.day) FROM roll_network_state x WHERE x.region_code = s.region_code)"))
    got = {r.region_code: (int(r.b), int(r.a)) for r in delta.itertuples()}
    assert got and got == {r.region_code: (int(r.b), int(r.a)) for r in last.itertuples()}


def test_expected_equals_region_counts(fixture_db, fixture_data):
    """roll_network_expected: every region's centres (cities, counties), township and village stations of
    its subtree (by code range), counted here from the region rows."""
    frame = fixture_db.frame("test_expected", sql="SELECT region_code, expected_centre, expected_town, "
                                                  "expected_village FROM roll_network_expected")
    got = {r.region_code: (int(r.expected_centre), int(r.expected_town), int(r.expected_village))
           for r in frame.itertuples()}
    regions = fixture_data["region"]
    want = {}
    for g in regions:
        inside = [d for d in regions if g["code"] <= d["code"] <= g["code_hi"]]
        want[g["code"]] = (sum(d["level"] in (2, 3) for d in inside), sum(d["level"] == 4 for d in inside),
                           sum(d["level"] == 5 for d in inside))
    assert got == want


@pytest.mark.parametrize("region", ["4310", "431022", "431022101"])
def test_founded_by_month_reads_the_rollup(fixture_db, fixture_data, region):
    """network_founded_state (the page's path) equals stations founded per month counted from service_unit."""
    period = _period("2026-10")
    params = q._trend_binds(SCOPE, region, period, 36)
    frame = fixture_db.frame("network_founded_state", params)
    g = next(r for r in fixture_data["region"] if r["code"] == q.codes.code12(region))
    want = {}
    for u in fixture_data["service_unit"]:
        if g["code"] <= u["region_code"] <= g["code_hi"] and u["founded_day"] <= params["t_d1"]:
            want[u["founded_day"] // 100] = want.get(u["founded_day"] // 100, 0) + 1
    assert len(frame) and {int(r.month): int(r.founded) for r in frame.itertuples()} == want


def test_idle_gaps_equal_python(fixture_db, fixture_data):
    """roll_unit_idle: from the founding day, the days not covered by a 运行 span, as [from, to) gaps, each
    with the last service record before it (the span's stop − 30 days; 0 before the first span)."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for unit, start, stop in expected_spans(fixture_data):
        spans.setdefault(unit, []).append((start, stop))
    expected = set()
    for u in fixture_data["service_unit"]:
        runs = sorted(spans.get(u["unit_id"], []))
        edge, last = u["founded_day"], 0
        for start, stop in runs:
            if start > edge:
                expected.add((u["unit_id"], edge, start, last))
            edge, last = stop, day_key(from_day_key(stop) - timedelta(days=30)) if stop != OPEN else 0
        if edge != OPEN:
            expected.add((u["unit_id"], edge, OPEN, last))
    frame = fixture_db.frame("test_idle", sql="SELECT unit_id, idle_from, idle_to, last_day FROM roll_unit_idle")
    got = {tuple(int(x) for x in r) for r in frame.itertuples(index=False)}
    assert len(got) == len(frame)
    assert got == expected
    assert any(g[2] == OPEN for g in expected) and any(g[2] != OPEN for g in expected)   # both kinds seen
    assert any(g[3] == 0 for g in expected) and any(g[3] != 0 for g in expected)


def test_past_week_idle_list_reads_the_gaps(fixture_db):
    """A past week's 挂牌未运行 list (周例会's persistence walk) reads roll_unit_idle, not one seek per station."""
    with record_sql_time() as ran:
        q.network_idle(fixture_db, SCOPE, "4310", Period.parse("2026-W40", FIXTURE_AS_OF))
    assert [name for name, _ in ran] == ["network_rollup_asof", "network_idle_state"]
