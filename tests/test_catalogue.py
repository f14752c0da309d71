"""The indicator catalogue: one definition per indicator, the status rule, number formats, the generated doc,
and the same KPI on 总览 and on its area page (all three databases)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from config.settings import Settings
from config.thresholds import Threshold, load_thresholds
from dashboard import labels
from dashboard.catalogue import BY_ID, INDICATORS, evaluate
from dashboard.components.kpi import format_value
from dashboard.context import AppContext
from dashboard.funds.model import build_funds_model
from dashboard.network.model import build_network
from dashboard.overview_model import build_overview
from dashboard.petitions.model import build_petitions_model
from dashboard.placement.model import build_placement

ROOT = Path(__file__).resolve().parents[1]
TH = {"up": Threshold("higher", 95.0, 90.0), "down": Threshold("lower", 5.0, 10.0), "pace": Threshold("pace", 3.0, 8.0)}


# ------------------------------------------------------------------------------ the status rule
@pytest.mark.parametrize("ind_id, key, value, kw, want", [
    # higher is better (coverage, 0–100 %): boundaries are inclusive
    ("coverage", "up", 95.0, {}, "green"),
    ("coverage", "up", 94.99, {}, "amber"),
    ("coverage", "up", 90.0, {}, "amber"),
    ("coverage", "up", 89.9, {}, "red"),
    ("coverage", "up", 100.0, {}, "green"),
    ("coverage", "up", 112.5, {}, "abnormal"),          # a duplicate station: impossible, never 达标
    ("coverage", "up", -0.1, {}, "abnormal"),
    ("coverage", "up", None, {}, "unknown"),
    ("coverage", "up", float("nan"), {}, "unknown"),
    # lower is better (repeat rate)
    ("petitions_repeat_rate", "down", 5.0, {}, "green"),
    ("petitions_repeat_rate", "down", 10.0, {}, "amber"),
    ("petitions_repeat_rate", "down", 10.01, {}, "red"),
    ("petitions_repeat_rate", "down", 0.0, {}, "green"),
    # against 序时进度: the gap in 百分点 (execution, sane up to 150 %)
    ("execution", "pace", 89.3, {"pace": 92.3}, "green"),     # 3.0 behind
    ("execution", "pace", 89.2, {"pace": 92.3}, "amber"),
    ("execution", "pace", 84.3, {"pace": 92.3}, "amber"),     # 8.0 behind
    ("execution", "pace", 84.2, {"pace": 92.3}, "red"),
    ("execution", "pace", 120.0, {"pace": 92.3}, "green"),    # ahead of pace
    ("execution", "pace", 277.7, {"pace": 92.3}, "abnormal"),  # a negative budget row: 数据异常, not 达标
    ("funds_paid", "up", -482000.0, {}, "abnormal"),          # a negative payment
])
def test_status_rule(ind_id, key, value, kw, want):
    ind = BY_ID[ind_id]
    thresholds = {ind.tkey: TH[key]}
    assert evaluate(ind, value, thresholds, **kw).key == want


def test_abnormal_and_unknown_say_why():
    st = evaluate(BY_ID["coverage"], 112.5, {"coverage": TH["up"]})
    assert st.label == "数据异常" and "超过合理上限100%" in st.reason
    assert evaluate(BY_ID["coverage"], None, {}, unknown_reason="本期尚无到期记录").reason == "本期尚无到期记录"


def test_per_month_rate_and_level():
    x8 = BY_ID["petitions_per_10k"]
    th = {"petitions_per_10k": Threshold("lower", 50.0, 65.0)}
    assert evaluate(x8, 14.0, th, days=7, level=3).key == "amber"    # 14 in 7 days = 60 per 30 days
    assert evaluate(x8, 16.0, th, days=7, level=3).key == "red"      # 68.6 per 30 days
    assert evaluate(x8, 11.0, th, days=7, level=3).key == "green"    # 47.1 per 30 days
    assert evaluate(x8, 14.0, th, days=7, level=4).key == "none"     # townships: no colour for X8
    assert evaluate(BY_ID["funds_paid"], 1.0, th).key == "none"      # a figure without a target


def test_no_threshold_is_not_a_status():
    assert evaluate(BY_ID["network_items"], 120.0, load_thresholds()).key == "none"


# ------------------------------------------------------------------------------ formats
@pytest.mark.parametrize("ind_id, value, text", [
    ("funds_paid", 76_670_000.0, "7,667万元"),
    ("funds_paid", 149_000_000.0, "1.49亿元"),
    ("funds_paid", 0.0, "0元"),
    ("funds_paid", 3_820.0, "3,820元"),
    ("coverage", 93.46, "93.5%"),
    ("coverage", 93.54, "93.5%"),
    ("coverage", None, "—"),
    ("petitions_per_10k", 12.345, "12.3件/万人"),
    ("network_staff", 1.58, "1.6人/站"),
    ("funds_anomaly_rate", 0.123, "0.12条/千笔"),
    ("petitions_received", 36.0, "36件"),
])
def test_format(ind_id, value, text):
    assert format_value(BY_ID[ind_id], value) == text


def test_dates_in_chinese():
    from datetime import date
    assert labels.fmt_date(date(2026, 8, 18)) == "2026年8月18日"


# ------------------------------------------------------------------------------ the catalogue itself
def test_every_indicator_names_existing_sql_and_thresholds():
    thresholds = load_thresholds()
    for ind in INDICATORS:
        for src in ind.source.split(","):
            assert (ROOT / "queries" / "sql" / src.strip()).exists(), (ind.id, src)
        if ind.tkey:
            assert ind.tkey in thresholds, (ind.id, ind.tkey)
        assert ind.kind in ("时点", "期间", "年累计") and ind.area and ind.formula
        if ind.pace:
            assert thresholds[ind.tkey].direction == "pace", ind.id


def test_indicator_doc_is_current():
    spec = importlib.util.spec_from_file_location("make_indicator_doc", ROOT / "docs" / "make_indicator_doc.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    current = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert current == gen.render(), "docs/indicators.md is out of date: run python docs/make_indicator_doc.py"


def test_no_pace_rule_restated_in_thresholds_files():
    """One rule for 序时进度: no config file describes the old months ÷ 12 rule."""
    for path in (ROOT / "config").rglob("*.toml"):
        assert "÷ 12" not in path.read_text(encoding="utf-8"), path


# ------------------------------------------------------------------------------ 总览 = area pages
SHARED = {  # overview KPI id -> (area page builder, the page's KPI list attribute)
    "coverage": (build_network, "kpis"), "five_have": (build_network, "kpis"),
    "placement_rate": (build_placement, "kpis"), "employment_rate": (build_placement, "kpis"),
    "execution": (build_funds_model, "kpis"), "ontime_rate": (build_funds_model, "kpis"),
    "petitions_received": (build_petitions_model, "volume_kpis"),
    "closed_ontime": (build_petitions_model, "handling_kpis"),
}


@pytest.fixture
def ctx(reader_db):
    return AppContext(Settings(database_url="fixture", root_region="4310"), reader_db, load_thresholds())


def _num(v):
    return None if v is None or v != v else round(float(v), 9)


@pytest.mark.parametrize("region", ["4310", "431022", "431022101", "431022101201"])
@pytest.mark.parametrize("period", ["2026-11", "2026-W47", "2026", "2026-10", None])
def test_overview_equals_area_pages(ctx, region, period):
    overview = {k.indicator.id: k for k in build_overview(ctx, region, period, None).kpis}
    pages = {}
    for ind_id, (build, attr) in SHARED.items():
        if build not in pages:
            pages[build] = {k.indicator.id: k for k in getattr(build(ctx, region, period, None), attr)}
        elif attr != "kpis":
            pages[build].update({k.indicator.id: k for k in getattr(build(ctx, region, period, None), attr)})
    for ind_id, (build, _attr) in SHARED.items():
        if ind_id not in pages[build]:                                 # a village's network page: its own 6 cards
            assert region == "431022101201" and build is build_network, ind_id
            continue
        a, b = overview[ind_id], pages[build][ind_id]
        assert a.indicator is b.indicator, ind_id                     # one definition, one 口径
        assert (_num(a.value), a.status, a.value_label) == (_num(b.value), b.status, b.value_label), (ind_id, region)
        assert (_num(a.prev), _num(a.last_year)) == (_num(b.prev), _num(b.last_year)), (ind_id, region)


# ------------------------------------------------------------------------------ what a card and a bar show
def _texts(component) -> list[str]:
    out = []
    def walk(c):
        if isinstance(c, str):
            out.append(c)
        elif isinstance(c, (list, tuple)):
            for x in c:
                walk(x)
        elif hasattr(c, "children"):
            walk(c.children)
    walk(component)
    return out


def test_card_of_an_impossible_value_says_data_abnormal():
    from dashboard.catalogue import make_kpi
    from dashboard.components.kpi import card
    k = make_kpi(BY_ID["execution"], load_thresholds(), 277.7, 80.0, 70.0, pace=92.3)
    texts = _texts(card(k, "数据截至 2026年12月3日"))
    assert k.status == "abnormal" and "数据异常" in texts and "达标" not in texts
    assert "277.7%" not in texts and any("超过合理上限150%" in t for t in texts)


def test_bar_of_an_impossible_value_is_grey_and_labelled():
    from dashboard.components.drill import children_frame
    from queries.regions import Region
    kids = [Region(code="431022000000", short="431022", name="宜章县", level=3, parent="431000000000", kind="县"),
            Region(code="431002000000", short="431002", name="北湖区", level=3, parent="431000000000", kind="县")]
    ind = BY_ID["coverage"]
    frame = children_frame(kids, {"431022000000": 112.5, "431002000000": None}, lambda v: format_value(ind, v),
                           lambda v: evaluate(ind, v, load_thresholds()).key).set_index("name")
    assert frame.loc["宜章县", "status"] == "abnormal" and frame.loc["宜章县", "text"] == "数据异常（112.5%）"
    assert frame.loc["北湖区", "status"] == "unknown" and frame.loc["北湖区", "text"] == "暂无数据"
