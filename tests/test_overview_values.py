"""The overview's KPIs (the catalogue's numbers, from the area queries) on SQLite, PostgreSQL and MariaDB equal
an independent computation from the fixture rows."""
from __future__ import annotations

from datetime import date

import pytest

from config.settings import Settings
from config.thresholds import load_thresholds
from dashboard.context import AppContext
from dashboard.overview_model import build_overview
from dashboard.region_values import region_values
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


@pytest.fixture
def ctx(reader_db):
    return AppContext(Settings(database_url="fixture", root_region="4310"), reader_db, load_thresholds())


def values_of(ctx, region: str, period: Period) -> dict:
    frame = region_values(ctx, ctx.tree.resolve(region), period)
    return frame.loc[codes.code12(region)].to_dict()


def kpis_of(ctx, region: str, period_key: str) -> dict:
    return {k.indicator.id: k for k in build_overview(ctx, region, period_key, None).kpis}


def n(v):
    return 0 if v is None or v != v else v


def pct(a, b):
    return None if not b else a / b * 100


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("period_key", PERIODS)
def test_network(ctx, fixture_data, region, period_key):
    period = Period.parse(period_key, FIXTURE_AS_OF)
    d1 = day_key(period.last_day)
    got = values_of(ctx, region, period)
    units = [u for u in fixture_data["service_unit"] if inside(u["region_code"], region)]
    built = [u for u in units if u["founded_day"] <= d1]
    five = [u for u in built if all(u[k] for k in ("has_institution", "has_quota", "has_personnel",
                                                  "has_funding", "has_safeguards"))]
    should = [g for g in fixture_data["region"] if inside(g["code"], region) and g["level"] >= 2]
    assert got["expected"] == len(should)
    assert got["network_built"] == len(built)
    assert got["coverage"] == pytest.approx(pct(len(built), len(should)))
    assert got["five_have"] == (pytest.approx(pct(len(five), len(built))) if built else None)
    k = kpis_of(ctx, region, period_key)
    assert k["coverage"].value == got["coverage"]


def test_network_children_sum_to_parent(ctx):
    period = Period.parse("2026-11", FIXTURE_AS_OF)
    frame = region_values(ctx, ctx.tree.resolve("431022"), period)
    parent = frame.loc[codes.code12("431022")]
    kids = frame.drop(index=codes.code12("431022"))
    assert len(kids) == 2
    assert kids["expected"].sum() + 1 == parent["expected"]      # + the county centre itself
    assert kids["network_built"].sum() <= parent["network_built"]


def test_village_without_station_counts_as_gap(ctx):
    period = Period.parse("2026-11", FIXTURE_AS_OF)
    got = values_of(ctx, VILLAGE_WITHOUT_STATION, period)
    assert (got["expected"], n(got["network_built"]), got["coverage"]) == (1, 0, 0.0)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("period_key", PERIODS)
def test_petitions(ctx, fixture_data, region, period_key):
    period = Period.parse(period_key, FIXTURE_AS_OF)
    d0, d1 = day_key(period.start), day_key(period.last_day)
    got = values_of(ctx, region, period)
    mine = [p for p in fixture_data["petition"] if inside(p["region_code"], region)]
    received = sum(1 for p in mine if d0 <= p["received_day"] <= d1)
    assert got["petitions_received"] == received
    due = [p for p in mine if p["due_day"] is not None and d0 <= p["due_day"] <= d1]
    ontime = sum(1 for p in due if p["closed_day"] is not None and p["closed_day"] <= p["due_day"])
    assert got["closed_ontime"] == (pytest.approx(pct(ontime, len(due))) if due else None)
    p0, p1 = (day_key(d) for d in period.previous_range())
    assert got["petitions_received_prev"] == sum(1 for p in mine if p0 <= p["received_day"] <= p1)
    m1 = d1 // 100
    vets = [v for v in fixture_data["veteran"] if inside(v["region_code"], region)]
    stock = sum(1 for v in vets if v["discharged_day"] // 100 <= m1) - \
        sum(1 for v in vets if v["died_day"] is not None and v["died_day"] // 100 <= m1)
    assert n(got["veterans"]) == stock
    assert got["petitions_per_10k"] == (pytest.approx(received / stock * 10000) if stock else None)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("period_key", PERIODS)
def test_funds(ctx, fixture_data, region, period_key):
    period = Period.parse(period_key, FIXTURE_AS_OF)
    d0, d1 = day_key(period.start), day_key(period.last_day)
    m0, m1 = d0 // 100, d1 // 100
    asof = day_key(FIXTURE_AS_OF)
    got = values_of(ctx, region, period)
    pays = [p for p in fixture_data["payment"] if inside(p["region_code"], region)]
    paid_rows = [p for p in pays if p["paid_day"] is not None and d0 <= p["paid_day"] <= d1]
    assert n(got["funds_paid"]) == pytest.approx(float(sum(p["amount_paid"] for p in paid_rows)), abs=0.01)
    assert n(got["funds_people"]) == sum(1 for p in paid_rows if p["amount_paid"] > 0)
    ytd0 = period.last_day.year * 10000 + 101
    paid_ytd = float(sum(p["amount_paid"] for p in pays if p["paid_day"] is not None and ytd0 <= p["paid_day"] <= d1))
    budget = sum(float(b["amount"]) for b in fixture_data["budget"]
                 if inside(b["region_code"], region) and b["year"] == period.last_day.year)
    assert got["execution"] == (pytest.approx(paid_ytd / budget * 100) if budget else None)
    due = [p for p in pays if m0 <= p["month"] <= m1 and p["due_day"] <= asof]
    ontime = sum(1 for p in due if p["paid_day"] is not None and p["paid_day"] <= p["due_day"]
                 and p["amount_paid"] >= p["amount_due"])
    assert got["ontime_rate"] == (pytest.approx(pct(ontime, len(due))) if due else None)


@pytest.mark.parametrize("region", ["4310", "431022", "431002"])
@pytest.mark.parametrize("period_key", ["2026-11", "2026-06", "2025"])
def test_placement(ctx, fixture_data, region, period_key):
    period = Period.parse(period_key, FIXTURE_AS_OF)
    year, d1 = period.last_day.year, day_key(period.last_day)
    got = values_of(ctx, region, period)
    task = sum(t["task"] for t in fixture_data["placement_task"] if inside(t["region_code"], region) and t["year"] == year)
    done = sum(1 for p in fixture_data["placement"] if inside(p["region_code"], region) and p["is_task"]
               and p["cohort_year"] == year and p["reported_day"] is not None and p["reported_day"] <= d1)
    assert n(got["n_task"]) == task
    assert n(got["n_done"]) == done
    assert got["placement_rate"] == (pytest.approx(pct(done, task)) if task else None)


def latest_status(rows, veteran_id, day):
    mine = [r for r in rows if r["veteran_id"] == veteran_id and r["effective_day"] <= day]
    if not mine:
        return None
    top = max(r["effective_day"] for r in mine)
    return max((r for r in mine if r["effective_day"] == top), key=lambda r: r["status_id"])["status"]


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("period_key", ["2026-11", "2026-03", "2025-12"])
def test_employment(ctx, fixture_data, region, period_key):
    period = Period.parse(period_key, FIXTURE_AS_OF)
    d1, cohort = day_key(period.last_day), period.last_day.year - 1
    got = values_of(ctx, region, period)
    rows = [r for r in fixture_data["employment_status"] if r["cohort_year"] == cohort and inside(r["region_code"], region)]
    statuses = [latest_status(rows, v, d1) for v in {r["veteran_id"] for r in rows}]
    statuses = [s for s in statuses if s is not None]
    employed = sum(s in ("城镇就业", "返乡务农", "创业") for s in statuses)
    studying = sum(s in ("复学", "考试入学") for s in statuses)
    assert n(got["cohort_size"]) == len(statuses)
    assert n(got["waiting"]) == sum(s == "待就业" for s in statuses)
    eligible = len(statuses) - studying
    assert got["employment_rate"] == (pytest.approx(employed / eligible * 100) if eligible else None)


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
        q.overview_trend(fixture_db, "431022", "431002", period)
    assert date(2026, 11, 23) == FIXTURE_AS_OF
