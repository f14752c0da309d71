"""dashboard/petitions/model.py on the fixture: KPI values and 口径, hot places, spikes, overdue list, empty village."""
from __future__ import annotations

import json
import re

import pytest

from config.settings import Settings
from config.thresholds import load_thresholds
from dashboard.petitions import model as pm
from dashboard.context import AppContext
from queries import codes
from queries.periods import Period, period_params
from queries.regions import OutOfScope
from tests.browser import get_app
from tests.fixtures import BAISHIDU, CITY, FIXTURE_AS_OF, YIZHANG
from tests.test_petitions_queries import CUT, _measures, _open_at, _sub, _veterans

VILLAGE = "431022101201"                     # 白石渡村


@pytest.fixture
def ctx(reader_db):
    settings = Settings(database_url="sqlite://", root_region="4310", as_of=FIXTURE_AS_OF.isoformat())
    return AppContext(settings, reader_db, load_thresholds())


def _kpis(model):
    return {k.indicator.id: k for k in model.volume_kpis + model.handling_kpis}


def test_city_month_kpis_equal_raw(ctx, fixture_data):
    model = pm.build_petitions_model(ctx, "4310", "2026-10", None)
    b = period_params(model.period)
    ps = _sub(fixture_data, CITY)
    m = _measures(ps, b["d0"], b["d1"], min(b["d1"], CUT))
    k = _kpis(model)
    assert k["petitions_received"].value == m["received"]
    assert k["petitions_received"].note == f"{m['persons']}人次"
    veterans = _veterans(fixture_data, CITY, b["m1"])
    assert k["petitions_per_10k"].value == pytest.approx(m["received"] / veterans * 10000)
    assert k["petitions_accept_timely"].value == pytest.approx(m["x2_timely"] / m["x2_received"] * 100)
    assert k["closed_ontime"].value == pytest.approx(m["due_ontime"] / m["due_cnt"] * 100)
    assert k["petitions_satisfaction"].value == pytest.approx(m["satisfied_cnt"] / m["rated_cnt"] * 100)
    assert k["petitions_repeat_rate"].value == pytest.approx(m["repeat_cnt"] / m["received"] * 100)
    assert k["petitions_skip"].value == m["skip_cnt"] and k["petitions_group"].value == m["group_cnt"]
    group_persons = sum(p["persons"] for p in ps if b["d0"] <= p["received_day"] <= b["d1"] and p["persons"] >= 5)
    assert k["petitions_group"].note.startswith(f"{group_persons}人次")
    prev = _measures(ps, b["p_d0"], b["p_d1"], min(b["p_d1"], CUT))
    assert k["petitions_received"].prev == prev["received"]
    # X3 年累计: this year's cohort as at 31 Oct; no thresholds, so no colour
    cohort = [p for p in ps if 20260101 <= p["received_day"] <= b["d1"]]
    accepted = [p for p in cohort if p["accepted_day"] is not None and p["accepted_day"] <= b["d1"]]
    closed = [p for p in accepted if p["closed_day"] is not None and p["closed_day"] <= b["d1"]]
    assert k["petitions_close_rate"].value == pytest.approx(len(closed) / len(accepted) * 100)
    assert k["petitions_close_rate"].status == "none" and k["petitions_close_rate"].prev is None
    # 当前超期未办结 (时点) as at 31 Oct
    overdue = [p for p in ps if _open_at(p, b["d1"]) and p["due_day"] < b["d1"]]
    assert k["petitions_overdue"].value == len(overdue) == model.overdue_total
    assert [r["id"] for r in model.overdue] == [codes.mask_id(p["petition_id"]) for p in
                                                sorted(overdue, key=lambda p: (p["due_day"], p["petition_id"]))]
    assert all(r["id"].startswith("****") and len(r["id"]) == 8 for r in model.overdue)
    for kpi in model.volume_kpis + model.handling_kpis:           # every card carries its 口径 and kind
        assert kpi.indicator.formula and kpi.indicator.kind in ("时点", "期间", "年累计")


def test_per_10k_status_is_scaled_to_a_month(ctx):
    week = Period.parse("2026-W47", FIXTURE_AS_OF)
    month = Period.parse("2026-10", FIXTURE_AS_OF)
    threshold = ctx.thresholds["petitions_per_10k"]
    assert pm.per_month(week, 7.0) == pytest.approx(30.0)
    assert pm.metric_status(ctx, pm.PER_10K, 14.0, week) == threshold.status(60.0)
    assert pm.metric_status(ctx, pm.PER_10K, 62.0, month) == threshold.status(60.0)
    assert pm.metric_status(ctx, pm.PER_10K, 99.0, month, level=4) == "none"      # colored from county up only


def test_x8_not_colored_below_county(ctx):
    village = _kpis(pm.build_petitions_model(ctx, VILLAGE, "2026-Q3", None))
    assert village["petitions_per_10k"].status == village["petitions_received"].status == "none"
    county = pm.build_petitions_model(ctx, YIZHANG, "2026-Q3", None)
    assert set(county.children["status"]) == {"none"}                                 # townships
    assert _kpis(county)["petitions_per_10k"].status != "none"


@pytest.mark.parametrize("metric", [m.id for m in pm.MAP_METRICS])
def test_children_follow_the_metric(ctx, fixture_data, metric):
    model = pm.build_petitions_model(ctx, "4310", "2026-Q3", metric)
    assert model.metric.id == metric
    assert list(model.children["short"]) == ["431002", "431022"]
    b = period_params(model.period)
    for row in model.children.to_dict("records"):
        m = _measures(_sub(fixture_data, row["code"]), b["d0"], b["d1"], min(b["d1"], CUT))
        vets = _veterans(fixture_data, row["code"], b["m1"])
        expected = {"petitions_per_10k": m["received"] / vets * 10000,
                    "petitions_accept_timely": m["x2_timely"] / m["x2_received"] * 100,
                    "closed_ontime": m["due_ontime"] / m["due_cnt"] * 100,
                    "petitions_repeat_rate": m["repeat_cnt"] / m["received"] * 100,
                    "petitions_satisfaction": m["satisfied_cnt"] / m["rated_cnt"] * 100}[metric]
        assert row["value"] == pytest.approx(expected)
        assert row["status"] == pm.metric_status(ctx, model.metric, row["value"], model.period)


def test_unknown_metric_falls_back_to_per_10k(ctx):
    assert pm.build_petitions_model(ctx, "4310", None, "coverage").metric.id == "petitions_per_10k"


def _expected_hot(fixture_data, region, period, level):
    b = period_params(period)
    rows = []
    for place in fixture_data["region"]:
        if place["level"] != level or not place["code"].startswith(codes.short_code(region)) or place["code"] == codes.code12(region):
            continue
        n = sum(1 for p in _sub(fixture_data, place["code"]) if b["d0"] <= p["received_day"] <= b["d1"])
        vets = _veterans(fixture_data, place["code"], b["m1"]) or 0
        if n >= pm.HOT_MIN_CASES[level] and vets >= pm.HOT_MIN_VETERANS[level]:
            rows.append((-n / vets, place["short_code"]))
    return [short for _, short in sorted(rows)][:pm.HOT_TOP]


def test_hot_villages_apply_minimums_and_rank_by_rate(ctx, fixture_data):
    model = pm.build_petitions_model(ctx, "4310", "2026-Q3", None)
    expected = _expected_hot(fixture_data, CITY, model.period, 5)
    assert list(model.hot_villages["code"]) == expected and expected        # non-empty in the fixture
    assert model.hot_villages["value"].is_monotonic_decreasing
    assert all(len(c) == 12 for c in model.hot_villages["code"])               # customdata[0] = short code → drill
    # fixture townships have < 200 veterans: none qualifies at the real minimum
    assert model.hot_towns.empty


def test_hot_villages_below_the_minimum_are_left_out(ctx, fixture_data, monkeypatch):
    monkeypatch.setitem(pm.HOT_MIN_VETERANS, 5, 27)
    model = pm.build_petitions_model(ctx, "4310", "2026-Q3", None)
    small = {r["short_code"] for r in fixture_data["region"]
             if r["level"] == 5 and (_veterans(fixture_data, r["code"], 202609) or 0) < 27}
    assert small and not set(model.hot_villages["code"]) & small
    assert list(model.hot_villages["code"]) == _expected_hot(fixture_data, CITY, model.period, 5)


def test_hot_towns_ranking_with_a_lower_minimum(ctx, fixture_data, monkeypatch):
    monkeypatch.setitem(pm.HOT_MIN_VETERANS, 4, 50)
    model = pm.build_petitions_model(ctx, "4310", "2026-Q3", None)
    expected = _expected_hot(fixture_data, CITY, model.period, 4)
    assert list(model.hot_towns["code"]) == expected and expected
    assert model.hot_towns["value"].is_monotonic_decreasing


def test_township_view_has_villages_only(ctx):
    model = pm.build_petitions_model(ctx, BAISHIDU, "2026-Q3", None)
    assert model.hot_towns.empty
    assert all(c.startswith("431022101") for c in model.hot_villages["code"])


def test_spike_flagged_with_link_to_the_week(ctx, monkeypatch):
    # the fixture's busiest township-week has 3 petitions; the real rule needs 5
    assert pm.build_petitions_model(ctx, "4310", "2025-W16", None).spikes == []
    monkeypatch.setattr(pm, "SPIKE_MIN_CASES", 3)
    model = pm.build_petitions_model(ctx, "4310", "2025-W16", None)
    assert model.spike_week.key == "2025-W16"
    assert [s["name"] for s in model.spikes] == ["北湖街道"]
    spike = model.spikes[0]
    assert spike["this_week"] == 3 and spike["avg_4w"] == 0.25 and spike["ratio"] == 12
    assert spike["href"] == "/petitions?region=431002002&period=2025-W16"
    assert spike["county"] == "北湖区"
    assert pm.build_petitions_model(ctx, YIZHANG, "2025-W16", None).spikes == []   # outside the subtree


def test_spike_rule():
    assert pm.SPIKE_MIN_CASES == 5 and pm.SPIKE_RATIO == 2
    assert pm.is_spike(5, 0) and pm.is_spike(6, 12) and not pm.is_spike(6, 13)
    assert not pm.is_spike(4, 0)                                                     # too few cases


def test_village_without_petitions_in_period(ctx, fixture_data):
    quiet = next(key for key in ("2026-W47", "2026-W46", "2026-W45", "2026-W44", "2026-W43")
                 if not any(p["region_code"] == VILLAGE and _in_week(p, key) for p in fixture_data["petition"]))
    model = pm.build_petitions_model(ctx, VILLAGE, quiet, None)
    assert model.children.empty and model.hot_villages.empty and model.spikes == []
    assert model.period_mix[model.period_mix["span"] == "cur"].empty
    assert _kpis(model)["petitions_received"].value == 0


def _in_week(p, key):
    period = Period.parse(key, FIXTURE_AS_OF)
    return period.day_range()[0] <= p["received_day"] <= period.day_range()[1]


def test_out_of_scope_region_refused(ctx):
    with pytest.raises(OutOfScope, match="不在您的查看范围"):
        pm.build_petitions_model(ctx, "4302", None, None)


# ---------------------------------------------------------------------------- the rendered layout
def _render(client, search: str) -> str:
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if "_pages_content.children" in d["output"])
    payload = {"output": dep["output"],
               "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
               "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/petitions"},
                          {"id": "_pages_location", "property": "search", "value": search}],
               "changedPropIds": ["_pages_location.search"], "state": []}
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    return json.dumps(response.get_json(), ensure_ascii=False)


@pytest.fixture(scope="module")
def client(live_db_url):
    return get_app(live_db_url).server.test_client()


def test_layout_village_empty_state(client, fixture_data):
    quiet = next(key for key in ("2026-W47", "2026-W46", "2026-W45", "2026-W44", "2026-W43")
                 if not any(p["region_code"] == VILLAGE and _in_week(p, key) for p in fixture_data["petition"]))
    text = _render(client, f"?region={VILLAGE}&period={quiet}")
    assert "本期无信访件" in text and "petitions-village-empty" in text
    assert "白石渡村" in text and "petitions-hot" not in text


def test_layout_city_has_everything(client, monkeypatch):
    monkeypatch.setattr(pm, "SPIKE_MIN_CASES", 3)          # see test_spike_flagged_with_link_to_the_week
    text = _render(client, "?region=4310&period=2025-W16")
    for part in ("kpi-volume", "kpi-handling", "petitions-bars", "petitions-map", "petitions-hot-towns",
                 "petitions-hot-villages", "petitions-by-channel", "petitions-by-category", "petitions-by-type",
                 "petitions-overdue", "信访异动", "/petitions?region=431002002&period=2025-W16", "口径"):
        assert part in text, part
    assert "件/万人" in text and "k<" not in text


def test_layout_out_of_scope_message(client):
    text = _render(client, "?region=4302")
    assert "不在您的查看范围" in text and "Traceback" not in text


def test_layout_per_10k_card_keeps_a_decimal(client):
    text = _render(client, "?region=4310&period=2026-W47")
    assert re.search(r'"children": "\d[\d,]*\.\d件/万人", "className": "kpi-value"', text)


def test_card_without_due_petitions_shows_last_weeks_own_value(ctx, fixture_data):
    """白石渡镇, week 48 (not over at the as-of date 23 Nov): no petition fell due yet, so 按期办结率 shows
    week 47's value — the township's own, from its raw rows — labelled as the week before."""
    town = "431022101000"
    model = pm.build_petitions_model(ctx, town, "2026-W48", None)
    card = _kpis(model)["closed_ontime"]
    w47 = period_params(Period.parse("2026-W47", FIXTURE_AS_OF))
    m = _measures(_sub(fixture_data, town), w47["d0"], w47["d1"], min(w47["d1"], CUT))
    assert m["due_cnt"] > 0
    assert card.value == pytest.approx(100.0 * m["due_ontime"] / m["due_cnt"])
    assert card.value_label == "第47周（上期）"
    assert card.prev is None and card.last_year is None
