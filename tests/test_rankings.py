"""排名 as plain functions on small hand-made values; every expectation is worked out by hand in the comments."""
from __future__ import annotations

from datetime import date

import pytest

from config.thresholds import Threshold
from dashboard.catalogue import BY_ID
from dashboard.rankings.build import default_period
from dashboard.rankings.model import (FUNCTIONAL_REASON, Basis, CompositeConfig, Unit, apply_changes,
                                      composite_indicator, composite_scores, indicator_scores, load_composite,
                                      rank_composite, rank_values, rankable, window)

TH = {"coverage": Threshold("higher", 98.0, 95.0), "petitions_per_10k": Threshold("lower", 50.0, 65.0),
      "employment_311_rate": Threshold("pace", 5.0, 15.0)}
COUNTY = Basis(TH, pace=50.0, days=30, level=3)
A, B, C, D, E = (Unit(f"43102{i}000000", f"43102{i}", n) for i, n in enumerate("甲乙丙丁戊", start=1))
ZONE = Unit("431099000000", "431099", "经济开发区", functional=True)


def table(rows):
    return [(r.unit.name, r.rank_text, r.text, r.gap_text) for r in rows]


def test_ties_on_the_value_as_displayed_rank_the_chinese_way():
    # 93.54 and 93.46 both show 93.5% -> 并列第3; the next is 第5; 93.56 shows 93.6% and stays 第2
    values = {A.code: 99.0, B.code: 93.46, C.code: 93.54, D.code: 93.56, E.code: 90.0}
    rows = rank_values([A, B, C, D, E], values, BY_ID["coverage"], COUNTY)
    assert table(rows) == [
        ("甲", "第1名", "99.0%", ""),
        ("丁", "第2名", "93.6%", "差5.4个百分点"),        # 99.0 − 93.6
        ("丙", "并列第3名", "93.5%", "差0.1个百分点"),    # 93.6 − 93.5 (displayed numbers)
        ("乙", "并列第3名", "93.5%", "并列"),
        ("戊", "第5名", "90.0%", "差3.5个百分点"),
    ]
    assert [r.status for r in rows] == ["green", "red", "red", "red", "red"]   # green ≥ 98, amber ≥ 95


def test_lower_is_better_ranks_the_smallest_first():
    # 每万名退役军人信访量: 30.0 best; 45.04 and 45.0 both show 45.0件/万人 -> 并列第2; 70 is 第4 and red (> 65)
    values = {A.code: 70.0, B.code: 45.04, C.code: 45.0, D.code: 30.0}
    rows = rank_values([A, B, C, D], values, BY_ID["petitions_per_10k"], COUNTY)
    assert [(r.unit.name, r.rank, r.tied) for r in rows] == [("丁", 1, False), ("丙", 2, True), ("乙", 2, True),
                                                             ("甲", 4, False)]
    assert [r.status for r in rows] == ["green", "green", "green", "red"]
    assert rows[1].gap_text == "差15.0件/万人"


def test_missing_and_abnormal_values_are_not_ranked_and_say_why():
    values = {A.code: 100.0, B.code: None, C.code: 120.0, D.code: 96.0}
    rows = rank_values([A, B, C, D], values, BY_ID["coverage"], COUNTY)
    assert [(r.unit.name, r.rank_text) for r in rows] == [("甲", "第1名"), ("丁", "第2名"), ("乙", "不排名"),
                                                          ("丙", "不排名")]
    missing, abnormal = rows[2], rows[3]
    assert (missing.status, missing.reason, missing.text) == ("unknown", "不排名：暂无数据", "—")
    assert abnormal.status == "abnormal" and abnormal.text == "—"
    assert abnormal.reason == "数据异常：服务站覆盖率为120.0，超过合理上限100%，请核查源数据"
    assert rows[1].gap_text == "差4.0个百分点"


def test_functional_zones_are_listed_apart_and_do_not_take_a_place():
    values = {ZONE.code: 100.0, A.code: 99.0, B.code: 97.0}
    rows = rank_values([ZONE, A, B], values, BY_ID["coverage"], COUNTY)
    assert [(r.unit.name, r.rank_text) for r in rows] == [("甲", "第1名"), ("乙", "第2名"), ("经济开发区", "功能区")]
    assert rows[2].reason == FUNCTIONAL_REASON and rows[2].text == "100.0%" and rows[2].rank is None


def test_rank_change_against_the_period_before():
    ind = BY_ID["coverage"]
    before = rank_values([A, B, C], {A.code: 99.0, B.code: 97.0, C.code: 90.0}, ind, COUNTY)
    now = rank_values([A, B, C, D], {A.code: 96.0, B.code: 98.0, C.code: 90.0, D.code: 80.0}, ind, COUNTY)
    apply_changes(now, before)
    # 乙 2 -> 1, 甲 1 -> 2, 丙 3 -> 3, 丁 not ranked before
    assert [(r.unit.name, r.change, r.change_text) for r in now] == [("乙", 1, "↑1"), ("甲", -1, "↓1"),
                                                                     ("丙", 0, "–"), ("丁", None, "无上期")]


def test_efficacy_coefficient_scores_are_direction_aware():
    cov = indicator_scores([A, B, C], {A.code: 100.0, B.code: 90.0, C.code: 80.0}, BY_ID["coverage"], COUNTY)
    assert cov == {A.code: 100.0, B.code: 80.0, C.code: 60.0}           # 60 + 40 × (90 − 80) ÷ (100 − 80)
    pet = indicator_scores([A, B, C], {A.code: 30.0, B.code: 40.0, C.code: 70.0}, BY_ID["petitions_per_10k"], COUNTY)
    assert pet == {A.code: 100.0, B.code: 90.0, C.code: 60.0}           # 60 + 40 × (70 − 40) ÷ (70 − 30)
    # pace: x = value − 50 -> +10, −10, 0; scored on the gap
    pace = indicator_scores([A, B, C], {A.code: 60.0, B.code: 40.0, C.code: 50.0}, BY_ID["employment_311_rate"], COUNTY)
    assert pace == {A.code: 100.0, B.code: 60.0, C.code: 80.0}
    same = indicator_scores([A, B], {A.code: 97.0, B.code: 97.0}, BY_ID["coverage"], COUNTY)
    assert same == {A.code: 100.0, B.code: 100.0}


def test_composite_weights_renormalise_over_what_a_unit_has():
    cfg = CompositeConfig("综合得分", {"coverage": 3.0, "petitions_per_10k": 1.0})
    values = {"coverage": {A.code: 100.0, B.code: 90.0, C.code: 80.0, ZONE.code: 100.0},
              "petitions_per_10k": {A.code: 30.0, B.code: 40.0, C.code: None, ZONE.code: 10.0}}
    comp = composite_scores([A, B, C, ZONE], values, cfg, COUNTY, level=3)
    # coverage 100/80/60; 信访 among 甲乙 only: 100/60; 甲 (300+100)/4, 乙 (240+60)/4, 丙 3×60/3
    assert comp.scores == {A.code: 100.0, B.code: 75.0, C.code: 60.0, ZONE.code: None}
    assert comp.weights == {"coverage": 0.75, "petitions_per_10k": 0.25}
    rows = rank_composite([A, B, C, ZONE], comp, cfg, COUNTY)
    assert [(r.unit.name, r.rank_text, r.text) for r in rows] == [
        ("甲", "第1名", "100.0分"), ("乙", "第2名", "75.0分"), ("丙", "第3名", "60.0分"), ("经济开发区", "功能区", "—")]
    assert rows[2].note.startswith("未计入：每万名退役军人信访量")


def test_an_abnormal_value_drops_out_of_the_composite_and_the_scale():
    cfg = CompositeConfig("综合得分", {"coverage": 1.0})
    # 丙 120% is 数据异常: not the best of the scale (甲 100 is), no score, not ranked
    comp = composite_scores([A, B, C], {"coverage": {A.code: 100.0, B.code: 80.0, C.code: 120.0}}, cfg, COUNTY, 3)
    assert comp.scores == {A.code: 100.0, B.code: 60.0, C.code: None}
    rows = rank_composite([A, B, C], comp, cfg, COUNTY)
    assert [(r.unit.name, r.rank_text) for r in rows] == [("甲", "第1名"), ("乙", "第2名"), ("丙", "不排名")]
    assert rows[2].reason == "不排名：无可评分的指标"


def test_county_only_indicators_leave_the_composite_below_county_level():
    cfg = CompositeConfig("综合得分", {"placement_rate": 1.0, "coverage": 1.0})
    values = {"placement_rate": {A.code: 50.0, B.code: 90.0}, "coverage": {A.code: 100.0, B.code: 90.0}}
    county = composite_scores([A, B], values, cfg, COUNTY, level=3)
    town = composite_scores([A, B], values, cfg, Basis(TH, level=4), level=4)
    assert county.scores == {A.code: 80.0, B.code: 80.0}               # (60 + 100)/2 and (100 + 60)/2
    assert town.weights == {"coverage": 1.0} and town.scores == {A.code: 100.0, B.code: 60.0}
    assert "placement_rate" in [i.id for i in rankable(3)] and "placement_rate" not in [i.id for i in rankable(4)]
    assert "network_town_coverage" not in [i.id for i in rankable(4)]


def test_composite_ties_on_the_displayed_score():
    rows = rank_values([A, B, C], {A.code: 85.26, B.code: 85.34, C.code: 80.0}, composite_indicator(), COUNTY)
    assert [(r.unit.name, r.rank_text, r.text) for r in rows] == [("乙", "并列第1名", "85.3分"),
                                                                 ("甲", "并列第1名", "85.3分"), ("丙", "第3名", "80.0分")]
    assert rows[2].gap_text == "差5.3分"


def test_village_lists_show_top_and_bottom_ten_and_the_highlight():
    units = [Unit(f"4310221012{i:02d}", f"4310221012{i:02d}", f"村{i}") for i in range(25)]
    rows = rank_values(units, {u.code: 100.0 - i for i, u in enumerate(units)}, BY_ID["coverage"], COUNTY)
    shown = window(rows, units[14].code)
    assert [r.rank for r in shown] == list(range(1, 11)) + [15] + list(range(16, 26))
    assert [r.rank for r in window(rows, None)] == list(range(1, 11)) + list(range(16, 26))


def test_config_file_names_catalogue_indicators_only(tmp_path):
    cfg = load_composite()
    assert cfg.weights and all(BY_ID[k].rank for k in cfg.weights)
    bad = tmp_path / "rankings.toml"
    bad.write_text('[weights]\ncoverage = 1\nno_such = 2\n', encoding="utf-8")
    with pytest.raises(ValueError, match="指标“no_such”不存在"):
        load_composite(bad)
    bad.write_text('[weights]\ncoverage = -1\n', encoding="utf-8")
    with pytest.raises(ValueError, match="权重应为正数"):
        load_composite(bad)


def test_default_period_is_the_last_complete_month():
    assert default_period(date(2026, 12, 3)).key == "2026-11"
    assert default_period(date(2026, 11, 30)).key == "2026-11"
    assert default_period(date(2026, 1, 5)).key == "2025-12"
