"""build_placement on the fixture: KPI values against the raw rows, 按县统计 below county, the 清零 weekly
levels, cohort comparisons, the village's own numbers and empty state, and Chinese refusals."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from config.settings import Settings
from config.thresholds import load_thresholds
from dashboard.context import AppContext
from dashboard.placement.model import (DRILL_METRICS, E1, E2, E2C, E4, E5, E9, E10, KPIS, P1, P2, P3, P5, P6,
                                       build_placement, year_pace)
from queries.codes import RegionCodeError
from queries.periods import PeriodError
from queries.regions import OutOfScope
from tests.fixtures import CITY, YANGMEISHAN, YIZHANG

VILLAGE = "431022102200"                       # 杨梅山村
EMPLOYED = {"城镇就业", "返乡务农", "创业"}


@pytest.fixture
def ctx(reader_db):
    return AppContext(Settings(database_url="sqlite://", root_region="4310"), reader_db, load_thresholds())


def kpis(model) -> dict:
    return {k.indicator.id: k for k in model.kpis}


def latest(data, day: int) -> dict:
    best = {}
    for r in data["employment_status"]:
        cur = best.get(r["veteran_id"])
        if r["effective_day"] <= day and (cur is None or (r["effective_day"], r["status_id"]) > (cur["effective_day"], cur["status_id"])):
            best[r["veteran_id"]] = r
    return best


def statuses(data, prefix: str, cohort: int, day: int) -> Counter:
    return Counter(r["status"] for r in latest(data, day).values()
                   if r["cohort_year"] == cohort and r["region_code"].startswith(prefix))


def test_city_kpis_follow_the_definitions(ctx, fixture_data):
    model = build_placement(ctx, "4310", "2026-11", None)
    k = kpis(model)
    assert [x.indicator.id for x in model.kpis] == [i.id for i in KPIS]
    assert model.pace == pytest.approx(327 / 365 * 100)
    ps = fixture_data["placement"]
    task = sum(t["task"] for t in fixture_data["placement_task"] if t["year"] == 2026)
    done = sum(1 for p in ps if p["is_task"] and p["cohort_year"] == 2026 and p["reported_day"] and p["reported_day"] <= 20261123)
    assert k[P2.id].value == pytest.approx(done / task * 100)
    assert k[P2.id].status == ctx.thresholds["placement_rate"].status(done / task * 100)
    assert k[P1.id].value == sum(1 for p in ps if p["received_day"] and 20261101 <= p["received_day"] <= 20261123)
    assert k[P1.id].prev == sum(1 for p in ps if p["received_day"] and 20261001 <= p["received_day"] <= 20261023)
    placed = [p for p in ps if p["is_task"] and p["cohort_year"] == 2026 and p["placed_day"] and p["placed_day"] <= 20261123]
    gov = sum(1 for p in placed if p["destination"] in ("党政机关", "事业单位"))
    assert k[P3.id].value == pytest.approx(gov / len(placed) * 100)
    due = [p for p in ps if p["mode"] == "自主就业" and p["cohort_year"] == 2026 and p["report_deadline_day"] <= 20261123]
    ontime = sum(1 for p in due if p["received_day"] and p["received_day"] <= p["report_deadline_day"])
    assert k[P5.id].value == pytest.approx(ontime / len(due) * 100)
    new = [p for p in ps if p["cohort_year"] == 2026 and p["discharged_day"] <= 20261123]
    assert k[P6.id].value == pytest.approx(sum(p["trained"] for p in new) / len(new) * 100)

    now = statuses(fixture_data, "4310", 2025, 20261123)
    rate = sum(now[s] for s in EMPLOYED) / (sum(now.values()) - now["复学"] - now["考试入学"]) * 100
    assert k[E1.id].value == pytest.approx(rate)
    this_year = statuses(fixture_data, "4310", 2026, 20261123)
    assert k[E2.id].value == now["待就业"] + this_year["待就业"]
    start = statuses(fixture_data, "4310", 2025, 20251231)["待就业"]
    assert k[E2C.id].value == pytest.approx(100 - now["待就业"] / start * 100)
    assert k[E2C.id].status == ctx.thresholds["employment_clear_rate"].status(k[E2C.id].value, model.pace)
    assert k[E2.id].status == k[E2C.id].status             # the count is colored by the 清零 progress
    assert k[E4.id].value == pytest.approx(model.service311["all_ok"] / model.service311["served"] * 100)
    starts = [t for t in fixture_data["training"] if 20261101 <= t["started_day"] <= 20261123]
    assert k[E5.id].value == len(starts)
    alive = [v for v in fixture_data["veteran"] if v["died_day"] is None or v["died_day"] > 20261123]
    assert k[E9.id].value == sum(bool(v["is_bing_laoban"]) for v in alive)
    villages = {v["region_code"] for v in alive if v["is_bing_zhishu"]}
    assert k[E10.id].value == pytest.approx(len(villages) / 10 * 100)
    for info in (P1, E5, E9):
        assert k[info.id].status == "none"                 # counts without a 红黄绿 target
    assert k[E9.id].prev is None and k[E10.id].last_year is None


def test_year_to_date_kpis_have_no_previous_period_across_new_year(ctx):
    k = kpis(build_placement(ctx, "4310", "2026-01", None))
    assert k[P2.id].prev is None and k[E2C.id].prev is None and k[E4.id].prev is None
    assert k[E1.id].prev is not None                        # a 时点 indicator compares with 31 Dec


def test_city_drill_ranks_counties(ctx, fixture_data):
    model = build_placement(ctx, "4310", "2026-11", "employment_rate")
    rows = model.children.set_index("name")
    assert set(rows.index) == {"北湖区", "宜章县"}
    now = statuses(fixture_data, "431022", 2025, 20261123)
    rate = sum(now[s] for s in EMPLOYED) / (sum(now.values()) - now["复学"] - now["考试入学"]) * 100
    assert rows.loc["宜章县", "value"] == pytest.approx(rate)
    assert rows.loc["宜章县", "status"] == ctx.thresholds["employment_rate"].status(rate)


def test_unknown_metric_falls_back_to_the_default(ctx):
    assert build_placement(ctx, "4310", None, "coverage").metric.id == DRILL_METRICS[0].id


@pytest.mark.parametrize("region", [YANGMEISHAN, VILLAGE])
def test_county_only_indicators_show_the_county_below_county(ctx, region):
    county = kpis(build_placement(ctx, "431022", "2026-11", None))
    model = build_placement(ctx, region, "2026-11", "placement_rate")
    k = kpis(model)
    for ind in (P2, P3):
        assert k[ind.id].value == pytest.approx(county[ind.id].value)
        assert k[ind.id].note.startswith("按县统计（宜章县）")
    assert model.mix_region_name == "宜章县" and model.county.name == "宜章县"
    if region == YANGMEISHAN:
        assert set(model.children["text"]) == {"按县统计"} and model.children["value"].isna().all()


def test_county_children_are_counted_where_the_veterans_live(ctx, fixture_data):
    model = build_placement(ctx, "431022", "2025", "placement_report_ontime")
    home = {v["veteran_id"]: v["region_code"] for v in fixture_data["veteran"]}
    rows = model.children.set_index("code")
    for town in ("431022101", "431022102"):
        due = [p for p in fixture_data["placement"] if p["mode"] == "自主就业" and p["cohort_year"] == 2025
               and home[p["veteran_id"]].startswith(town) and p["report_deadline_day"] <= 20251231]
        ok = sum(1 for p in due if p["received_day"] and p["received_day"] <= p["report_deadline_day"])
        assert rows.loc[town, "value"] == pytest.approx(ok / len(due) * 100)


def test_weekly_clear_line_starts_at_the_baseline(ctx, fixture_data):
    model = build_placement(ctx, YIZHANG, "2026-11", None)
    target = model.weekly[model.weekly["cohort"] == 2025].reset_index(drop=True)
    assert target.loc[0, "label"] == "年初"
    assert target.loc[0, "level"] == statuses(fixture_data, "431022", 2025, 20251231)["待就业"]
    assert target["sunday"].iloc[-1] == date(2026, 11, 23)
    for row in target.itertuples():
        day = row.sunday.year * 10000 + row.sunday.month * 100 + row.sunday.day
        assert row.level == statuses(fixture_data, "431022", 2025, day)["待就业"]
    assert len(target) == 1 + 47 + 1                 # 年初, 47 full weeks, the week cut at 23 Nov
    assert target["label"].iloc[1] == "第1周"


def test_cohort_rates_compare_the_same_age(ctx, fixture_data):
    model = build_placement(ctx, CITY, "2026-11", None)
    rows = model.cohorts.set_index("cohort_year")
    assert list(rows.index) == [2022, 2023, 2024, 2025]
    assert rows.loc[2022, "text"] == "暂无数据" and rows.loc[2022, "status"] == "unknown"
    then = statuses(fixture_data, "4310", 2024, 20251123)
    rate = sum(then[s] for s in EMPLOYED) / (sum(then.values()) - then["复学"] - then["考试入学"]) * 100
    assert rows.loc[2024, "rate"] == pytest.approx(rate)
    assert rows.loc[2025, "rate"] == pytest.approx(kpis(model)[E1.id].value)


def test_village_shows_its_own_numbers_with_masked_ids(ctx, fixture_data):
    model = build_placement(ctx, "431022102201", "2026-11", None)         # 香花村: one 待就业
    v = model.village
    assert model.children.empty and v["has_records"]
    assert [r["cohort"] for r in v["table"]] == ["2025年退役", "2026年退役"]
    assert sum(r["待就业"] for r in v["table"]) == len(v["waiting"]) == 1
    assert v["waiting"][0]["id"].startswith("****") and len(v["waiting"][0]["id"]) == 8
    assert v["zhishu"] is False
    k = kpis(model)
    assert k[E10.id].status == "none" and "兵支书：无" in k[E10.id].note


def test_village_with_a_zhishu(ctx, fixture_data):
    village = next(v["region_code"] for v in fixture_data["veteran"] if v["is_bing_zhishu"])
    model = build_placement(ctx, village, "2026-11", None)
    assert model.village["zhishu"] is True and kpis(model)[E10.id].value == 100.0


def test_village_without_records_is_an_empty_state(ctx):
    model = build_placement(ctx, VILLAGE, "2024-06", None)               # before any 自主就业 record
    assert model.village["has_records"] is False and model.village["waiting"] == []
    assert model.weekly["level"].sum() == 0 and model.mix.empty
    assert model.service311["served"] == 0


@pytest.mark.parametrize("region, error, text", [
    ("4311", OutOfScope, "不在您的查看范围"),
    ("431099", RegionCodeError, "找不到区划代码"),
    ("12345", RegionCodeError, "长度不对"),
])
def test_bad_region_gets_a_chinese_error(ctx, region, error, text):
    with pytest.raises(error, match=text):
        build_placement(ctx, region, None, None)


def test_period_after_the_data_is_refused(ctx):
    with pytest.raises(PeriodError, match="尚无数据"):
        build_placement(ctx, "4310", "2027-01", None)


def test_year_pace():
    assert year_pace(date(2026, 12, 31)) == pytest.approx(100)
    assert year_pace(date(2028, 1, 1)) == pytest.approx(100 / 366)
