"""Everything the 安置就业 page shows, computed from queries/placement.py as plain data (no Dash here).

Placement rows carry the RECEIVING county, employment rows the veteran's village: at county level and
above placement figures are read by receiving county; below it P1/P5/P6 are read by residence and the
county-level P2/P3 show the county's value as 按县统计.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard import labels
from dashboard.components.drill import children_frame
from dashboard.components.kpi import format_value
from dashboard.auth.viewer import county_figures_scope
from dashboard.context import AppContext
from dashboard import quality_marks
from dashboard.catalogue import BY_ID as CATALOGUE, Indicator, Kpi, apply_coverage, evaluate, make_kpi
from dashboard.labels import ratio
from queries import codes, placement as q
from queries.periods import Period, day_key, from_day_key, period_params, year_pace
from queries.regions import Region

P1, P2, P3, P5, P6, E1, E2, E2C, E4, E5, E9, E10 = (CATALOGUE[i] for i in (
    "placement_received", "placement_rate", "placement_gov_share", "placement_report_ontime",
    "placement_training_rate", "employment_rate", "employment_waiting", "employment_clear_rate",
    "employment_311_rate", "employment_trainings", "employment_bing_laoban", "employment_zhishu_share"))
KPIS = [P1, P2, P3, P5, P6, E1, E2, E2C, E4, E5, E9, E10]
INFO_ONLY = {P1.id, E5.id, E9.id}                       # counts without a 红黄绿 target
DRILL_METRICS = [E1, E2C, E4, P2, P3, P5, P6, E10]
BY_ID = {i.id: i for i in KPIS}
DEFAULT_METRIC = E1.id
MODES = ["转业", "安排工作", "自主就业", "逐月领取退役金", "退休", "供养", "复员"]
DESTINATIONS = ["党政机关", "事业单位", "央企", "地方国企", "其他"]
TRAINING_KINDS = ["适应性培训", "职业技能培训", "学历提升"]


@dataclass
class PlacementModel:
    region: Region
    lineage: list
    period: Period
    metric: Indicator
    kpis: list[Kpi]
    children: pd.DataFrame            # code, short, name, value, text, status, location
    pace: float                       # 序时进度 in percent (days elapsed ÷ days in year)
    county: Region | None             # the county of a township/village (county-only figures)
    mix: pd.DataFrame                 # cohort, mode, destination, placements
    mix_region_name: str
    weekly: pd.DataFrame              # week, label, sunday, cohort, level
    cohorts: pd.DataFrame             # cohort_year, label, rate, text, status, cohort_size
    service311: dict
    village: dict | None = None
    extras: dict = field(default_factory=dict)


def _num(v):
    return None if v is None or pd.isna(v) else float(v)


def build_placement(ctx: AppContext, region_code: str | None, period_key: str | None,
                    metric_id: str | None) -> PlacementModel:
    """Raises RegionCodeError / OutOfScope / PeriodError (Chinese messages) for bad URL state."""
    tree, scope, db = ctx.tree, ctx.scope, ctx.db
    region = tree.resolve(region_code)
    period = Period.parse(period_key, ctx.as_of)
    metric = BY_ID.get(metric_id or DEFAULT_METRIC)
    metric = metric if metric in DRILL_METRICS else BY_ID[DEFAULT_METRIC]
    county = tree.county_of(region.code) if region.level >= 4 else None
    pace = year_pace(period.last_day)
    binds = period_params(period)
    same_year = binds["p_d1"] >= binds["ytd0"]         # 年累计 "previous period" only within the year

    values = placement_values(ctx, region, period)
    me = values.loc[region.code]
    kpis = apply_coverage(_kpis(ctx, me, pace, same_year, county, region, source_has_zhishu(ctx, period)),
                          ctx.coverage, period)

    children = children_frame(
        tree.children(region.code), values[metric.id].to_dict() if metric.id in values else {},
        lambda v: format_value(metric, v), lambda v: evaluate(metric, v, ctx.thresholds, pace=pace).key,
        county_only=metric.county_only)
    kpis, children = quality_marks.apply(ctx, region, kpis, children, metric.id)   # findings turn figures grey
    mix_region = county or region
    mix = q.placement_mix(db, county_figures_scope(scope, mix_region.code), mix_region.code, period)
    weekly = weekly_levels(q.employment_weekly(db, scope, region.code, period), period)
    cohorts = _cohort_rates(ctx, q.employment_cohorts(db, scope, region.code, period), binds["year"])
    service = {k: _num(me.get(k)) for k in ("served", "ref_ok", "guide_ok", "info_ok", "all_ok")}
    village = _village(db, scope, region, period, me) if region.level == 5 else None
    return PlacementModel(region, tree.lineage(region.code), period, metric, kpis, children, pace, county,
                          mix, mix_region.name, weekly, cohorts, service, village)


# ------------------------------------------------------------------------------ values per region
def placement_values(ctx: AppContext, region: Region, period: Period) -> pd.DataFrame:
    """Every 安置就业 indicator (with _prev/_ly) for the region and its children, indexed by 12-digit code."""
    county = ctx.tree.county_of(region.code) if region.level >= 4 else None
    values = _placement_values(ctx.db, ctx.scope, region, county, period)
    return values.join(_employment_values(ctx.db, ctx.scope, region, period), how="outer")


def _placement_values(db, scope, region: Region, county: Region | None, period: Period) -> pd.DataFrame:
    """P1/P2/P3/P5/P6 (and _prev/_ly) per region code: self and children."""
    if region.level <= 3:
        by_county = q.placement_summary(db, scope, region.code, period).set_index("region_code")
        frame = by_county if region.level < 3 else by_county.loc[[region.code]]
        if region.level == 3:                         # the county's townships: by residence
            residence = q.placement_summary_residence(db, scope, region.code, period).set_index("region_code")
            frame = pd.concat([frame, residence.drop(index=region.code)])
    else:
        frame = q.placement_summary_residence(db, scope, region.code, period).set_index("region_code")
        own = q.placement_summary(db, county_figures_scope(scope, county.code), county.code,
                                  period).set_index("region_code").loc[county.code]
        for col in ("task", "task_ly", "done", "done_prev", "done_ly", "placed", "placed_gov", "placed_soe",
                    "placed_prev", "placed_gov_prev", "placed_ly", "placed_gov_ly"):
            frame.loc[region.code, col] = own[col]     # county-only: the county's figures (按县统计)
    col = lambda name: frame[name] if name in frame else pd.Series(None, index=frame.index, dtype=float)  # noqa: E731
    r = lambda a, b: [ratio(x, y) for x, y in zip(col(a), col(b))]  # noqa: E731
    out = {}                     # columns, made into one frame at the end (a column added at a time costs ~0.1 ms)
    out[P1.id], out[P1.id + "_prev"], out[P1.id + "_ly"] = col("received"), col("received_prev"), col("received_ly")
    out[P2.id], out[P2.id + "_prev"], out[P2.id + "_ly"] = (
        r("done", "task"), r("done_prev", "task"), r("done_ly", "task_ly"))
    out[P3.id], out[P3.id + "_prev"], out[P3.id + "_ly"] = (
        r("placed_gov", "placed"), r("placed_gov_prev", "placed_prev"), r("placed_gov_ly", "placed_ly"))
    out["soe_share"] = r("placed_soe", "placed")
    for ind, num, den in ((P5, "report_ontime", "report_due"), (P6, "trained", "discharged")):
        out[ind.id], out[ind.id + "_prev"], out[ind.id + "_ly"] = (
            r(num, den), r(num + "_prev", den + "_prev"), r(num + "_ly", den + "_ly"))
    for name in ("task", "done", "placed", "report_due", "discharged", "received"):
        out["n_" + name] = col(name)
    return pd.DataFrame(out, index=frame.index)


def _employment_values(db, scope, region: Region, period: Period) -> pd.DataFrame:
    emp = q.employment_summary(db, scope, region.code, period).set_index("region_code")
    s311 = q.employment_311(db, scope, region.code, period).set_index("region_code")
    bing = q.employment_bing(db, scope, region.code, period).set_index("region_code")
    training = q.employment_training(db, scope, region.code, period)
    out = {}                     # columns, made into one frame before the joins below
    eligible = lambda s: emp["cohort_size" + s] - emp["studying" + s]  # noqa: E731
    for s in ("", "_prev", "_ly"):
        out[E1.id + s] = [ratio(a, b) for a, b in zip(emp["employed" + s], eligible(s))]
    out[E2.id] = emp["waiting"] + emp["new_waiting"]
    out[E2.id + "_prev"] = emp["waiting_prev"] + emp["new_waiting_prev"]
    out[E2.id + "_ly"] = emp["waiting_ly"] + emp["new_waiting_ly"]
    clear = lambda now, base: [None if not b else 100.0 - ratio(n, b) for n, b in zip(now, base)]  # noqa: E731
    out[E2C.id] = clear(emp["waiting"], emp["waiting_start"])
    out[E2C.id + "_prev"] = clear(emp["waiting_prev"], emp["waiting_start"])
    out[E2C.id + "_ly"] = clear(emp["waiting_ly"], emp["waiting_start_ly"])
    for name in ("cohort_size", "employed", "studying", "waiting", "waiting_start", "new_size", "new_waiting"):
        out[name] = emp[name]
    out = pd.DataFrame(out, index=emp.index).join(s311)
    for s in ("", "_prev", "_ly"):
        out[E4.id + s] = [ratio(a, b) for a, b in zip(out["all_ok" + s], out["served" + s])]
    out = out.join(bing)
    out[E9.id] = out["bing_laoban"]
    out[E10.id] = [ratio(a, b) for a, b in zip(out["villages_with_zhishu"], out["villages"])]
    for s, col in (("", "started"), ("_prev", "started_prev"), ("_ly", "started_ly")):
        total = training.groupby("region_code")[col].sum() if len(training) else pd.Series(dtype=float)
        out[E5.id + s] = total.reindex(out.index).fillna(0)
    for kind in TRAINING_KINDS:
        part = training[training["kind"] == kind] if len(training) else training
        started = part.set_index("region_code")["started"] if len(part) else pd.Series(dtype=float)
        out["training_" + kind] = started.reindex(out.index).fillna(0)
    return out


# ------------------------------------------------------------------------------ KPI cards
def source_has_zhishu(ctx: AppContext, period: Period) -> bool:
    """Whether the data carries any 兵支书 flag at all in the viewer's scope (else E10 is unknown, not 0 %)."""
    root = ctx.tree.resolve(ctx.scope)
    frame = q.employment_bing(ctx.db, ctx.scope, root.code, period, as_of_day=day_key(ctx.as_of))
    row = frame[frame.region_code == root.code]
    return bool(len(row)) and bool(_num(row.iloc[0].get("bing_zhishu")))


def _kpis(ctx, me, pace, same_year, county, region, has_zhishu: bool = True) -> list[Kpi]:
    n = lambda k: _num(me.get(k))  # noqa: E731
    i = lambda k: labels.fmt_int(me.get(k), "人")  # noqa: E731
    notes = {
        P1.id: "乡镇、村按居住地统计" if region.level >= 4 else None,
        P2.id: f"任务 {i('n_task')}，已报到上岗 {i('n_done')}",
        P3.id: f"已落实岗位 {i('n_placed')}，国企 {labels.fmt_pct(n('soe_share'))}",
        P5.id: f"应报到 {i('n_report_due')}",
        P6.id: f"本年新退役 {i('n_discharged')}",
        E1.id: f"上年度自主就业 {i('cohort_size')}，待就业 {i('waiting')}",
        E2.id: f"上年度退役 {i('waiting')} · 本年度退役 {i('new_waiting')}",
        E2C.id: f"年初待就业 {i('waiting_start')}，现 {i('waiting')}；序时进度 {labels.fmt_pct(pace)}",
        E4.id: f"服务对象 {i('served')}；序时进度 {labels.fmt_pct(pace)}",
        E5.id: " · ".join(f"{k[:2]} {labels.fmt_int(me.get('training_' + k))}" for k in TRAINING_KINDS),
        E9.id: None,
        E10.id: (f"本村(社区)兵支书：{'有' if n('villages_with_zhishu') else '无'}" if region.level == 5
                 else f"兵支书 {i('bing_zhishu')}，村(社区) {labels.fmt_int(me.get('villages'), '个')}"),
    }
    kpis = []
    for ind in KPIS:
        value = n(ind.id)
        prev, ly = n(ind.id + "_prev"), n(ind.id + "_ly")
        if ind.kind == "年累计" and not same_year:
            prev = None                                # the previous period lies in another year
        if ind.id in (E9.id, E10.id):
            prev = ly = None
        note = notes.get(ind.id)
        if ind.county_only and county is not None:
            note = f"{labels.COUNTY_ONLY}（{county.name}）" + (f"，{note}" if note else "")
        if ind.id == E10.id and not has_zhishu:        # no flag anywhere in the data: unknown, not 0 %
            kpi = make_kpi(ind, ctx.thresholds, None, note=None,
                           unknown_reason="数据源中没有任何兵支书标记，无法计算（未知不是0）")
        elif ind.id == E2.id:                          # a count: colored by the 清零 progress
            kpi = make_kpi(ind, ctx.thresholds, value, prev, ly, note)
            kpi.status = evaluate(E2C, n(E2C.id), ctx.thresholds, pace=pace).key
        else:
            kpi = make_kpi(ind, ctx.thresholds, value, prev, ly, note, pace=pace)
            if ind.id == E10.id and region.level == 5 and kpi.status not in ("abnormal", "unknown"):
                kpi.status = "none"                    # a village: yes/no, no target
        kpis.append(kpi)
    return kpis


# ------------------------------------------------------------------------------ charts' data
def weekly_levels(deltas: pd.DataFrame, period: Period) -> pd.DataFrame:
    """待就业 at the end of each ISO week of the year (last week cut at the period end), per cohort."""
    end = period.last_day
    first_sunday = date(end.year, 1, 1) + timedelta(days=(6 - date(end.year, 1, 1).weekday()))
    sundays = [date(end.year - 1, 12, 31)]             # 年初: the baseline L_0
    d = first_sunday
    while d < end:
        sundays.append(d)
        d += timedelta(days=7)
    sundays.append(end)
    rows = []
    keys = [day_key(s) for s in sundays]
    for cohort in (end.year - 1, end.year):
        part = deltas[deltas["cohort_year"] == cohort] if len(deltas) else deltas
        if len(part):                                  # running total, read at each Sunday (one pass)
            part = part.sort_values("day", kind="stable")
            days = part["day"].to_numpy(dtype=float)
            running = np.concatenate([[0.0], np.cumsum(part["delta"].to_numpy(dtype=float))])
            levels = running[np.searchsorted(days, keys, side="right")]
        else:
            levels = [0.0] * len(keys)
        for sunday, level in zip(sundays, levels):
            level = float(level)
            y, w, _ = sunday.isocalendar()
            label = f"第{w}周" if y == end.year else "第0周"     # 1-3 Jan may close last ISO year's week
            if sunday.year < end.year:
                label = "年初"
            rows.append({"week": y * 100 + w, "label": label, "sunday": sunday, "cohort": cohort,
                         "level": level})
    return pd.DataFrame(rows, columns=["week", "label", "sunday", "cohort", "level"])


def _cohort_rates(ctx, frame: pd.DataFrame, year: int) -> pd.DataFrame:
    rows = []
    counts = frame.set_index("cohort_year") if len(frame) else pd.DataFrame()
    for cohort in range(year - q.TREND_YEARS, year):
        row = counts.loc[cohort] if cohort in counts.index else None
        rate = None if row is None else ratio(row["employed"], row["cohort_size"] - row["studying"])
        rows.append({"cohort_year": cohort, "label": f"{cohort}年退役", "rate": rate,
                     "text": labels.fmt_pct(rate) if rate is not None else labels.NO_DATA,
                     "status": evaluate(E1, rate, ctx.thresholds).key,
                     "cohort_size": 0 if row is None else int(row["cohort_size"]),
                     "waiting": 0 if row is None else int(row["waiting"])})
    return pd.DataFrame(rows)


def _village(db, scope, region: Region, period: Period, me) -> dict:
    """The village's own numbers: statuses of its 自主就业 veterans, the masked 待就业 list, 兵支书."""
    people = q.employment_village_list(db, scope, region.code, period)
    year = period.last_day.year
    table = []
    for cohort in (year - 1, year):
        part = people[people["cohort_year"] == cohort] if len(people) else people
        counts = part["status"].value_counts().to_dict() if len(part) else {}
        table.append({"cohort": f"{cohort}年退役", "total": int(len(part)),
                      **{s: int(counts.get(s, 0)) for s in ("待就业", "城镇就业", "返乡务农", "创业", "复学", "考试入学")}})
    waiting = people[people["status"] == "待就业"] if len(people) else people
    listing = [{"id": codes.mask_id(r.veteran_id), "cohort": f"{int(r.cohort_year)}年",
                "since": labels.fmt_date(from_day_key(int(r.since_day))), "hardship": "是" if r.hardship else "否",
                "services": f"推荐 {int(r.n_ref)}/3 · 指导 {int(r.n_guide)}/1 · 培训信息 {int(r.n_info)}/1"}
               for r in waiting.itertuples()]
    return {"has_records": bool(len(people)), "table": table, "waiting": listing,
            "zhishu": bool(_num(me.get("villages_with_zhishu"))), "laoban": int(_num(me.get("bing_laoban")) or 0)}
