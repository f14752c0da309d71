"""build_funds_model on the fixture: KPI values, 按县统计 below county, pace colors, empty village,
masked anomaly rows and the Chinese refusal of a region outside the scope."""
from __future__ import annotations

from decimal import Decimal

import pytest

from config.settings import Settings
from config.thresholds import load_thresholds
from dashboard import funds_model
from dashboard.context import AppContext
from dashboard.funds_model import (ANOMALIES, BACKPAY, EXECUTION, ONTIME, PAID, PEOPLE, PER_CAPITA,
                                   build_funds_model)
from queries.codes import RegionCodeError
from queries.periods import PeriodError
from queries.regions import OutOfScope
from tests.fixtures import BAISHIDU, BEIHU, CITY, YIZHANG

VILLAGE = "431022101201"                       # 白石渡村


@pytest.fixture
def ctx(fixture_db):
    return AppContext(Settings(database_url="sqlite://", root_region="4310"), fixture_db, load_thresholds())


def kpis(model) -> dict:
    return {k.indicator.id: k for k in model.kpis}


def paid(data, prefix: str, m0: int, m1: int) -> Decimal:
    return sum((p["amount_paid"] for p in data["payment"]
                if p["region_code"].startswith(prefix) and m0 <= p["month"] <= m1), Decimal(0))


def test_city_kpis_follow_the_definitions(ctx, fixture_data):
    model = build_funds_model(ctx, "4310", "2026-10", None)
    k = kpis(model)
    assert [x.indicator.id for x in model.kpis] == [PAID.id, EXECUTION.id, ONTIME.id, PEOPLE.id, PER_CAPITA.id,
                                                    BACKPAY.id, ANOMALIES.id]
    assert k[PAID.id].value == pytest.approx(float(paid(fixture_data, "4310", 202610, 202610)))
    assert k[PAID.id].prev == pytest.approx(float(paid(fixture_data, "4310", 202609, 202609)))
    budget = sum(b["amount"] for b in fixture_data["budget"] if b["year"] == 2026)
    execution = float(paid(fixture_data, "4310", 202601, 202610) / budget * 100)
    assert k[EXECUTION.id].value == pytest.approx(execution)
    assert model.pace == pytest.approx(10 / 12 * 100)
    assert k[EXECUTION.id].status == ctx.thresholds["execution"].status(execution, model.pace)
    assert "序时进度 83.3%" in k[EXECUTION.id].note
    people = len({p["beneficiary_id"] for p in fixture_data["payment"] if p["month"] == 202610})
    assert k[PEOPLE.id].value == people
    assert k[PER_CAPITA.id].value == pytest.approx(k[PAID.id].value / people)
    due = [p for p in fixture_data["payment"] if p["month"] == 202610]
    ok = [p for p in due if p["paid_day"] and p["paid_day"] <= p["due_day"] and p["amount_paid"] >= p["amount_due"]]
    assert k[ONTIME.id].value == pytest.approx(len(ok) / len(due) * 100)
    assert k[PAID.id].status == "none" and k[PEOPLE.id].status == "none"


def test_city_drill_shows_execution_against_pace(ctx, fixture_data):
    model = build_funds_model(ctx, "4310", "2026-11", None)
    assert model.metric.id == EXECUTION.id                          # the default at city level
    rows = {r["name"]: r for r in model.children.to_dict("records")}
    assert set(rows) == {"北湖区", "宜章县"}
    for county, prefix in (("北湖区", "431002"), ("宜章县", "431022")):
        budget = sum(b["amount"] for b in fixture_data["budget"]
                     if b["year"] == 2026 and b["region_code"].startswith(prefix))
        value = float(paid(fixture_data, prefix, 202601, 202611) / budget * 100)
        assert rows[county]["value"] == pytest.approx(value)
        assert rows[county]["status"] == ctx.thresholds["execution"].status(value, 11 / 12 * 100)


def test_execution_is_county_only_below_county(ctx, fixture_data):
    county = kpis(build_funds_model(ctx, "431022", "2026-11", None))[EXECUTION.id]
    model = build_funds_model(ctx, BAISHIDU, "2026-11", "execution")
    town = kpis(model)[EXECUTION.id]
    assert town.value == pytest.approx(county.value)
    assert town.note.startswith("按县统计（宜章县）")
    assert model.metric.id == ONTIME.id                             # 执行率 is not offered for villages
    assert EXECUTION.id not in {m.id for m in model.metric_options}
    assert set(model.children["name"]) == {"解放路社区", "白石渡村", "高龙桥村"}


def test_village_has_its_own_summary(ctx, fixture_data):
    model = build_funds_model(ctx, VILLAGE, "2026-11", None)
    assert model.village is not None and not model.village["empty"] and model.children.empty
    by_kind = model.village["by_kind"]["amount_paid"].to_dict()
    for kind, value in by_kind.items():
        want = sum((p["amount_paid"] for p in fixture_data["payment"] if p["region_code"] == VILLAGE
                    and p["month"] == 202611 and p["fund_kind"] == kind), Decimal(0))
        assert value == pytest.approx(float(want))
    assert model.village["categories"]["people"].sum() >= kpis(model)[PEOPLE.id].value
    assert "按县统计（宜章县）" in kpis(model)[EXECUTION.id].note


def test_village_without_payments_is_an_empty_state(ctx):
    model = build_funds_model(ctx, VILLAGE, "2023-05", None)
    assert model.village["empty"]
    assert kpis(model)[PAID.id].value is None and kpis(model)[PEOPLE.id].value is None
    assert model.kind_month.to_numpy().sum() == 0


def test_anomalies_are_listed_with_masked_ids_only(ctx, fixture_data):
    model = build_funds_model(ctx, "4310", "2025", None)
    dup = next(c for c in model.audit.checks if c.key == "dup")
    assert dup.total == 1 and len(dup.rows) == 1
    row = dup.rows.iloc[0].to_dict()
    assert row["编号"].startswith("****") and len(row["编号"]) == 8
    assert row["发放地"] == "北湖区 人民路街道 北湖路社区" and row["发放笔数"] == 2
    allowed = {"编号", "资金类别", "所属期", "应发金额(元)", "实发金额(元)", "发放地", "发放笔数", "多发金额(元)",
               "登记死亡月份", "月标准范围(元)", "登记地"}
    for check in model.audit.checks:                                # no other column can carry an ID
        assert set(check.rows.columns) <= allowed
        assert check.rows["编号"].str.fullmatch(r"\*{4}\d{4}").all()
    assert kpis(model)[ANOMALIES.id].value == 1
    table = model.anomaly_table.set_index("name")
    assert table.loc["北湖区", "重复发放"] == 1 and table.loc["合计", "合计"] == 1


def test_amounts_by_kind_and_month(ctx, fixture_data):
    model = build_funds_model(ctx, "4310", "2026-11", None)
    assert len(model.kind_month) == 36 and model.kind_month.index[-1] == 202611
    want = paid(fixture_data, "4310", 202610, 202610)
    assert model.kind_month.loc[202610].sum() == pytest.approx(float(want) / 1e4)
    table = model.kind_table.set_index("code")
    assert table.loc[CITY, "合计"] == pytest.approx(float(paid(fixture_data, "4310", 202611, 202611)))
    assert table.loc[YIZHANG, "合计"] + table.loc[BEIHU, "合计"] == pytest.approx(table.loc[CITY, "合计"])


@pytest.mark.parametrize("region, error, text", [
    ("4311", OutOfScope, "不在您的查看范围"),
    ("431099", RegionCodeError, "找不到区划代码"),
    ("43x1", RegionCodeError, "应为数字"),
])
def test_bad_region_gets_a_chinese_error(ctx, region, error, text):
    with pytest.raises(error, match=text):
        build_funds_model(ctx, region, None, None)


def test_period_after_the_data_is_refused(ctx):
    with pytest.raises(PeriodError, match="尚无数据"):
        build_funds_model(ctx, "4310", "2027-01", None)


def test_week_period_notes_monthly_facts(ctx):
    model = build_funds_model(ctx, "431022", "2026-W47", "funds_anomaly_rate")
    assert model.metric.id == "funds_anomaly_rate"
    assert any("所属月份" in n for n in model.notes)


def test_province_root_skips_row_by_row_checks(fixture_db):
    ctx = AppContext(Settings(database_url="sqlite://", root_region="43"), fixture_db, load_thresholds())
    model = build_funds_model(ctx, "43", "2026-11", "funds_anomaly_rate")
    assert model.audit.skipped and model.audit.checks == []
    k = kpis(model)
    assert k[ANOMALIES.id].value is None and k[ANOMALIES.id].status == "none"
    assert "请选择市州或县" in k[ANOMALIES.id].note
    assert model.metric.id == EXECUTION.id                          # raw-row metrics are not offered here
    assert {"funds_anomaly_rate", "funds_backpay"}.isdisjoint(m.id for m in model.metric_options)
    assert list(model.children["name"]) == ["郴州市"]


def test_long_lists_use_the_count_queries(ctx, monkeypatch):
    """With more cases than the list holds, per-child counts come from the _by_child queries."""
    full = build_funds_model(ctx, "4310", "2025", None).audit.checks
    monkeypatch.setattr(funds_model, "LIST_LIMIT", 0)
    short = funds_model.build_audit(ctx, CITY, "2025").checks
    assert [(c.key, c.total, c.by_child, round(c.amount, 2)) for c in short] == \
        [(c.key, c.total, c.by_child, round(c.amount, 2)) for c in full]
    assert all(len(c.rows) == 0 for c in short)


def test_child_code_follows_the_code_prefix(ctx):
    city, town = ctx.tree.resolve("4310"), ctx.tree.resolve(BAISHIDU)
    assert funds_model.child_code(city, VILLAGE) == YIZHANG
    assert funds_model.child_code(town, VILLAGE) == VILLAGE
    assert funds_model.child_code(city, CITY) == CITY
