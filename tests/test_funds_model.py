"""build_funds_model on the fixture: KPI values, 按县统计 below county, pace colors, empty village,
masked anomaly rows and the Chinese refusal of a region outside the scope."""
from __future__ import annotations

from decimal import Decimal

import pytest

from config.settings import Settings
from config.thresholds import load_thresholds
from dashboard.funds import model as funds_model
from dashboard.context import AppContext
from dashboard.funds.model import (ANOMALIES, BACKPAY, EXECUTION, ONTIME, PAID, PEOPLE, PER_CAPITA,
                                   build_funds_model)
from queries.codes import RegionCodeError
from queries.periods import PeriodError
from queries.regions import OutOfScope
from tests.fixtures import BAISHIDU, BEIHU, CITY, YIZHANG

VILLAGE = "431022101201"                       # 白石渡村


@pytest.fixture
def ctx(reader_db):
    return AppContext(Settings(database_url="sqlite://", root_region="4310"), reader_db, load_thresholds())


def kpis(model) -> dict:
    return {k.indicator.id: k for k in model.kpis}


def paid(data, prefix: str, m0: int, m1: int) -> Decimal:
    """Paid amounts by payment day (cash basis) in months m0..m1."""
    return sum((p["amount_paid"] for p in data["payment"] if p["region_code"].startswith(prefix)
                and p["paid_day"] is not None and m0 <= p["paid_day"] // 100 <= m1), Decimal(0))


def paid_by_month(data, prefix: str, month: int) -> Decimal:
    """Paid amounts of one entitlement month (所属月份: the by-kind chart and table)."""
    return sum((p["amount_paid"] for p in data["payment"]
                if p["region_code"].startswith(prefix) and p["month"] == month), Decimal(0))


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
    assert model.pace == pytest.approx(304 / 365 * 100)      # 31 Oct 2026 is day 304 of 365
    assert k[EXECUTION.id].status == ctx.thresholds["execution"].status(execution, model.pace)
    assert "序时进度 83.3%" in k[EXECUTION.id].note
    people = sum(1 for p in fixture_data["payment"]
                 if p["paid_day"] and p["paid_day"] // 100 == 202610 and p["amount_paid"] > 0)    # rows paid
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
    want = paid_by_month(fixture_data, "4310", 202610)
    assert model.kind_month.loc[202610].sum() == pytest.approx(float(want) / 1e4)
    table = model.kind_table.set_index("code")
    assert table.loc[CITY, "合计"] == pytest.approx(float(paid_by_month(fixture_data, "4310", 202611)))
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


def test_province_root_shows_the_audit_from_rollups(ctx, fixture_db, fixture_data):
    """The province root is no longer skipped: F5 and the four checks come from the rollups there too,
    and equal the city's figures (the fixture's province holds only 郴州市)."""
    prov = AppContext(Settings(database_url="sqlite://", root_region="43"), ctx.db, load_thresholds())
    model = build_funds_model(prov, "43", "2025", "funds_anomaly_rate")
    city = build_funds_model(ctx, "4310", "2025", None)
    assert model.metric.id == "funds_anomaly_rate"
    assert {"funds_anomaly_rate", "funds_backpay"} <= {m.id for m in model.metric_options}
    assert [(c.key, c.total, round(c.amount, 2)) for c in model.audit.checks] == \
        [(c.key, c.total, round(c.amount, 2)) for c in city.audit.checks]
    assert [c.by_child for c in model.audit.checks] == [{CITY: c.total} if c.total else {} for c in city.audit.checks]
    dup = next(c for c in model.audit.checks if c.key == "dup")
    assert dup.total == 1 and len(dup.rows) == 1
    assert dup.rows.iloc[0]["发放地"] == "郴州市 北湖区 人民路街道 北湖路社区"     # names below the province
    k, kc = kpis(model), kpis(city)
    assert k[ANOMALIES.id].value == 1 and k[ANOMALIES.id].status != "none"
    assert k[BACKPAY.id].value == kc[BACKPAY.id].value and k[BACKPAY.id].note == kc[BACKPAY.id].note
    assert list(model.children["name"]) == ["郴州市"]
    due = sum(1 for p in fixture_data["payment"] if 202501 <= p["month"] <= 202512 and p["due_day"] <= 20261123)
    assert model.children.set_index("name").loc["郴州市", "value"] == pytest.approx(1 / due * 1000)


@pytest.mark.parametrize("key", ["2024", "2024-10", "2026-11"])
def test_backpay_kpi_and_children(ctx, fixture_data, key):
    """F5 from roll_payment_backpay equals the raw rows: 调标补发 rows of Jan … period end, paid in full
    by the as-of date."""
    model = build_funds_model(ctx, "4310", key, "funds_backpay")
    m1 = model.period.last_day.year * 100 + model.period.last_day.month
    m0 = m1 // 100 * 100 + 1
    asof = 20261123

    def counts(prefix):
        rows = [p for p in fixture_data["payment"] if p["is_backpay"] and p["region_code"].startswith(prefix)
                and m0 <= p["month"] <= m1]
        done = [p for p in rows if p["paid_day"] is not None and p["paid_day"] <= asof
                and p["amount_paid"] >= p["amount_due"]]
        return len(rows), len(done)

    due, done = counts("4310")
    k = kpis(model)[BACKPAY.id]
    if due:
        assert k.value == pytest.approx(done / due * 100)
        assert k.note == f"应补发 {due:,}人次，已足额补发 {done:,}人次"
    else:
        assert k.value is None and k.note == "本年暂无调标补发记录"
    if key.startswith("2024"):
        assert due > 0                                      # the 2024-10 round is in the fixture
    for name, prefix in (("北湖区", "431002"), ("宜章县", "431022")):
        cdue, cdone = counts(prefix)
        value = model.children.set_index("name").loc[name, "value"]
        assert (value is None or value != value) if not cdue else value == pytest.approx(cdone / cdue * 100)


def test_counts_do_not_depend_on_the_list(ctx, monkeypatch):
    """Per-child counts and totals come from roll_payment_audit, not from the listed rows."""
    full = build_funds_model(ctx, "4310", "2025", None).audit.checks
    monkeypatch.setattr(funds_model, "WIDE_LIST_LIMIT", 0)
    short = funds_model.build_audit(ctx, CITY, "2025").checks
    assert [(c.key, c.total, c.by_child, round(c.amount, 2)) for c in short] == \
        [(c.key, c.total, c.by_child, round(c.amount, 2)) for c in full]
    assert all(len(c.rows) == 0 for c in short) and sum(c.total for c in full) > 0


def test_lists_are_short_above_county(ctx, fixture_db):
    """A city or the province lists each check's newest WIDE_LIST_LIMIT cases; a county LIST_LIMIT."""
    tree = ctx.tree
    assert funds_model.list_limit(tree.resolve("4310")) == funds_model.WIDE_LIST_LIMIT == 20
    assert funds_model.list_limit(tree.resolve("431022")) == funds_model.LIST_LIMIT == 200
    assert funds_model.list_limit(tree.resolve(BAISHIDU)) == funds_model.LIST_LIMIT


def test_child_code_follows_the_code_prefix(ctx):
    city, town = ctx.tree.resolve("4310"), ctx.tree.resolve(BAISHIDU)
    assert funds_model.child_code(city, VILLAGE) == YIZHANG
    assert funds_model.child_code(town, VILLAGE) == VILLAGE
    assert funds_model.child_code(city, CITY) == CITY
