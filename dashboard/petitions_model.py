"""Everything the 信访热点 page shows, as plain data (no Dash here). 口径: docs/indicators/petitions.md."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard import labels
from dashboard.components.drill import children_frame
from dashboard.context import AppContext
from dashboard.indicators import Indicator, Kpi
from dashboard.urls import href
from queries import codes, petitions as q
from queries.periods import Period
from queries.regions import Region

PATH = "/petitions"
DAYS_PER_MONTH = 30                # X8 thresholds are per 30 days (as on the overview); periods scale by days counted
HOT_MIN_VETERANS = {4: 200, 5: 20}   # below this stock a per-万 rate is noise (1 case in 10 people = 1000/万)
HOT_MIN_CASES = {4: 3, 5: 2}
HOT_TOP = 10
SPIKE_RATIO = 2.0                  # this week >= 2 × the average of the previous 4 weeks …
SPIKE_MIN_CASES = 5                # … and at least 5 petitions this week (at 3, a city flags 5-9 a week by chance)

_I = Indicator
RECEIVED = _I("petitions_received", "X1", "信访件数", "期间", "件",
              "本期收到的信访件数（来信、来访、网上信访、来电、12345转办），按信访人居住地统计；另注人次。",
              higher_is_better=False)
PER_10K = _I("petitions_per_10k", "X8", "每万名退役军人信访量", "期间", "件/万人",
             "本期信访件数 ÷ 期末退役军人数 × 10000；退役军人数 = 累计建档退役 − 累计去世（截至期末月）。"
             "红黄绿按折算的月均值（÷本期天数×30）判定，仅县级及以上着色。", higher_is_better=False)
REPEAT = _I("petitions_repeat_rate", "X5", "重复访率", "期间", "%",
            "本期信访件中登记为重复信访的件数 ÷ 本期信访件数。", higher_is_better=False)
SKIP = _I("petitions_skip", "X6", "越级访", "期间", "批",
          "本期登记为越级访（越过本级和上一级机关）的批次；颜色按占本期信访件的比例。", higher_is_better=False)
GROUP = _I("petitions_group", "X7", "集体访（≥5人）", "期间", "批",
           "本期人数≥5人的信访批次及其人次；颜色按占本期信访件的比例。", higher_is_better=False)
ACCEPT = _I("petitions_accept_timely", "X2", "及时受理率", "期间", "%",
            "本期收到且受理期限（收到后15日）截至数据日期已到的件中，15日内受理（书面告知或转送交办）的件数 ÷ 该类件数。")
CLOSE = _I("petitions_close_rate", "X3", "办结率", "年累计", "%",
           "本年1月1日至期末收到并已受理的信访件中，截至期末已办结的件数 ÷ 已受理件数；与去年同期比。")
ONTIME = _I("closed_ontime", "X4", "按期办结率", "期间", "%",
            "办理期限日在本期内的件中，在期限内（受理后60日，经批准延期者90日）办结的件数 ÷ 到期应办结件数。")
OVERDUE = _I("petitions_overdue", "X4′", "当前超期未办结", "时点", "件",
             "截至期末已受理、未办结且已过办理期限的件数；颜色按占在办件的比例。", higher_is_better=False)
SATISFY = _I("petitions_satisfaction", "X9", "满意率", "期间", "%",
             "本期办结并参评的件中，评价为满意或基本满意的件数 ÷ 参评件数。")
VOLUME_KPIS = [RECEIVED, PER_10K, REPEAT, SKIP, GROUP]
HANDLING_KPIS = [ACCEPT, CLOSE, ONTIME, OVERDUE, SATISFY]
MAP_METRICS = [PER_10K, ACCEPT, ONTIME, REPEAT, SATISFY]
BY_ID = {i.id: i for i in MAP_METRICS}



@dataclass
class PetitionsModel:
    region: Region
    lineage: list
    period: Period
    metric: Indicator
    volume_kpis: list[Kpi]
    handling_kpis: list[Kpi]
    children: pd.DataFrame             # drill rows: code, short, name, value, text, status, location
    hot_towns: pd.DataFrame            # code, name, value, text, status, received, veterans
    hot_villages: pd.DataFrame
    spike_week: Period
    spikes: list[dict]
    overdue: list[dict]
    overdue_total: int
    trend: pd.DataFrame
    months: list[int]
    monthly_mix: pd.DataFrame
    period_mix: pd.DataFrame
    extras: dict = field(default_factory=dict)


def _num(v):
    return None if v is None or pd.isna(v) else float(v)


def _status(ctx: AppContext, key: str, value) -> str:
    threshold = ctx.thresholds.get(key)
    return threshold.status(_num(value)) if threshold else "none"


def per_month(period: Period, value):
    """A per-period rate scaled to a month-equivalent (for thresholds defined per month)."""
    v = _num(value)
    return None if v is None else v * DAYS_PER_MONTH / period.days_counted


def metric_values(row, period: Period) -> dict:
    """Indicator id -> value for one summary row (the region itself or a child)."""
    g = lambda k: _num(row.get(k))  # noqa: E731
    received = g("received") or 0.0
    return {PER_10K.id: labels.ratio(received, g("veterans"), 10000.0),
            ACCEPT.id: labels.ratio(g("x2_timely"), g("x2_received")),
            ONTIME.id: labels.ratio(g("due_ontime"), g("due_cnt")),
            REPEAT.id: labels.ratio(g("repeat_cnt"), received),
            SATISFY.id: labels.ratio(g("satisfied_cnt"), g("rated_cnt"))}


def metric_status(ctx: AppContext, metric: Indicator, value, period: Period, level: int = 3) -> str:
    """Status of a value for a region of `level`. X8 is colored from county level up only (as on the
    overview: DOMAIN.md §2.6 gives the county as its lowest meaningful level)."""
    if metric.id == PER_10K.id:
        return _status(ctx, "petitions_per_10k", per_month(period, value)) if level <= 3 else "none"
    return _status(ctx, metric.id, value)


def fmt_value(ind: Indicator, value) -> str:
    if value is None:
        return "—"
    if ind.unit == "%":
        return labels.fmt_pct(value)
    if ind.unit == "件/万人":
        return f"{value:,.1f}件/万人"
    return labels.fmt_int(value, ind.unit)


def build_petitions_model(ctx: AppContext, region_code: str | None, period_key: str | None,
                          metric_id: str | None) -> PetitionsModel:
    """Raises RegionCodeError / OutOfScope / PeriodError (Chinese messages) for bad URL state."""
    tree, scope, db = ctx.tree, ctx.scope, ctx.db
    region = tree.resolve(region_code)
    period = Period.parse(period_key, ctx.as_of)
    metric = BY_ID.get(metric_id or PER_10K.id, PER_10K)

    summary = q.petitions_summary(db, scope, region.code, period)
    mix = q.petitions_period_mix(db, scope, region.code, period)
    close = q.petitions_close_rate(db, scope, region.code, period).set_index("span")
    overdue_counts = q.petitions_overdue_count(db, scope, region.code, period).set_index("asat")
    me = summary[summary.region_code == region.code].iloc[0].to_dict()
    volume, handling = _kpis(ctx, period, region.level, me, mix, close, overdue_counts)

    child_rows = summary[summary.region_code != region.code]
    values = {r["region_code"]: metric_values(r, period)[metric.id] for r in child_rows.to_dict("records")}
    children = children_frame(tree.children(region.code), values, lambda v: fmt_value(metric, v),
                              lambda v: metric_status(ctx, metric, v, period, region.level + 1))

    hot_towns = hot_villages = _hot_frame(ctx, period, pd.DataFrame())
    if region.level <= 4:
        hot = q.petitions_hot_places(db, scope, region.code, period, min(HOT_MIN_CASES.values()))
        hot_towns = _hot_frame(ctx, period, hot[hot.level == 4]) if region.level <= 3 else hot_towns
        hot_villages = _hot_frame(ctx, period, hot[hot.level == 5])

    week = q.spike_week(period)
    spikes = _spikes(ctx, q.petitions_spike(db, scope, region.code, week, SPIKE_MIN_CASES), week) \
        if region.level <= 4 else []

    overdue_frame = q.petitions_overdue_list(db, scope, region.code, period)
    overdue_total = int(_num(overdue_counts.loc["cur", "overdue"]) or 0) if "cur" in overdue_counts.index else 0
    months = _last_months(period, 36)
    return PetitionsModel(
        region, tree.lineage(region.code), period, metric, volume, handling, children, hot_towns, hot_villages,
        week, spikes, _overdue_rows(ctx, overdue_frame), overdue_total,
        q.petitions_trend(db, scope, region.code, period), months,
        q.petitions_monthly_mix(db, scope, region.code, period), mix,
        extras={"veterans": _num(me.get("veterans"))})


def _span_sum(mix: pd.DataFrame, span: str, column: str) -> float:
    part = mix[mix["span"] == span]
    return float(part[column].sum()) if len(part) else 0.0


def _kpis(ctx, period, level, me, mix, close, overdue):
    g = lambda k: _num(me.get(k))  # noqa: E731
    cur, prev, ly = (metric_values({k[len(p):]: v for k, v in me.items() if k.startswith(p)} if p else me, period)
                     for p in ("", "p_", "y_"))
    received, p_received, y_received = (g(k) or 0.0 for k in ("received", "p_received", "y_received"))
    kpis = {}
    x8_status = metric_status(ctx, PER_10K, cur[PER_10K.id], period, level)
    kpis[RECEIVED.id] = Kpi(RECEIVED, received, x8_status,
                            p_received, y_received, f"{labels.fmt_int(g('persons') or 0, '人次')}")
    veterans = g("veterans")
    kpis[PER_10K.id] = Kpi(PER_10K, cur[PER_10K.id], x8_status,
                           prev[PER_10K.id], ly[PER_10K.id],
                           f"退役军人 {labels.fmt_int(veterans, '人')}（期末）" if veterans else "暂无退役军人数据")
    kpis[REPEAT.id] = Kpi(REPEAT, cur[REPEAT.id], _status(ctx, REPEAT.id, cur[REPEAT.id]), prev[REPEAT.id],
                          ly[REPEAT.id], f"重复信访 {labels.fmt_int(g('repeat_cnt') or 0, '件')}")
    skip = g("skip_cnt") or 0.0
    kpis[SKIP.id] = Kpi(SKIP, skip, _status(ctx, "petitions_skip_share", labels.ratio(skip, received)),
                        g("p_skip_cnt") or 0.0, g("y_skip_cnt") or 0.0, _share_note(skip, received))
    group = g("group_cnt") or 0.0
    persons = _span_sum(mix, "cur", "group_persons")
    kpis[GROUP.id] = Kpi(GROUP, group, _status(ctx, "petitions_group_share", labels.ratio(group, received)),
                         g("p_group_cnt") or 0.0, g("y_group_cnt") or 0.0,
                         f"{labels.fmt_int(persons, '人次')}，" + _share_note(group, received))
    x2_n = g("x2_received") or 0
    kpis[ACCEPT.id] = Kpi(ACCEPT, cur[ACCEPT.id], _status(ctx, ACCEPT.id, cur[ACCEPT.id]), prev[ACCEPT.id],
                          ly[ACCEPT.id], f"计入 {labels.fmt_int(x2_n, '件')}" if x2_n else "本期收件受理期限均未到")
    c = close.to_dict("index")
    ytd, ytd_ly = c.get("ytd", {}), c.get("ytd_ly", {})
    kpis[CLOSE.id] = Kpi(CLOSE, labels.ratio(ytd.get("closed"), ytd.get("accepted")), "none", None,
                         labels.ratio(ytd_ly.get("closed"), ytd_ly.get("accepted")),
                         f"本年已受理 {labels.fmt_int(_num(ytd.get('accepted')) or 0, '件')}，"
                         f"已办结 {labels.fmt_int(_num(ytd.get('closed')) or 0, '件')}")
    kpis[ONTIME.id] = Kpi(ONTIME, cur[ONTIME.id], _status(ctx, ONTIME.id, cur[ONTIME.id]), prev[ONTIME.id],
                          ly[ONTIME.id], f"到期 {labels.fmt_int(g('due_cnt') or 0, '件')}，"
                                         f"按期办结 {labels.fmt_int(g('due_ontime') or 0, '件')}")
    o = overdue.to_dict("index")
    od = lambda span, k: _num(o.get(span, {}).get(k)) or 0.0  # noqa: E731
    overdue_share = labels.ratio(od("cur", "overdue"), od("cur", "open_cnt"))
    kpis[OVERDUE.id] = Kpi(OVERDUE, od("cur", "overdue"), _status(ctx, "petitions_overdue_share", overdue_share),
                           od("prev", "overdue"), od("ly", "overdue"),
                           f"在办 {labels.fmt_int(od('cur', 'open_cnt'), '件')}，"
                           f"超期件中已延期 {labels.fmt_int(od('cur', 'overdue_extended'), '件')}")
    kpis[SATISFY.id] = Kpi(SATISFY, cur[SATISFY.id], _status(ctx, SATISFY.id, cur[SATISFY.id]), prev[SATISFY.id],
                           ly[SATISFY.id], f"参评 {labels.fmt_int(g('rated_cnt') or 0, '件')}")
    return [kpis[i.id] for i in VOLUME_KPIS], [kpis[i.id] for i in HANDLING_KPIS]


def _share_note(n: float, received: float) -> str:
    share = labels.ratio(n, received)
    return "占信访件 " + (labels.fmt_pct(share) if share is not None else "—")


HOT_COLUMNS = ["code", "short", "name", "value", "text", "status", "received", "veterans"]


def _hot_frame(ctx: AppContext, period: Period, hot: pd.DataFrame) -> pd.DataFrame:
    """Top places by petitions per 万名退役军人, after the minimum-veterans and minimum-cases rules.

    The rules and the ranking are applied to the whole frame at once (a year at the province root has
    ~17,000 candidate places); only the top places are looked up in the tree and formatted."""
    if hot.empty:
        return pd.DataFrame([], columns=HOT_COLUMNS)
    cand = pd.DataFrame({"region_code": hot["region_code"].astype(str).to_numpy(),
                         "level": hot["level"].astype(int).to_numpy(),
                         "received": pd.to_numeric(hot["received"]).fillna(0).astype(float).to_numpy(),
                         "veterans": pd.to_numeric(hot["veterans"]).fillna(0).astype(float).to_numpy()})
    cand = cand[(cand["veterans"] >= cand["level"].map(HOT_MIN_VETERANS))
                & (cand["received"] >= cand["level"].map(HOT_MIN_CASES))]
    cand = cand.assign(value=cand["received"] / cand["veterans"] * 10000)
    # same order as ranking by (value desc, short code asc): short codes of one level sort like the codes
    cand = cand.sort_values(["value", "region_code"], ascending=[False, True], kind="mergesort")
    rows = []
    for code, level, received, veterans, value in cand.itertuples(index=False, name=None):   # lazy: stops at the top
        place = ctx.tree.get(code)
        if place is None:
            continue
        level, received, veterans, value = int(level), float(received), float(veterans), float(value)
        parent = ctx.tree.get(place.parent) if level == 5 and place.parent else None
        rows.append({"code": place.short, "short": place.short,
                     "name": f"{place.name}（{parent.name}）" if parent else place.name,
                     "value": value, "text": f"{value:,.1f}（{received:.0f}件）",
                     "status": metric_status(ctx, PER_10K, value, period, level),   # "none": below county
                     "received": received, "veterans": veterans})
        if len(rows) == HOT_TOP:
            break
    return pd.DataFrame(rows, columns=HOT_COLUMNS)


def is_spike(this_week: float, base_4w: float) -> bool:
    """>= SPIKE_MIN_CASES this week and >= SPIKE_RATIO × the previous 4 weeks' average (any rise from 0)."""
    return this_week >= SPIKE_MIN_CASES and this_week * 4 >= SPIKE_RATIO * base_4w


def _spikes(ctx: AppContext, frame: pd.DataFrame, week: Period) -> list[dict]:
    out = []
    for r in frame.to_dict("records"):
        this_week, base = _num(r["this_week"]) or 0, _num(r["base_4w"]) or 0
        place = ctx.tree.get(r["region_code"])
        if place is None or not is_spike(this_week, base):
            continue
        county = ctx.tree.county_of(place.code)
        avg = base / 4
        out.append({"short": place.short, "name": place.name, "county": county.name if county else "",
                    "this_week": int(this_week), "avg_4w": avg, "ratio": this_week / avg if avg else None,
                    "href": href(PATH, region=place.short, period=week.key)})
    return sorted(out, key=lambda s: (s["avg_4w"] - s["this_week"], s["short"]))     # largest excess first


def _overdue_rows(ctx: AppContext, frame: pd.DataFrame) -> list[dict]:
    rows = []
    for r in frame.to_dict("records"):
        place = ctx.tree.get(r["region_code"])
        parent = ctx.tree.get(place.parent) if place is not None and place.level == 5 and place.parent else None
        where = "—" if place is None else (f"{parent.name} · {place.name}" if parent else place.name)
        rows.append({"id": codes.mask_id(r["petition_id"]), "received_day": int(r["received_day"]), "place": where,
                     "category": r["category"], "channel": r["channel"], "days_overdue": int(r["days_overdue"]),
                     "extended": "是" if r["extended"] else "否"})
    return rows


def _last_months(period: Period, n: int) -> list[int]:
    y, m = period.last_day.year, period.last_day.month
    out = []
    for _ in range(n):
        out.append(y * 100 + m)
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(out))
