"""周例会 flag rules, persistence and 本周要点 on the fixture database (and a planted copy of it).

Expected values are computed here from the fixture's raw rows (tests/fixtures.py), never by the rule code.
The fixture's last complete week at its as-of date (2026-11-23) is 2026-W47 (11月16日—22日).
"""
from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal

import pytest

from config.settings import Settings
from config.thresholds import load_thresholds
from dashboard.context import AppContext
from dashboard.petitions.model import is_spike as page_is_spike
from dashboard.weekly.config import load_weekly_config
from dashboard.catalogue import BY_ID
from dashboard.region_values import region_values
from dashboard.weekly.flags import (
    RULES,
    Flag,
    _indicator_flags,
    enabled_rules,
    flag_indicators,
    is_spike,
    last_complete_week,
    projection,
    snapshot_only,
    week_flags,
    weekly_flags,
)
from dashboard.weekly.snapshots import SnapshotStore
from dashboard.weekly.model import build_weekly, parse_week
from queries.db import Database, make_engine
from queries.periods import Period, day_key
from tests.fixtures import (
    BAISHIDU,
    BEIHU,
    CITY,
    FIXTURE_AS_OF,
    YANGMEISHAN,
    YIZHANG,
    county_of,
    populate,
)

W47 = "2026-W47"
D1 = 20261122                                   # last day of W47
BEIHU_NAME, YIZHANG_NAME = "北湖区", "宜章县"


def make_ctx(db: Database, state_path, as_of: str | None = None) -> AppContext:
    settings = Settings(database_url=str(db.engine.url), root_region="4310", as_of=as_of,
                        state_url=f"sqlite:///{state_path}")
    return AppContext(settings, db, load_thresholds())


def run_rule(ctx, rule_id: str, region: str = "4310", week: str = W47) -> dict[str, Flag]:
    return RULES[rule_id](ctx, ctx.tree.resolve(region), Period.parse(week, ctx.as_of), enabled_rules()[rule_id])


def by_region(flags: dict[str, Flag]) -> dict[str, float]:
    return {f.region_code: f.value for f in flags.values()}


# ------------------------------------------------------------------------------------ independent expectations
def township_week_counts(rows, d0: int, d1: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in rows["petition"]:
        if d0 <= p["received_day"] <= d1:
            town = p["region_code"][:9] + "000"
            out[town] = out.get(town, 0) + 1
    return out


def idle_by_county(rows, d1: int) -> dict[str, int]:
    """Stations built by d1 with no activity in the 30 days to d1, per county (the city centre is no county's)."""
    end = date(d1 // 10000, d1 // 100 % 100, d1 % 100)
    a30 = day_key(end - timedelta(days=29))
    active = {a["unit_id"] for a in rows["station_activity"] if a30 <= a["day"] <= d1}
    out: dict[str, int] = {}
    for u in rows["service_unit"]:
        if u["founded_day"] <= d1 and u["unit_id"] not in active and u["region_code"] != CITY:
            c = county_of(u["region_code"])
            out[c] = out.get(c, 0) + 1
    return out


def unreported_by_county(rows, d1: int) -> dict[str, int]:
    end = date(d1 // 10000, d1 // 100 % 100, d1 % 100)
    due0 = day_key(end - timedelta(days=365))
    out: dict[str, int] = {}
    for p in rows["placement"]:
        if due0 <= p["report_deadline_day"] <= d1 and (p["received_day"] is None or p["received_day"] > d1):
            out[p["region_code"]] = out.get(p["region_code"], 0) + 1
    return out


def dup_death_by_county(rows, year: int, last_month: int) -> dict[str, int]:
    """重复发放 (same beneficiary, kind, month paid twice) + 死亡后发放 (a paid month after the death month)."""
    benef = {b["beneficiary_id"]: b for b in rows["beneficiary"]}
    seen: dict[tuple, int] = {}
    out: dict[str, int] = {}
    for p in rows["payment"]:
        if not (year * 100 + 1 <= p["month"] <= last_month) or p["status"] != "已发放":
            continue
        key = (p["beneficiary_id"], p["fund_kind"], p["month"])
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 2:
            c = county_of(benef[p["beneficiary_id"]]["region_code"])
            out[c] = out.get(c, 0) + 1
        died = benef[p["beneficiary_id"]]["died_day"]
        if died and p["month"] > died // 100:
            c = county_of(benef[p["beneficiary_id"]]["region_code"])
            out[c] = out.get(c, 0) + 1
    return out


def projected_by_county(rows, d1: int) -> dict[str, float]:
    """paid this year to d1 ÷ (elapsed days ÷ 365) ÷ the year's budget × 100."""
    paid: dict[str, Decimal] = {}
    for p in rows["payment"]:
        if p["paid_day"] and 20260101 <= p["paid_day"] <= d1:
            c = county_of(p["region_code"])
            paid[c] = paid.get(c, Decimal(0)) + p["amount_paid"]
    budget: dict[str, Decimal] = {}
    for b in rows["budget"]:
        if b["year"] == 2026:
            budget[b["region_code"]] = budget.get(b["region_code"], Decimal(0)) + b["amount"]
    elapsed = (date(d1 // 10000, d1 // 100 % 100, d1 % 100) - date(2026, 1, 1)).days + 1
    return {c: float(paid[c]) / (elapsed / 365) / float(budget[c]) * 100 for c in budget}


def catalogue_projection(ctx) -> dict[str, float]:
    """The projection from the catalogue's F2 inputs (year-to-date paid and budget as 资金发放 counts them —
    by 所属月份 today, by payment date once the lead's change lands): paid ÷ (326 ÷ 365) ÷ budget × 100."""
    from dashboard.funds.model import funds_values
    values = funds_values(ctx, ctx.tree.resolve("4310"), Period.parse(W47, ctx.as_of))
    return {c: float(values.at[c, "funds_paid_ytd"]) / (326 / 365) / float(values.at[c, "funds_budget"]) * 100
            for c in (BEIHU, YIZHANG)}


# ------------------------------------------------------------------------------------ the planted copy
def _petition(template: dict, pid: int, village: str, d: date) -> dict:
    row = dict(template)
    row.update(petition_id=pid, region_code=village, received_on=d, received_day=day_key(d), persons=1,
               petitioner_ref=None, accept_deadline_day=day_key(d + timedelta(days=15)), accepted_on=None,
               accepted_day=None, due_on=None, due_day=None, extended=False, closed_on=None, closed_day=None,
               satisfaction=None, is_repeat=False, is_skip_level=False)
    return row


def planted_rows(rows) -> dict:
    """The fixture plus: a 白石渡镇 spike in W47; a 杨梅山镇 spike in W45 and W46 (not W47); a never-active
    station in 香花村 (宜章县); a 宜章县 placement past its report deadline; a 宜章县 payment paid twice;
    宜章县's 2026 budget cut to 80 % (its projection rises above 95 %)."""
    out = copy.deepcopy(rows)
    pet = out["petition"]
    pid = max(p["petition_id"] for p in pet) + 1
    for i in range(7):
        pet.append(_petition(pet[0], pid, "431022101201", date(2026, 11, 18))); pid += 1
    for i in range(6):
        pet.append(_petition(pet[0], pid, "431022102200", date(2026, 11, 4))); pid += 1
    for i in range(8):
        pet.append(_petition(pet[0], pid, "431022102200", date(2026, 11, 11))); pid += 1
    unit = dict(next(u for u in out["service_unit"] if u["level"] == 5))
    unit.update(unit_id=999, region_code="431022102201", name="香花村退役军人服务站",
                founded_on=date(2026, 1, 5), founded_day=20260105)
    out["service_unit"].append(unit)
    pl = dict(out["placement"][0])
    pl.update(placement_id=max(p["placement_id"] for p in out["placement"]) + 1, region_code=YIZHANG,
              cohort_year=2026, cohort_season="秋季", mode="自主就业", destination=None, is_task=False,
              discharged_on=date(2026, 10, 1), discharged_day=20261001, report_deadline_day=20261031,
              received_on=None, received_day=None, placed_on=None, placed_day=None, reported_on=None,
              reported_day=None)
    out["placement"].append(pl)
    benef = {b["beneficiary_id"]: b for b in out["beneficiary"]}
    pay = next(p for p in out["payment"] if p["month"] == 202609 and p["status"] == "已发放"
               and county_of(benef[p["beneficiary_id"]]["region_code"]) == YIZHANG)
    dup = dict(pay)
    dup["payment_id"] = max(p["payment_id"] for p in out["payment"]) + 1
    out["payment"].append(dup)
    for b in out["budget"]:
        if b["region_code"] == YIZHANG and b["year"] == 2026:
            b["amount"] = (b["amount"] * Decimal("0.8")).quantize(Decimal("0.01"))
    return out


@pytest.fixture(scope="module")
def planted(tmp_path_factory, fixture_data):
    rows = planted_rows(fixture_data)
    path = tmp_path_factory.mktemp("weekly_planted") / "planted.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    populate(engine, rows)
    engine.dispose()
    db = Database(f"sqlite:///{path}")
    yield db, rows
    db.engine.dispose()


@pytest.fixture
def state(tmp_path):
    return tmp_path / "state.sqlite"


# ------------------------------------------------------------------------------------ basics
def test_last_complete_week_and_label():
    assert last_complete_week(FIXTURE_AS_OF).key == W47                  # 2026-11-23 is a Monday
    week = last_complete_week(date(2026, 12, 3))
    assert week.label == "2026年第48周（11月23日—29日）"
    assert last_complete_week(date(2026, 11, 29)).key == "2026-W48"     # a Sunday closes its week
    assert parse_week("2026-11", date(2026, 12, 3)).key == "2026-W48"   # a month from another page: its last full week


def test_config_rules_and_spike_rule_match_the_petitions_page():
    cfg = load_weekly_config()
    assert set(cfg["rules"]) == {"petition_spike", "idle_stations", "placement_unreported", "funds_dup_death",
                                 "execution_projection"}
    assert cfg["rules"]["execution_projection"]["min_share"] == 95.0
    for week, base in [(5, 10), (5, 11), (4, 0), (10, 20), (9, 20), (6, 0)]:
        assert is_spike(week, base) == page_is_spike(week, base), (week, base)


def test_projection_formula():
    # 91.2 % of the year gone, 912 paid of 1000: on pace for 100 %
    assert projection(912.0, 1000.0, 91.2) == pytest.approx(100.0)
    assert projection(800.0, 1000.0, 80.0) == pytest.approx(100.0)
    assert projection(700.0, 1000.0, 80.0) == pytest.approx(87.5)
    assert projection(700.0, 0.0, 80.0) is None


# ------------------------------------------------------------------------------------ rules on the fixture (every dialect)
def test_rules_on_fixture(fixture_db, fixture_data, tmp_path):
    ctx = make_ctx(fixture_db, tmp_path / "s.sqlite")
    counts = township_week_counts(fixture_data, 20261116, D1)
    assert max(counts.values(), default=0) < 5                         # fixture note: no township week >= 5
    assert run_rule(ctx, "petition_spike") == {}
    assert by_region(run_rule(ctx, "idle_stations")) == {c: float(n) for c, n in idle_by_county(fixture_data, D1).items()}
    assert unreported_by_county(fixture_data, D1) == {}
    assert run_rule(ctx, "placement_unreported") == {}
    assert dup_death_by_county(fixture_data, 2026, 202611) == {}
    assert run_rule(ctx, "funds_dup_death") == {}
    expected = {c: v for c, v in projected_by_county(fixture_data, D1).items() if v < 95.0}
    got = by_region(run_rule(ctx, "execution_projection"))
    assert set(got) == set(expected) == {BEIHU, YIZHANG}
    for c, v in catalogue_projection(ctx).items():
        assert got[c] == pytest.approx(v, abs=1e-9)


def test_five_have_flag_on_fixture(fixture_db, fixture_data, tmp_path):
    """A catalogue indicator flag: “五有”达标率 red (< 85 %) per county, from the service units."""
    ctx = make_ctx(fixture_db, tmp_path / "s.sqlite")
    rate = {}
    for c in (BEIHU, YIZHANG):
        units = [u for u in fixture_data["service_unit"] if u["region_code"].startswith(c[:6]) and u["founded_day"] <= D1]
        ok = [u for u in units if all(u[k] for k in ("has_institution", "has_quota", "has_personnel",
                                                       "has_funding", "has_safeguards"))]
        rate[c] = len(ok) / len(units) * 100
    flags = {f.region_code: f for f in weekly_flags(ctx, ctx.tree.resolve("4310"), Period.parse(W47, ctx.as_of),
                                                    record=False) if f.rule == "five_have" and not f.resolved}
    assert set(flags) == {c for c, v in rate.items() if v < 85.0}
    for c, f in flags.items():
        assert f.value == pytest.approx(rate[c])
        assert f.rule_text == "“五有”达标率低于85%（预警线）"
        assert f.href == f"/network?region={c[:6]}&period={W47}&metric=five_have"


# ------------------------------------------------------------------------------------ rules on the planted copy
def test_spike_fires_where_planted(planted, state):
    db, rows = planted
    ctx = make_ctx(db, state)
    flags = run_rule(ctx, "petition_spike")
    assert set(by_region(flags)) == {BAISHIDU}
    (f,) = flags.values()
    assert f.value == township_week_counts(rows, 20261116, D1)[BAISHIDU]
    assert f.value_text == f"{int(f.value)}件"
    assert f.href == f"/petitions?region=431022101&period={W47}"
    assert f.region_name == "宜章县白石渡镇"


def test_idle_station_fires_where_planted(planted, fixture_data, state):
    db, _rows = planted
    got = by_region(run_rule(make_ctx(db, state), "idle_stations"))
    before = idle_by_county(fixture_data, D1)
    assert got == {BEIHU: float(before[BEIHU]), YIZHANG: float(before[YIZHANG] + 1)}


def test_unreported_fires_where_planted(planted, state):
    db, _rows = planted
    flags = run_rule(make_ctx(db, state), "placement_unreported")
    assert by_region(flags) == {YIZHANG: 1.0}
    assert flags[f"placement_unreported:{YIZHANG}"].value_text == "1人"
    # a county view judges the county itself
    assert by_region(run_rule(make_ctx(db, state), "placement_unreported", region="431022")) == {YIZHANG: 1.0}
    # a week ending before the deadline (31 Oct) has nothing
    assert run_rule(make_ctx(db, state), "placement_unreported", week="2026-W43") == {}


def test_dup_payment_fires_where_planted(planted, state):
    db, rows = planted
    flags = run_rule(make_ctx(db, state), "funds_dup_death")
    assert by_region(flags) == {YIZHANG: 1.0} == {c: float(n) for c, n in dup_death_by_county(rows, 2026, 202611).items()}
    assert flags[f"funds_dup_death:{YIZHANG}"].value_text == "重复发放1条"
    # the case is in September: a week of August has none
    assert run_rule(make_ctx(db, state), "funds_dup_death", week="2026-W33") == {}


def test_projection_fires_where_planted(planted, state):
    db, rows = planted
    expected = projected_by_county(rows, D1)
    assert expected[YIZHANG] >= 95.0 > expected[BEIHU]
    ctx = make_ctx(db, state)
    flags = run_rule(ctx, "execution_projection")
    assert set(by_region(flags)) == {BEIHU}
    f = flags[f"execution_projection:{BEIHU}"]
    assert f.value == pytest.approx(catalogue_projection(ctx)[BEIHU], abs=1e-9)
    assert f.detail.startswith("截至11月22日本年累计发放") and "序时进度89.3%" in f.detail and "年度预算" in f.detail
    assert f.href == f"/funds?region=431002&period={W47}&metric=execution"


# ------------------------------------------------------------------------------------ persistence
def test_persistence_new_then_two_weeks_then_resolved(planted, state):
    """杨梅山镇 spikes in W45 and W46, not in W47: 新 → 持续2周 → 已解除 (from history, not snapshots)."""
    db, _ = planted
    ctx = make_ctx(db, state)
    city = ctx.tree.resolve("4310")
    key = f"petition_spike:{YANGMEISHAN}"

    def state_of(week):
        flags = {f.key: f for f in weekly_flags(ctx, city, Period.parse(week, ctx.as_of), record=False)}
        return flags.get(key)

    w45, w46, w47 = state_of("2026-W45"), state_of("2026-W46"), state_of("2026-W47")
    assert (w45.weeks, w45.resolved, w45.persistence) == (1, False, "新")
    assert (w46.weeks, w46.resolved, w46.persistence) == (2, False, "持续2周")
    assert (w47.resolved, w47.persistence) == (True, "已解除")
    assert w47.href == f"/petitions?region=431022102&period={W47}"
    assert state_of("2026-W44") is None


def test_snapshot_persistence_counts_from_first_snapshot(fixture_db, state):
    """“五有” has no history: W45 and W46 snapshots hold 北湖区 only; at W47 北湖区 has been red 3 weeks
    (counted from the first snapshot), 宜章县 is 新, a W46 snapshot flag no longer red is 已解除."""
    ctx = make_ctx(fixture_db, state)
    store = SnapshotStore(f"sqlite:///{state}")
    five = lambda code: Flag("five_have", "“五有”达标率", "服务网络", code, code[:6], "", 50.0, "50.0%", "", "")
    certified = Flag("network_certified", "事务员持证率", "服务网络", BEIHU, "431002", "", 10.0, "10.0%", "", "")
    store.record("2026-W45", CITY, [five(BEIHU)])
    store.record("2026-W46", CITY, [five(BEIHU), certified])
    result = week_flags(ctx, ctx.tree.resolve("4310"), Period.parse(W47, ctx.as_of), record=True)
    flags = {f.key: f for f in result.flags}
    assert flags[f"five_have:{BEIHU}"].persistence == "持续3周（自首次快照）"
    assert flags[f"five_have:{BEIHU}"].basis == "snapshot"
    assert flags[f"five_have:{YIZHANG}"].persistence == "新"
    assert f"network_certified:{BEIHU}" not in flags
    assert [f.key for f in result.resolved if f.rule == "network_certified"] == [f"network_certified:{BEIHU}"]
    assert result.first_snapshot == "2026-W45"
    assert "自首次周快照（2026年第45周（11月2日—8日））起计算" in result.snapshot_note
    # the week was recorded (the last complete week), with every flag of the page
    assert "2026-W47" in SnapshotStore(f"sqlite:///{state}").runs(CITY)
    assert SnapshotStore(f"sqlite:///{state}").has("2026-W47", CITY, "five_have", YIZHANG)


def test_snapshot_only_indicators_need_a_snapshot_for_older_weeks(fixture_db, state):
    ctx = make_ctx(fixture_db, state)
    result = week_flags(ctx, ctx.tree.resolve("4310"), Period.parse("2026-W40", ctx.as_of), record=True)
    assert not [f for f in result.flags if f.rule == "five_have"]
    assert "2026年第40周（9月28日—10月4日）无快照" in result.snapshot_note
    assert SnapshotStore(f"sqlite:///{state}").runs(CITY) == set()         # only the last complete week is recorded


# ------------------------------------------------------------------------------------ 本周要点
EXPECTED_W47 = [
    # 35 = 33 + 当前超期未办结 at both counties, red for weeks: at 22 Nov 北湖区 has 16 of its 25 open petitions
    # past their deadline (64 %), 宜章县 15 of 26 (58 %), against the 10 % line (fixture rows, counted by hand
    # in test_petitions_overdue_by_child.py)
    "2026年第47周（11月16日—22日），郴州市共有预警事项35项，其中新增2项、持续28项、自首次快照起计5项；较上周解除2项。",
    "主要变化：信访量1件，较上周减少1件。",
    "新增预警：北湖区每万名退役军人信访量74.6件/万人；北湖区重复访率100.0%。",
    # projected year-end execution by payment day (cash basis): paid 1 Jan–22 Nov ÷ (326/365) ÷ budget,
    # from the raw rows: 北湖区 89.2 %, 宜章县 88.9 %, both under the 95 % rule
    ("持续预警：服务站未运行2处，最长持续8周以上（北湖区3个、宜章县4个）；全年执行率预计不足2处，最长持续8周以上"
    "（北湖区预计89.2%、宜章县预计88.9%）；当前超期未办结2处，最长持续8周以上（北湖区16件、宜章县15件）；"
    "“311”服务完成率2处，最长持续8周以上（北湖区10.5%、宜章县13.0%）；等。"),
    ("当前状态指标预警（无历史数据，自首次快照起计）：“五有”达标率2处（北湖区50.0%、宜章县57.1%）；"
    "一部一站融合率2处（北湖区50.0%、宜章县0.0%）；宜章县兵支书占比0.0%。"),
    "向好：宜章县集体访（≥5人）为0批，预警解除；宜章县每万名退役军人信访量为0.0件/万人，预警解除。",
]


def test_narrative_for_fixture_week(fixture_db, fixture_data, state):
    ctx = make_ctx(fixture_db, state)
    # the mover's figures, from the raw rows: 1 petition in W47, 2 in W46
    assert sum(township_week_counts(fixture_data, 20261116, D1).values()) == 1
    assert sum(township_week_counts(fixture_data, 20261109, 20261115).values()) == 2
    model = build_weekly(ctx, "4310", None, record=False)
    assert model.week.key == W47
    assert model.narrative == EXPECTED_W47


def test_kpis_of_the_week_by_kind(fixture_db, fixture_data, state):
    ctx = make_ctx(fixture_db, state)
    model = build_weekly(ctx, "4310", W47, record=False)
    kpis = {k.indicator.id: k for k in model.kpis}
    assert [k.indicator.kind for k in model.kpis] == ["时点", "时点", "年累计", "时点", "年累计", "期间", "期间", "期间"]
    assert (kpis["petitions_received"].value, kpis["petitions_received"].prev) == (1.0, 2.0)
    ly = sum(1 for p in fixture_data["petition"] if 20251117 <= p["received_day"] <= 20251123)   # 2025-W47
    assert kpis["petitions_received"].last_year == float(ly)


def test_bad_week_is_a_chinese_message(fixture_db, state):
    from queries.periods import PeriodError
    ctx = make_ctx(fixture_db, state)
    with pytest.raises(PeriodError, match="周次"):
        build_weekly(ctx, "4310", "2026-W60", record=False)


def test_weekly_snapshot_job_records_root_and_counties(fixture_db, state):
    from dashboard.weekly.jobs import snapshot_last_week
    ctx = make_ctx(fixture_db, state)
    week, counts = snapshot_last_week(ctx)
    assert week.key == W47
    assert list(counts) == ["郴州市", "北湖区", "宜章县"]
    store = SnapshotStore(f"sqlite:///{state}")
    for code in (CITY, BEIHU, YIZHANG):
        assert store.runs(code) == {W47}
    assert store.has(W47, CITY, "five_have", BEIHU)


# ------------------------------------------------------------------------------------ the persistence walk
def _red_indicators(ctx, region, week) -> set[str]:
    """The week's red indicator flags (history-based indicators), from that week's own values only."""
    inds = [i for i in flag_indicators(ctx.thresholds) if not snapshot_only(i)]
    return set(_indicator_flags(ctx, region, week, inds, region_values(ctx, region, week))[0])


@pytest.mark.parametrize("code,week_key", [(CITY, W47), (YIZHANG, W47), (CITY, "2026-W03")])
def test_indicator_persistence_equals_a_walk_that_computes_every_week(fixture_db, state, code, week_key):
    """The evaluator reads a week from the _prev columns of the week after it and skips areas with no flag;
    the weeks red must be what evaluating every week on its own gives (W03 crosses New Year on its walk)."""
    ctx = make_ctx(fixture_db, state)
    region, week = ctx.tree.resolve(code), Period.parse(week_key, ctx.as_of)
    max_weeks = int(load_weekly_config()["general"].get("history_weeks", 12))
    reds = [_red_indicators(ctx, region, week.shifted(-k)) for k in range(max_weeks)]
    expected = {}
    for key in reds[0]:
        n = 1
        while n < max_weeks and key in reds[n]:
            n += 1
        expected[key] = n
    got = {f.key: f.weeks for f in week_flags(ctx, region, week, record=False).flags
           if f.rule in BY_ID and not snapshot_only(BY_ID[f.rule])}
    assert got == expected
    assert expected, "the fixture has red indicators in this view"


def test_the_walk_computes_an_area_for_every_other_week_only(fixture_db, state, monkeypatch):
    """The walk back from W47 computes each area's values at most once per two weeks walked."""
    import dashboard.weekly.flags as flags_module
    ctx = make_ctx(fixture_db, state)
    computed = []
    real = flags_module.region_values
    # no page cache: every area-week this walk needs is computed here (an earlier test may have cached some)
    monkeypatch.setattr(flags_module, "cached_model", lambda page, build, ctx, *state, once=True: build(ctx, *state))
    monkeypatch.setattr(flags_module, "region_values",
                        lambda c, r, p, areas: computed.append((p.key, areas)) or real(c, r, p, areas=areas))
    result = week_flags(ctx, ctx.tree.resolve("4310"), Period.parse(W47, ctx.as_of), record=False)
    walked = max(f.weeks for f in result.flags if f.rule in BY_ID)
    weeks_of = {area: {k for k, a in computed if a == (area,)} for area in ("network", "placement")}
    assert walked >= 4
    for area, weeks in weeks_of.items():
        assert 0 < len(weeks) <= walked // 2 + 1, (area, sorted(weeks))
