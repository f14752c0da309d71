"""Overview queries on SQLite, PostgreSQL and MariaDB equal an independent computation from the fixture rows."""
from __future__ import annotations

from datetime import date

import pytest

from queries import codes, overview as q
from queries.periods import Period, day_key
from queries.regions import OutOfScope
from tests.fixtures import FIXTURE_AS_OF, VILLAGE_WITHOUT_STATION

SCOPE = "4310"
REGIONS = ["4310", "431022", "431022102", "431002002002"]
PERIODS = ["2026-10", "2026-11", "2026-W47", "2026-Q3", "2025"]


def inside(code: str, region: str) -> bool:
    lo, hi = codes.subtree_range(region)
    return lo <= code <= hi


def row_of(frame, region: str) -> dict:
    rows = frame[frame.region_code == codes.code12(region)]
    assert len(rows) == 1, f"expected one row for {region}"
    return rows.iloc[0].to_dict()


def n(v):
    return 0 if v is None or v != v else v


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("period_key", PERIODS)
def test_network(fixture_db, fixture_data, region, period_key):
    period = Period.parse(period_key, FIXTURE_AS_OF)
    d1 = day_key(period.last_day)
    got = row_of(q.overview_network(fixture_db, SCOPE, region, period), region)
    units = [u for u in fixture_data["service_unit"] if inside(u["region_code"], region)]
    built = [u for u in units if u["founded_day"] <= d1]
    five = [u for u in built if all(u[k] for k in ("has_institution", "has_quota", "has_personnel",
                                                  "has_funding", "has_safeguards"))]
    should = [g for g in fixture_data["region"] if inside(g["code"], region) and g["level"] >= 2]
    assert got["should_exist"] == len(should)
    assert got["built"] == len(built)
    assert n(got["five_ok"]) == len(five)


def test_network_children_sum_to_parent(fixture_db):
    period = Period.parse("2026-11", FIXTURE_AS_OF)
    frame = q.overview_network(fixture_db, SCOPE, "431022", period)
    parent = row_of(frame, "431022")
    kids = frame[frame.region_code != codes.code12("431022")]
    assert len(kids) == 2
    assert kids["should_exist"].sum() + 1 == parent["should_exist"]      # + the county centre itself
    assert kids["built"].sum() <= parent["built"]


def test_village_without_station_counts_as_gap(fixture_db):
    period = Period.parse("2026-11", FIXTURE_AS_OF)
    got = row_of(q.overview_network(fixture_db, SCOPE, VILLAGE_WITHOUT_STATION, period), VILLAGE_WITHOUT_STATION)
    assert (got["should_exist"], got["built"]) == (1, 0)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("period_key", PERIODS)
def test_petitions(fixture_db, fixture_data, region, period_key):
    period = Period.parse(period_key, FIXTURE_AS_OF)
    d0, d1 = day_key(period.start), day_key(period.last_day)
    got = row_of(q.overview_petitions(fixture_db, SCOPE, region, period), region)
    mine = [p for p in fixture_data["petition"] if inside(p["region_code"], region)]
    assert n(got["received"]) == sum(1 for p in mine if d0 <= p["received_day"] <= d1)
    due = [p for p in mine if p["due_day"] is not None and d0 <= p["due_day"] <= d1]
    assert n(got["due_cnt"]) == len(due)
    assert n(got["due_ontime"]) == sum(1 for p in due if p["closed_day"] is not None and p["closed_day"] <= p["due_day"])
    p0, p1 = (day_key(d) for d in period.previous_range())
    assert n(got["received_prev"]) == sum(1 for p in mine if p0 <= p["received_day"] <= p1)
    m1 = d1 // 100
    vets = [v for v in fixture_data["veteran"] if inside(v["region_code"], region)]
    stock = sum(1 for v in vets if v["discharged_day"] // 100 <= m1) - \
        sum(1 for v in vets if v["died_day"] is not None and v["died_day"] // 100 <= m1)
    assert n(got["veterans"]) == stock


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("period_key", PERIODS)
def test_funds(fixture_db, fixture_data, region, period_key):
    period = Period.parse(period_key, FIXTURE_AS_OF)
    m0, m1 = day_key(period.start) // 100, day_key(period.last_day) // 100
    asof = day_key(FIXTURE_AS_OF)
    got = row_of(q.overview_funds(fixture_db, SCOPE, region, period), region)
    pays = [p for p in fixture_data["payment"] if inside(p["region_code"], region)]
    in_period = [p for p in pays if m0 <= p["month"] <= m1]
    assert n(got["paid"]) == pytest.approx(float(sum(p["amount_paid"] for p in in_period)), abs=0.01)
    ytd0 = period.last_day.year * 100 + 1
    assert n(got["paid_ytd"]) == pytest.approx(float(sum(p["amount_paid"] for p in pays if ytd0 <= p["month"] <= m1)), abs=0.01)
    due = [p for p in in_period if p["due_day"] <= asof]
    assert n(got["rows_due"]) == len(due)
    assert n(got["rows_ontime"]) == sum(1 for p in due if p["paid_day"] is not None and p["paid_day"] <= p["due_day"]
                                        and p["amount_paid"] >= p["amount_due"])
    budget = sum(float(b["amount"]) for b in fixture_data["budget"]
                 if inside(b["region_code"], region) and b["year"] == period.last_day.year)
    assert n(got["budget"]) == pytest.approx(budget, abs=0.01)


@pytest.mark.parametrize("region", ["4310", "431022", "431002"])
@pytest.mark.parametrize("period_key", ["2026-11", "2026-06", "2025"])
def test_placement(fixture_db, fixture_data, region, period_key):
    period = Period.parse(period_key, FIXTURE_AS_OF)
    year, d1 = period.last_day.year, day_key(period.last_day)
    got = row_of(q.overview_placement(fixture_db, SCOPE, region, period), region)
    task = sum(t["task"] for t in fixture_data["placement_task"] if inside(t["region_code"], region) and t["year"] == year)
    done = sum(1 for p in fixture_data["placement"] if inside(p["region_code"], region) and p["is_task"]
               and p["cohort_year"] == year and p["reported_day"] is not None and p["reported_day"] <= d1)
    assert n(got["task"]) == task
    assert got["done"] == done


def latest_status(rows, veteran_id, day):
    mine = [r for r in rows if r["veteran_id"] == veteran_id and r["effective_day"] <= day]
    if not mine:
        return None
    top = max(r["effective_day"] for r in mine)
    return max((r for r in mine if r["effective_day"] == top), key=lambda r: r["status_id"])["status"]


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("period_key", ["2026-11", "2026-03", "2025-12"])
def test_employment(fixture_db, fixture_data, region, period_key):
    period = Period.parse(period_key, FIXTURE_AS_OF)
    d1, cohort = day_key(period.last_day), period.last_day.year - 1
    got = row_of(q.overview_employment(fixture_db, SCOPE, region, period), region)
    rows = [r for r in fixture_data["employment_status"] if r["cohort_year"] == cohort and inside(r["region_code"], region)]
    statuses = [latest_status(rows, v, d1) for v in {r["veteran_id"] for r in rows}]
    statuses = [s for s in statuses if s is not None]
    assert got["cohort_size"] == len(statuses)
    assert n(got["employed"]) == sum(s in ("城镇就业", "返乡务农", "创业") for s in statuses)
    assert n(got["waiting"]) == sum(s == "待就业" for s in statuses)
    assert n(got["studying"]) == sum(s in ("复学", "考试入学") for s in statuses)


def test_trend_months_match_rollups(fixture_db, fixture_data):
    period = Period.parse("2026-11", FIXTURE_AS_OF)
    trend = q.overview_trend(fixture_db, SCOPE, "431022", period)
    pet = trend[trend.series == "petitions"].set_index("month")["value"]
    expected = {}
    for p in fixture_data["petition"]:
        if inside(p["region_code"], "431022"):
            expected[p["received_day"] // 100] = expected.get(p["received_day"] // 100, 0) + 1
    for month, count in expected.items():
        if month >= 202312:
            assert pet.get(month, 0) == count


def test_station_card(fixture_db, fixture_data):
    period = Period.parse("2026-11", FIXTURE_AS_OF)
    village = "431002002002"
    card = q.station_card(fixture_db, SCOPE, village, period)
    units = [u for u in fixture_data["service_unit"] if u["region_code"] == codes.code12(village)]
    assert len(card) == len(units)
    empty = q.station_card(fixture_db, SCOPE, VILLAGE_WITHOUT_STATION, period)
    assert empty.empty


def test_out_of_scope_region_is_refused_before_sql(fixture_db):
    period = Period.parse("2026-11", FIXTURE_AS_OF)
    with pytest.raises(OutOfScope, match="不在您的查看范围"):
        q.overview_network(fixture_db, "431022", "431002", period)
    frame = q.overview_network(fixture_db, "431022", "431022", period)
    assert set(frame.region_code) <= {g for g in frame.region_code if g.startswith("431022")}
    assert date(2026, 11, 23) == FIXTURE_AS_OF
