"""Everything the 信访热点 page shows, as plain data (no Dash here). 口径: docs/indicators/petitions.md."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard import labels
from dashboard.components.drill import children_frame
from dashboard.context import AppContext
from dashboard import quality_marks
from dashboard.catalogue import BY_ID as CATALOGUE, Indicator, Kpi, evaluate, make_kpi, stand_in_kpi, apply_coverage
from dashboard.components.kpi import format_value
from dashboard.urls import href
from queries import codes, petitions as q
from queries.periods import Period, last_months
from queries.regions import Region

PATH = "/petitions"
DAYS_PER_MONTH = 30                # X8 thresholds are per 30 days (as on the overview); periods scale by days counted
HOT_MIN_VETERANS = {4: 200, 5: 20}   # below this stock a per-万 rate is noise (1 case in 10 people = 1000/万)
HOT_MIN_CASES = {4: 3, 5: 2}
HOT_TOP = 10
SPIKE_RATIO = 2.0                  # this week >= 2 × the average of the previous 4 weeks …
SPIKE_MIN_CASES = 5                # … and at least 5 petitions this week (at 3, a city flags 5-9 a week by chance)

RECEIVED, PER_10K, REPEAT, SKIP, GROUP, ACCEPT, CLOSE, ONTIME, OVERDUE, SATISFY = (CATALOGUE[i] for i in (
    "petitions_received", "petitions_per_10k", "petitions_repeat_rate", "petitions_skip", "petitions_group",
    "petitions_accept_timely", "petitions_close_rate", "closed_ontime", "petitions_overdue",
    "petitions_satisfaction"))
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


def per_month(period: Period, value):
    """A per-period rate scaled to a month-equivalent (for thresholds defined per month)."""
    v = _num(value)
    return None if v is None else v * DAYS_PER_MONTH / period.days_counted


def metric_values(row, period: Period) -> dict:
    """Indicator id -> value for one summary row (the region itself or a child)."""
    g = lambda k: _num(row.get(k))  # noqa: E731
    received = g("received") or 0.0
    return {RECEIVED.id: received,
            PER_10K.id: labels.ratio(received, g("veterans"), 10000.0),
            ACCEPT.id: labels.ratio(g("x2_timely"), g("x2_received")),
            ONTIME.id: labels.ratio(g("due_ontime"), g("due_cnt")),
            REPEAT.id: labels.ratio(g("repeat_cnt"), received),
            SATISFY.id: labels.ratio(g("satisfied_cnt"), g("rated_cnt")),
            SKIP.id: g("skip_cnt") or 0.0, GROUP.id: g("group_cnt") or 0.0}


def petitions_values(ctx: AppContext, region: Region, period: Period, summary: pd.DataFrame | None = None,
                     overdue: bool = True) -> pd.DataFrame:
    """Every per-period 信访 indicator (with _prev/_ly) for the region and its children, by 12-digit code
    (overdue=False: without 当前超期未办结, a stock that needs a query of its own)."""
    if summary is None:
        summary = q.petitions_summary(ctx.db, ctx.scope, region.code, period)
    rows = {}
    for rec in summary.to_dict("records"):
        out = {}
        for prefix, sfx in (("", ""), ("p_", "_prev"), ("y_", "_ly")):
            part = {k[len(prefix):]: v for k, v in rec.items() if k.startswith(prefix)} if prefix else rec
            out.update({k + sfx: v for k, v in metric_values(part, period).items()})
        out["veterans"] = _num(rec.get("veterans"))
        rows[rec["region_code"]] = out
    frame = pd.DataFrame.from_dict(rows, orient="index")
    if not overdue:
        return frame
    return frame.join(overdue_values(ctx, region, period).reindex(frame.index).fillna(0.0))


def overdue_values(ctx: AppContext, region: Region, period: Period) -> pd.DataFrame:
    """当前超期未办结 (时点, with _prev/_ly) and the open count it is judged against, per 12-digit code."""
    od = q.petitions_overdue_by_child(ctx.db, ctx.scope, region.code, period).set_index("region_code")
    return pd.DataFrame({OVERDUE.id: od["overdue"].astype(float), OVERDUE.id + "_prev": od["overdue_prev"].astype(float),
                         OVERDUE.id + "_ly": od["overdue_ly"].astype(float),
                         "petitions_open": od["open_cnt"].astype(float)}, index=od.index)


def metric_status(ctx: AppContext, metric: Indicator, value, period: Period, level: int = 3) -> str:
    """Status of a value for a region of `level` (the catalogue's rule: X8 per month, county and up)."""
    return evaluate(metric, value, ctx.thresholds, days=period.days_counted, level=level).key


fmt_value = format_value


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
    volume, handling = _kpis(ctx, region, period, region.level, me, mix, close, overdue_counts)
    apply_coverage(volume + handling, ctx.coverage, period)

    values = petitions_values(ctx, region, period, summary)[metric.id].to_dict()
    children = children_frame(tree.children(region.code), values, lambda v: fmt_value(metric, v),
                              lambda v: metric_status(ctx, metric, v, period, region.level + 1))
    _, children = quality_marks.apply(ctx, region, volume + handling, children, metric.id)  # findings: grey

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
    months = last_months(period, 36)
    return PetitionsModel(
        region, tree.lineage(region.code), period, metric, volume, handling, children, hot_towns, hot_villages,
        week, spikes, _overdue_rows(ctx, overdue_frame), overdue_total,
        q.petitions_trend(db, scope, region.code, period), months,
        q.petitions_monthly_mix(db, scope, region.code, period), mix,
        extras={"veterans": _num(me.get("veterans"))})


def _span_sum(mix: pd.DataFrame, span: str, column: str) -> float:
    part = mix[mix["span"] == span]
    return float(part[column].sum()) if len(part) else 0.0


def _kpis(ctx, region, period, level, me, mix, close, overdue):
    g = lambda k: _num(me.get(k))  # noqa: E731
    th, days = ctx.thresholds, period.days_counted
    cur, prev, ly = (metric_values({k[len(p):]: v for k, v in me.items() if k.startswith(p)} if p else me, period)
                     for p in ("", "p_", "y_"))
    trio = lambda i: (cur[i.id], prev[i.id], ly[i.id])  # noqa: E731
    received = cur[RECEIVED.id]
    kpis = {}
    kpis[RECEIVED.id] = make_kpi(RECEIVED, th, *trio(RECEIVED), f"{labels.fmt_int(g('persons') or 0, '人次')}",
                                 status_value=cur[PER_10K.id], days=days, level=level)
    veterans = g("veterans")
    kpis[PER_10K.id] = make_kpi(PER_10K, th, *trio(PER_10K),
                                f"退役军人 {labels.fmt_int(veterans, '人')}（期末）" if veterans else None,
                                days=days, level=level, unknown_reason="暂无退役军人数据")
    kpis[REPEAT.id] = make_kpi(REPEAT, th, *trio(REPEAT), f"重复信访 {labels.fmt_int(g('repeat_cnt') or 0, '件')}",
                               unknown_reason="本期无信访件")
    skip, group = cur[SKIP.id], cur[GROUP.id]
    kpis[SKIP.id] = make_kpi(SKIP, th, *trio(SKIP), _share_note(skip, received),
                             status_value=labels.ratio(skip, received))
    persons = _span_sum(mix, "cur", "group_persons")
    kpis[GROUP.id] = make_kpi(GROUP, th, *trio(GROUP), f"{labels.fmt_int(persons, '人次')}，" + _share_note(group, received),
                              status_value=labels.ratio(group, received))
    x2_n = g("x2_received") or 0
    kpis[ACCEPT.id] = stand_in_kpi(ctx, ACCEPT, region, period, *trio(ACCEPT),
                                   f"计入 {labels.fmt_int(x2_n, '件')}" if x2_n else None,
                                   lambda p: _own_value(ctx, region, p, ACCEPT.id))
    c = close.to_dict("index")
    ytd, ytd_ly = c.get("ytd", {}), c.get("ytd_ly", {})
    kpis[CLOSE.id] = make_kpi(CLOSE, th, labels.ratio(ytd.get("closed"), ytd.get("accepted")), None,
                              labels.ratio(ytd_ly.get("closed"), ytd_ly.get("accepted")),
                              f"本年已受理 {labels.fmt_int(_num(ytd.get('accepted')) or 0, '件')}，"
                              f"已办结 {labels.fmt_int(_num(ytd.get('closed')) or 0, '件')}",
                              unknown_reason="本年尚无已受理件")
    kpis[ONTIME.id] = stand_in_kpi(ctx, ONTIME, region, period, *trio(ONTIME),
                                   f"到期 {labels.fmt_int(g('due_cnt') or 0, '件')}，"
                                   f"按期办结 {labels.fmt_int(g('due_ontime') or 0, '件')}",
                                   lambda p: _own_value(ctx, region, p, ONTIME.id))
    o = overdue.to_dict("index")
    od = lambda span, k: _num(o.get(span, {}).get(k)) or 0.0  # noqa: E731
    overdue_share = labels.ratio(od("cur", "overdue"), od("cur", "open_cnt"))
    kpis[OVERDUE.id] = make_kpi(OVERDUE, th, od("cur", "overdue"), od("prev", "overdue"), od("ly", "overdue"),
                                f"在办 {labels.fmt_int(od('cur', 'open_cnt'), '件')}，"
                                f"超期件中已延期 {labels.fmt_int(od('cur', 'overdue_extended'), '件')}",
                                status_value=overdue_share)
    kpis[SATISFY.id] = make_kpi(SATISFY, th, *trio(SATISFY), f"参评 {labels.fmt_int(g('rated_cnt') or 0, '件')}",
                                unknown_reason="本期无参评件")
    return [kpis[i.id] for i in VOLUME_KPIS], [kpis[i.id] for i in HANDLING_KPIS]


def _own_value(ctx, region, period, ind_id):
    """One indicator of the region alone for another period (the stand-in of a card with no denominator)."""
    summary = q.petitions_summary(ctx.db, ctx.scope, region.code, period, children=False)
    return petitions_values(ctx, region, period, summary, overdue=False).loc[region.code, ind_id]


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

