"""roll_activity_month and roll_unit_last equal plain-Python computations from the fixture's raw rows
(every dialect); the queries that read them give the same rows as the raw paths they replace."""
from __future__ import annotations

from collections import defaultdict

import pytest

from queries import codes
from queries import network as q
from queries.loader import load_sql
from queries.periods import Period, day_key
from queries.rollups import network as rollups
from tests.fixtures import FIXTURE_AS_OF, FIXTURE_ROOT

ASOF = day_key(FIXTURE_AS_OF)
SCOPE = FIXTURE_ROOT


def _ancestors(data) -> dict[str, list[str]]:
    regions = data["region"]
    return {r["code"]: [a["code"] for a in regions if r["code"].startswith(a["short_code"])] for r in regions}


def _read(db, table: str, keys: list[str], values: list[str]) -> dict:
    frame = db.frame(f"test_{table}", sql=f"SELECT {', '.join(keys + values)} FROM {table}")
    out = {}
    for rec in frame.to_dict("records"):
        key = tuple(str(rec[k]) if k == "region_code" else int(rec[k]) for k in keys)
        assert key not in out, f"{table}: duplicate row {key}"
        out[key] = tuple(str(rec[v]) if v == "region_code" else int(rec[v]) for v in values)
    return out


def expected_activity_month(data) -> dict:
    up = _ancestors(data)
    sums = defaultdict(lambda: [0, 0, 0])
    units = defaultdict(set)
    for a in data["station_activity"]:
        if a["day"] > ASOF:                                  # the rollup is cut at the as-of date
            continue
        for code in up[a["region_code"]]:
            key = (code, a["day"] // 100)
            sums[key][0] += 1
            sums[key][1] += a["items"]
            sums[key][2] += a["visits"]
            units[key].add(a["unit_id"])
    return {k: (v[0], v[1], v[2], len(units[k])) for k, v in sums.items()}


def expected_unit_last(data) -> dict:
    last = defaultdict(int)
    for a in data["station_activity"]:
        if a["day"] <= ASOF:
            last[a["unit_id"]] = max(last[a["unit_id"]], a["day"])
    return {(u["unit_id"],): (u["region_code"], last[u["unit_id"]]) for u in data["service_unit"]}


def test_rollups_are_registered():
    assert [r.table for r in rollups.ROLLUPS] == ["roll_activity_month", "roll_unit_last"]


def test_activity_month_equals_python(fixture_db, fixture_data):
    got = _read(fixture_db, "roll_activity_month", ["region_code", "month"],
                ["records", "items", "visits", "active_units"])
    expected = expected_activity_month(fixture_data)
    assert expected and got == expected


def test_activity_month_sums_equal_activity_day(fixture_db):
    days = _read(fixture_db, "roll_activity_day", ["region_code", "day"], ["records", "items", "visits"])
    months = defaultdict(lambda: (0, 0, 0))
    for (code, day), v in days.items():
        if day <= ASOF:
            months[(code, day // 100)] = tuple(a + b for a, b in zip(months[(code, day // 100)], v))
    got = _read(fixture_db, "roll_activity_month", ["region_code", "month"], ["records", "items", "visits"])
    assert got == dict(months)


def test_unit_last_equals_python(fixture_db, fixture_data):
    got = _read(fixture_db, "roll_unit_last", ["unit_id"], ["region_code", "last_day"])
    expected = expected_unit_last(fixture_data)
    assert got == expected
    assert any(v[1] == 0 for v in got.values())                # a station that never served is kept, as 0


# ------------------------------------------------------------------------------ split and queries
@pytest.mark.parametrize("d0, d1, expected", [
    (20231201, 20261123, (202312, 202611, 1, 0)),
    (20231101, 20261004, (202311, 202609, 20261001, 20261004)),
    (20230701, 20260630, (202307, 202606, 1, 0)),
    (20261001, 20261004, (1, 0, 20261001, 20261004)),
])
def test_split_months(d0, d1, expected):
    assert q.split_months(d0, d1, ASOF) == expected


@pytest.mark.parametrize("key", ["2026-11", "2026-W40", "2026-W47", "2025-06", "2026"])
@pytest.mark.parametrize("region", ["4310", "431022", "431002002", "431002002002"])
def test_idle_list_same_on_both_paths(fixture_db, region, key):
    """network_idle_asof (roll_unit_last) and network_idle (seeks) list the same stations at the as-of date;
    other end days take the seek path."""
    period = Period.parse(key, FIXTURE_AS_OF)
    got = q.network_idle(fixture_db, SCOPE, region, period)
    params = q._period_binds(SCOPE, region, period)
    params["max_rows"] = q.IDLE_LIST_MAX
    seek = fixture_db.frame("network_idle", params)
    cols = ["unit_id", "region_code", "founded_day", "last_day"]
    assert [tuple(map(str, r)) for r in got[cols].itertuples(index=False)] == \
        [tuple(map(str, (int(r[0]), r[1], int(r[2]), int(r[3])))) for r in seek[cols].itertuples(index=False)]
    if params["d1"] == ASOF:
        fast = fixture_db.frame("network_idle_asof", params)
        assert list(fast["unit_id"].astype(int)) == list(got["unit_id"])


@pytest.mark.parametrize("key", ["2026-11", "2026-W48", "2026-Q4", "2026"])
@pytest.mark.parametrize("region", ["4310", "431022"])
def test_units_same_with_and_without_unit_last(fixture_db, region, key):
    """network_units reads roll_unit_last for the as-of end day; forcing the seek gives the same counts."""
    period = Period.parse(key, FIXTURE_AS_OF)
    params = q._period_binds(SCOPE, region, period)
    params["child_len"] = codes.LEVEL_LENGTHS.get(codes.level_of(region) + 1, 12)
    fast = fixture_db.frame("network_units", dict(params, last_asof=ASOF))
    seek = fixture_db.frame("network_units", dict(params, last_asof=0))
    assert fast.fillna(0).astype(str).equals(seek.fillna(0).astype(str))


def test_active_months_tail_branch_is_skipped_when_empty():
    sql = load_sql("network_active_months")["network_active_months"]
    assert ":rd0 <= :rd1" in sql


@pytest.mark.parametrize("key, last_month", [("2026-W40", 202610), ("2026-11", 202611), ("2025-06", 202506)])
def test_trend_and_active_months_to_a_cut_month(fixture_db, fixture_data, key, last_month):
    period = Period.parse(key, FIXTURE_AS_OF)
    end = day_key(period.last_day)
    trend = q.network_trend(fixture_db, SCOPE, "4310", period).set_index("month")
    active = q.network_active_months(fixture_db, SCOPE, "4310", period).set_index("month")
    months = q.trend_months(period)
    assert months[-1] == last_month
    for m in months:
        acts = [a for a in fixture_data["station_activity"] if a["day"] // 100 == m and a["day"] <= end]
        if not acts:
            assert m not in trend.index and m not in active.index
            continue
        assert (trend.loc[m, "records"], trend.loc[m, "items"], trend.loc[m, "visits"]) == \
            (len(acts), sum(a["items"] for a in acts), sum(a["visits"] for a in acts))
        assert active.loc[m, "active_units"] == len({a["unit_id"] for a in acts})
