"""queries/network.py on SQLite, PostgreSQL and MariaDB: every value against a plain-Python count of the
fixture's raw rows (service_unit, station_activity, region) — never against the rollups."""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import timedelta

import pytest

from queries import codes
from queries import network as q
from queries.periods import Period, day_key, from_day_key
from queries.regions import OutOfScope
from tests.fixtures import FIXTURE_AS_OF, INACTIVE_STATION_VILLAGE, VILLAGE_WITHOUT_STATION

SCOPE = "4310"
PERIODS = ["2026-11", "2026-W47", "2026-10", "2025-Q4", "2026"]
REGIONS = ["4310", "431022", "431002002", "431022102", "431022101202", VILLAGE_WITHOUT_STATION]
FIVE = ("has_institution", "has_quota", "has_personnel", "has_funding", "has_safeguards")


# ------------------------------------------------------------------------------------ plain-Python truth
def _period(key: str) -> Period:
    return Period.parse(key, FIXTURE_AS_OF)


def _ends(period: Period) -> dict[str, int]:
    """End day of the current, previous and last-year ranges (时点 indicators read these)."""
    return {"": day_key(period.last_day), "_prev": day_key(period.previous_range()[1]),
            "_ly": day_key(period.last_year_range()[1])}


def _window(end_day: int) -> tuple[int, int]:
    """The 30 days to end_day, inclusive."""
    return day_key(from_day_key(end_day) - timedelta(days=q.RUNNING_DAYS - 1)), end_day


def _rows_for(data, region12: str) -> list[dict]:
    """The region itself and its children (region rows)."""
    return [r for r in data["region"] if r["code"] == region12 or r["parent_code"] == region12]


def _inside(code: str, g: dict) -> bool:
    return g["code"] <= code <= g["code_hi"]


def _active(data, unit_id: int, lo: int, hi: int) -> bool:
    return any(a["unit_id"] == unit_id and lo <= a["day"] <= hi for a in data["station_activity"])


def expected_units(data, region: str, period: Period) -> dict[str, dict]:
    region12 = codes.code12(region)
    ends = _ends(period)
    out = {}
    for g in _rows_for(data, region12):
        units = [u for u in data["service_unit"] if _inside(u["region_code"], g) and u["founded_day"] <= ends[""]]
        row = defaultdict(int)
        row["built"] = len(units)
        for suffix, end in ends.items():
            built = [u for u in units if u["founded_day"] <= end]
            row["built" + suffix] = len(built)
            row["built_town" + suffix] = sum(u["level"] == 4 for u in built)
            row["built_village" + suffix] = sum(u["level"] == 5 for u in built)
            lo, hi = _window(end)
            row["active" + suffix] = sum(_active(data, u["unit_id"], lo, hi) for u in built)
        row["built_centre"] = sum(u["level"] <= 3 for u in units)
        for key in FIVE:
            row[key] = sum(bool(u[key]) for u in units)
        row["five_ok"] = sum(all(u[k] for k in FIVE) for u in units)
        for grade, key in (("国家级", "model_national"), ("省级", "model_province"), ("市级", "model_city"),
                           ("县级", "model_county")):
            row[key] = sum(bool(u["is_model"]) and u["model_grade"] == grade for u in units)
        row["model_total"] = sum(bool(u["is_model"]) for u in units)
        row["benchmark"] = sum(bool(u["is_benchmark"]) for u in units)
        row["model_or_benchmark"] = sum(bool(u["is_model"] or u["is_benchmark"]) for u in units)
        row["red"] = sum(bool(u["is_red"]) for u in units)
        row["yibu_yizhan"] = sum(u["level"] == 4 and bool(u["yibu_yizhan"]) for u in units)
        for key in ("staff_full", "staff_part", "staff_certified"):
            row[key] = sum(u[key] for u in units)
        row["objects_village"] = sum(u["service_objects"] for u in units if u["level"] == 5)
        row["objects_town"] = sum(u["service_objects"] for u in units if u["level"] == 4)
        out[g["code"]] = dict(row)
    return out


def same(a, b) -> bool:
    none_a = a is None or (isinstance(a, float) and math.isnan(a))
    none_b = b is None or (isinstance(b, float) and math.isnan(b))
    return none_a == none_b and (none_a or float(a) == float(b))


# ------------------------------------------------------------------------------------ tests
@pytest.mark.parametrize("region", ["4310", "431022", "431002001", "431022102201"])
def test_expected_counts_regions_by_tier(fixture_db, fixture_data, region):
    frame = q.network_expected(fixture_db, SCOPE, region)
    region12 = codes.code12(region)
    got = {r["region_code"]: r for r in frame.to_dict("records")}
    rows = _rows_for(fixture_data, region12)
    assert set(got) == {g["code"] for g in rows}
    for g in rows:
        inside = [d for d in fixture_data["region"] if _inside(d["code"], g) and d["level"] >= 2]
        assert same(got[g["code"]]["expected_centre"], sum(d["level"] <= 3 for d in inside))
        assert same(got[g["code"]]["expected_town"], sum(d["level"] == 4 for d in inside))
        assert same(got[g["code"]]["expected_village"], sum(d["level"] == 5 for d in inside))


@pytest.mark.parametrize("period_key", PERIODS)
@pytest.mark.parametrize("region", REGIONS)
def test_units_match_raw_rows(fixture_db, fixture_data, region, period_key):
    period = _period(period_key)
    frame = q.network_units(fixture_db, SCOPE, region, period)
    expected = expected_units(fixture_data, region, period)
    got = {r["region_code"]: r for r in frame.to_dict("records")}
    assert set(got) == set(expected)
    for code, row in expected.items():
        for key, value in row.items():
            assert same(got[code][key], value), (code, key, got[code][key], value)


def test_units_region_row_is_the_subtree_total(fixture_db):
    frame = q.network_units(fixture_db, SCOPE, "4310", _period("2026-11")).set_index("region_code")
    city, children = frame.loc["431000000000"], frame.drop(index="431000000000")
    assert city["built"] == children["built"].sum() + 1            # + the city's own centre
    assert city["built_centre"] == 3


def test_fixture_cases_are_seen(fixture_db, fixture_data):
    """The signposted-but-idle station is idle; the village without a station has nothing built."""
    period = _period("2026-11")
    idle = q.network_idle(fixture_db, SCOPE, "4310", period)
    row = idle[idle["region_code"] == INACTIVE_STATION_VILLAGE].iloc[0]
    assert row["last_day"] == 0                                    # never any record
    assert idle.iloc[0]["region_code"] == INACTIVE_STATION_VILLAGE  # never-active first
    units = q.network_units(fixture_db, SCOPE, VILLAGE_WITHOUT_STATION, period)
    assert units.iloc[0]["built"] == 0


@pytest.mark.parametrize("period_key", PERIODS)
@pytest.mark.parametrize("region", ["4310", "431022", "431002002", "431022101202"])
def test_idle_list_and_order(fixture_db, fixture_data, region, period_key):
    period = _period(period_key)
    end = day_key(period.last_day)
    lo, hi = _window(end)
    g = next(r for r in fixture_data["region"] if r["code"] == codes.code12(region))
    truth = []
    for u in fixture_data["service_unit"]:
        if _inside(u["region_code"], g) and u["founded_day"] <= end and not _active(fixture_data, u["unit_id"], lo, hi):
            last = max((a["day"] for a in fixture_data["station_activity"]
                        if a["unit_id"] == u["unit_id"] and a["day"] <= end), default=0)
            truth.append((last, u["region_code"], u["unit_id"]))
    truth.sort()
    frame = q.network_idle(fixture_db, SCOPE, region, period)
    assert list(zip(frame["last_day"], frame["region_code"], frame["unit_id"])) == truth
    units = q.network_units(fixture_db, SCOPE, region, period).set_index("region_code").loc[g["code"]]
    assert units["built"] - units["active"] == len(truth)
    capped = q.network_idle(fixture_db, SCOPE, region, period, max_rows=2)
    assert list(capped["unit_id"]) == [t[2] for t in truth[:2]]


@pytest.mark.parametrize("period_key", PERIODS)
@pytest.mark.parametrize("region", ["4310", "431002", "431022101"])
def test_activity_sums_in_period(fixture_db, fixture_data, region, period_key):
    period = _period(period_key)
    ranges = {"": (day_key(period.start), day_key(period.last_day)),
              "_prev": tuple(map(day_key, period.previous_range())),
              "_ly": tuple(map(day_key, period.last_year_range()))}
    frame = q.network_activity(fixture_db, SCOPE, region, period)
    got = {r["region_code"]: r for r in frame.to_dict("records")}
    rows = _rows_for(fixture_data, codes.code12(region))
    assert set(got) == {g["code"] for g in rows}
    for g in rows:
        for suffix, (lo, hi) in ranges.items():
            acts = [a for a in fixture_data["station_activity"] if _inside(a["region_code"], g) and lo <= a["day"] <= hi]
            for key in ("items", "visits"):
                want = sum(a[key] for a in acts) if acts else None
                assert same(got[g["code"]][key + suffix], want), (g["code"], key + suffix)
            if suffix == "":
                assert same(got[g["code"]]["records"], len(acts) if acts else None)


@pytest.mark.parametrize("region", ["4310", "431022", "431002001001"])
def test_monthly_trend_founded_and_active(fixture_db, fixture_data, region):
    period = _period("2026-11")
    months = q.trend_months(period)
    assert len(months) == 36 and months[-1] == 202611 and months[0] == 202312
    g = next(r for r in fixture_data["region"] if r["code"] == codes.code12(region))
    acts = [a for a in fixture_data["station_activity"]
            if _inside(a["region_code"], g) and months[0] * 100 < a["day"] <= 20261123]
    trend = q.network_trend(fixture_db, SCOPE, region, period).set_index("month")
    active = q.network_active_months(fixture_db, SCOPE, region, period).set_index("month")
    for m in months:
        in_month = [a for a in acts if a["day"] // 100 == m]
        if in_month:
            assert trend.loc[m, "items"] == sum(a["items"] for a in in_month)
            assert trend.loc[m, "visits"] == sum(a["visits"] for a in in_month)
            assert trend.loc[m, "records"] == len(in_month)
            assert active.loc[m, "active_units"] == len({a["unit_id"] for a in in_month})
        else:
            assert m not in trend.index and m not in active.index
    founded = q.network_founded(fixture_db, SCOPE, region, period).set_index("month")["founded"]
    truth = defaultdict(int)
    for u in fixture_data["service_unit"]:
        if _inside(u["region_code"], g):
            truth[u["founded_day"] // 100] += 1
    assert founded.to_dict() == dict(truth)


def test_partial_period_uses_the_as_of_date(fixture_db, fixture_data):
    """A month not over yet counts up to the as-of date; its 30-day window ends there too."""
    period = _period("2026-11")
    assert period.is_partial and day_key(period.last_day) == 20261123
    frame = q.network_units(fixture_db, SCOPE, "4310", period).set_index("region_code")
    truth = expected_units(fixture_data, "4310", period)["431000000000"]
    assert frame.loc["431000000000", "active"] == truth["active"]


@pytest.mark.parametrize("region", ["4311", "431022"])
def test_region_outside_scope_is_refused(fixture_db, region):
    with pytest.raises(OutOfScope, match="不在您的查看范围"):
        q.network_units(fixture_db, "431002", region, _period("2026-11"))
    with pytest.raises(OutOfScope):
        q.network_idle(fixture_db, "431002", region, _period("2026-11"))


def test_scope_narrower_than_root_sees_only_its_subtree(fixture_db, fixture_data):
    period = _period("2026-11")
    frame = q.network_units(fixture_db, "431022", "431022", period).set_index("region_code")
    assert frame.loc["431022000000", "built"] == expected_units(fixture_data, "431022", period)["431022000000"]["built"]
    idle = q.network_idle(fixture_db, "431022", "431022", period)
    assert idle["region_code"].str.startswith("431022").all()
