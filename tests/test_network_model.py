"""build_network on the fixture (all three databases): KPI values against the raw rows, village and
empty states, the 挂牌未运行 list, the trend, and URL state that must be refused in Chinese."""
from __future__ import annotations

from datetime import timedelta

import pytest

from config.settings import Settings
from config.thresholds import load_thresholds
from dashboard.network import model as nm
from dashboard.context import AppContext
from queries.periods import day_key, from_day_key
from queries.regions import OutOfScope
from tests.fixtures import INACTIVE_STATION_VILLAGE, VILLAGE_WITHOUT_STATION

FIVE = ("has_institution", "has_quota", "has_personnel", "has_funding", "has_safeguards")


@pytest.fixture
def ctx(reader_db):
    return AppContext(Settings(database_url="fixture", root_region="4310"), reader_db, load_thresholds())


def _units(data, prefix: str, end: int) -> list[dict]:
    return [u for u in data["service_unit"] if u["region_code"].startswith(prefix) and u["founded_day"] <= end]


def _active(data, unit_id: int, end: int) -> bool:
    """A record in the 30 days to `end`, inclusive."""
    start = day_key(from_day_key(end) - timedelta(days=29))
    return any(a["unit_id"] == unit_id and start <= a["day"] <= end for a in data["station_activity"])


def _kpi(model, ind_id):
    return next(k for k in model.kpis if k.indicator.id == ind_id)


def test_city_kpis_match_raw_rows(ctx, fixture_data):
    model = nm.build_network(ctx, "4310", "2026-11", None)
    end = 20261123
    units = _units(fixture_data, "4310", end)
    regions = [r for r in fixture_data["region"] if r["code"].startswith("4310") and r["level"] >= 2]
    assert model.built == len(units) and model.expected == len(regions)
    assert _kpi(model, "network_built").value == len(units)
    assert _kpi(model, "network_built").note == f"应建 {len(regions)} 个，缺口 {len(regions) - len(units)} 个"
    assert _kpi(model, "coverage").value == pytest.approx(len(units) / len(regions) * 100)
    villages = [r for r in regions if r["level"] == 5]
    assert _kpi(model, "network_village_coverage").value == pytest.approx(
        sum(u["level"] == 5 for u in units) / len(villages) * 100)
    assert _kpi(model, "five_have").value == pytest.approx(
        sum(all(u[k] for k in FIVE) for u in units) / len(units) * 100)
    active = sum(_active(fixture_data, u["unit_id"], end) for u in units)
    running = _kpi(model, "network_running")
    assert running.value == pytest.approx(active / len(units) * 100)
    assert running.note == f"挂牌未运行 {len(units) - active} 个" and model.idle_total == len(units) - active
    prev_end = 20261023                                       # 2026-10-01..23: same days as the partial month
    prev_units = _units(fixture_data, "4310", prev_end)
    assert running.prev == pytest.approx(
        sum(_active(fixture_data, u["unit_id"], prev_end) for u in prev_units) / len(prev_units) * 100)
    staff = sum(u["staff_full"] + u["staff_part"] for u in units)
    assert _kpi(model, "network_staff").value == pytest.approx(staff / len(units))
    assert _kpi(model, "network_certified").value == pytest.approx(
        sum(u["staff_certified"] for u in units) / staff * 100)
    towns = [u for u in units if u["level"] == 4]
    assert _kpi(model, "network_yibu").value == pytest.approx(sum(bool(u["yibu_yizhan"]) for u in towns) / len(towns) * 100)
    acts = [a for a in fixture_data["station_activity"] if 20261101 <= a["day"] <= end]
    items = _kpi(model, "network_items")
    assert items.value == sum(a["items"] for a in acts)
    assert items.prev == sum(a["items"] for a in fixture_data["station_activity"] if 20261001 <= a["day"] <= 20261023)
    assert items.last_year == sum(a["items"] for a in fixture_data["station_activity"] if 20251101 <= a["day"] <= 20251123)
    assert _kpi(model, "network_visits").value == sum(a["visits"] for a in acts)
    assert len(model.kpis) == len(nm.INDICATORS)


def test_kinds_thresholds_and_formatting(ctx):
    model = nm.build_network(ctx, "4310", "2026-11", None)
    kinds = {k.indicator.id: k.indicator.kind for k in model.kpis}
    assert kinds["network_items"] == "期间" and kinds["coverage"] == "时点"
    assert not _kpi(model, "network_red").has_threshold and _kpi(model, "network_red").status == "none"
    assert _kpi(model, "network_running").status in ("green", "amber", "red")
    assert nm.format_value(nm.BY_ID["network_staff"], 2.8125) == "2.8人/站"
    assert nm.format_value(nm.BY_ID["network_running"], 50.0) == "50.0%"
    assert all(k.indicator.formula for k in model.kpis)


def test_children_tables_and_drill_rows(ctx, fixture_data):
    model = nm.build_network(ctx, "431022", "2026-11", "five_have")
    assert model.metric.id == "five_have"
    assert list(model.children["name"]) == ["白石渡镇", "杨梅山镇"]
    by_name = {r["name"]: r for r in model.five_rows}
    town = [u for u in _units(fixture_data, "431022102", 20261123)]
    row = by_name["杨梅山镇"]
    assert row["built"] == len(town)
    assert row["has_quota"] == sum(bool(u["has_quota"]) for u in town)
    assert row["five_ok_pct"] == pytest.approx(sum(all(u[k] for k in FIVE) for u in town) / len(town) * 100)
    assert model.five_total["name"] == "合计" and model.five_total["built"] == model.built
    own_centre_idle = model.idle_total - model.idle_by_child["idle"].sum()   # the county's own centre
    assert own_centre_idle in (0, 1)
    assert model.children.set_index("name").loc["杨梅山镇", "value"] == pytest.approx(row["five_ok_pct"])


def test_unknown_metric_falls_back_to_coverage(ctx):
    assert nm.build_network(ctx, "4310", None, "no-such-metric").metric.id == "coverage"
    assert nm.build_network(ctx, "4310", None, "execution").metric.id == "coverage"   # an overview-only metric


def test_idle_list_names_and_days(ctx):
    model = nm.build_network(ctx, "4310", "2026-11", None)
    first = model.idle.iloc[0]
    assert first["village"] == "建设里社区" and first["township"] == "北湖街道" and first["county"] == "北湖区"
    assert first["last"] == "从未" and first["days"] != first["days"]          # NaN: never served
    dated = model.idle[model.idle["last"] != "从未"]
    assert (dated["days"] >= nm.q.RUNNING_DAYS).all()
    assert len(model.idle) == model.idle_total                 # below the 200-row cap here


def test_trend_has_36_months_and_share(ctx, fixture_data):
    model = nm.build_network(ctx, "4310", "2026-11", None)
    assert len(model.trend) == 36 and model.trend_note is None
    last = model.trend.iloc[-1]
    units = {a["unit_id"] for a in fixture_data["station_activity"] if 20261101 <= a["day"] <= 20261123}
    assert last["active_units"] == len(units)
    assert last["active_share"] == pytest.approx(len(units) / last["built"] * 100)


@pytest.mark.parametrize("period_key, end", [("2026-11", 20261123), ("2026-W40", 20261004), ("2025-06", 20250630)])
def test_monthly_share_for_every_month_and_any_region_size(ctx, fixture_data, period_key, end):
    """The active share is drawn for the whole city too (roll_activity_month: no station limit); a last
    month cut before the as-of date (a past week) counts only its days up to the week's end."""
    model = nm.build_network(ctx, "4310", period_key, None)
    assert model.trend_note is None and len(model.trend) == 36
    units_founded = sorted(u["founded_day"] for u in fixture_data["service_unit"] if u["region_code"].startswith("4310"))
    for row in model.trend.to_dict("records"):
        m = int(row["month"])
        hi = min(m * 100 + 31, end)
        active = {a["unit_id"] for a in fixture_data["station_activity"]
                  if a["region_code"].startswith("4310") and m * 100 + 1 <= a["day"] <= hi}
        built = sum(1 for f in units_founded if f // 100 <= m and f <= end)
        assert row["active_units"] == len(active), m
        assert row["built"] == built, m
        assert row["active_share"] == (pytest.approx(len(active) / built * 100) if built else None), m


def test_village_with_station_card(ctx):
    model = nm.build_network(ctx, INACTIVE_STATION_VILLAGE, "2026-11", None)
    assert model.is_leaf and not model.no_station
    assert model.station["name"] == "建设里社区退役军人服务站" and int(model.station["records_30d"]) == 0
    assert {k.indicator.id for k in model.kpis} == set(nm.VILLAGE_KPIS)
    assert _kpi(model, "network_running").value == 0 and model.idle_total == 1


def test_village_without_station_is_an_empty_state(ctx):
    model = nm.build_network(ctx, VILLAGE_WITHOUT_STATION, "2026-11", None)
    assert model.no_station and model.expected == 1 and model.station == {}
    assert _kpi(model, "five_have").value is None and _kpi(model, "network_items").value == 0


@pytest.mark.parametrize("region, message", [("4311", "不在您的查看范围"), ("431099", "找不到区划代码"),
                                             ("123", "长度不对")])
def test_bad_region_is_refused_in_chinese(ctx, region, message):
    with pytest.raises(Exception, match=message):
        nm.build_network(ctx, region, None, None)


def test_out_of_scope_raises_the_scope_error(ctx):
    with pytest.raises(OutOfScope):
        nm.build_network(ctx, "4311", None, None)
