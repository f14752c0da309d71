"""Everything the overview page shows, computed from the queries as plain data (no Dash here)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard import labels
from dashboard.components.drill import children_frame
from dashboard.auth.viewer import county_figures
from dashboard.context import AppContext
from dashboard import quality_marks
from dashboard.catalogue import BY_ID, Indicator, Kpi, apply_coverage, evaluate, make_kpi, outside_data, stand_in_kpi
from dashboard.components.kpi import format_value
from dashboard.funds.model import funds_values, ontime_kpi
from dashboard.petitions.model import petitions_values
from dashboard.region_values import region_values
from queries import overview as q
from queries.periods import Period, last_months, year_pace
from queries.regions import Region

DEFAULT_METRIC = "coverage"
OVERVIEW = [BY_ID[i] for i in ("coverage", "five_have", "placement_rate", "employment_rate", "execution",
                               "ontime_rate", "petitions_received", "closed_ontime")]
MAP_METRICS = ["coverage", "five_have", "placement_rate", "employment_rate", "execution",
               "ontime_rate", "petitions_per_10k", "closed_ontime"]



@dataclass
class OverviewModel:
    region: Region
    lineage: list
    period: Period
    metric: Indicator
    kpis: list[Kpi]
    children: pd.DataFrame            # code, short, name, value, text, status, location
    trend: pd.DataFrame
    trend_months: list[int]
    station: dict | None = None
    county: Region | None = None
    extras: dict = field(default_factory=dict)


def _num(v):
    return None if v is None or pd.isna(v) else float(v)


def overview_kpis(ctx: AppContext, region: Region, period: Period, values: pd.DataFrame) -> list[Kpi]:
    """The 8 KPI cards of 总览 (also the 周例会's) from the catalogue values of the region, each by its kind,
    with the card rules every page follows (stand-in, 按县统计, coverage)."""
    county = ctx.tree.county_of(region.code) if region.level >= 4 else None
    me = values.loc[region.code]
    pace = year_pace(period.last_day)
    with county_figures(county):          # a township viewer still sees his county's 按县统计 figures
        county_funds = funds_values(ctx, county, period, with_children=False).loc[county.code] if county else me
    th = ctx.thresholds
    trio = lambda row, i: (_num(row.get(i)), _num(row.get(i + "_prev")), _num(row.get(i + "_ly")))  # noqa: E731
    kpis = []
    for ind in OVERVIEW:
        if ind.id == "execution":
            kpi = make_kpi(ind, th, *trio(county_funds, ind.id), f"序时进度 {labels.fmt_pct(pace)}", pace=pace)
        elif ind.id == "ontime_rate":
            kpi = ontime_kpi(ctx, region, me, period)
        elif ind.id == "closed_ontime":
            kpi = stand_in_kpi(ctx, ind, region, period, *trio(me, ind.id), None,
                               lambda p, i=ind.id: petitions_values(ctx, region, p).loc[region.code, i])
        elif ind.id == "petitions_received":
            per_10k = _num(me.get("petitions_per_10k"))
            kpi = make_kpi(ind, th, *trio(me, ind.id),
                           "每万名退役军人 " + ("—" if per_10k is None else f"{per_10k:.1f}") + " 件",
                           status_value=per_10k, days=period.days_counted, level=region.level)
        elif ind.id == "employment_rate":
            kpi = make_kpi(ind, th, *trio(me, ind.id),
                           f"待就业 {labels.fmt_int(me.get('waiting'))} / 上年度自主就业 "
                           f"{labels.fmt_int(me.get('cohort_size'), '人')}")
        else:
            kpi = make_kpi(ind, th, *trio(me, ind.id), pace=pace)
        if ind.county_only and county is not None:
            kpi.note = f"{labels.COUNTY_ONLY}（{county.name}）" + (f"，{kpi.note}" if kpi.note else "")
        kpis.append(kpi)
    return quality_marks.apply(ctx, region, apply_coverage(kpis, ctx.coverage, period))[0]


def build_overview(ctx: AppContext, region_code: str | None, period_key: str | None,
                   metric_id: str | None) -> OverviewModel:
    """Raises RegionCodeError / OutOfScope / PeriodError (Chinese messages) for bad URL state."""
    tree, scope = ctx.tree, ctx.scope
    region = tree.resolve(region_code)
    period = Period.parse(period_key, ctx.as_of)
    metric = BY_ID.get(metric_id or DEFAULT_METRIC)
    if metric is None or metric.id not in MAP_METRICS:
        metric = BY_ID[DEFAULT_METRIC]
    county = tree.county_of(region.code) if region.level >= 4 else None
    values = region_values(ctx, region, period)
    pace = year_pace(period.last_day)
    kpis = overview_kpis(ctx, region, period, values)
    children = _children_frame(ctx, tree, region, values, metric, pace, period)
    children = quality_marks.apply(ctx, region, None, children, metric.id)[1]     # findings turn figures grey
    trend_months = last_months(period, 36)
    trend = q.overview_trend(ctx.db, scope, region.code, period)
    station = None
    if region.level == 5 or region.level >= 2 and children.empty:
        card = q.station_card(ctx.db, scope, region.code, period)
        station = card.iloc[0].to_dict() if len(card) else {}
    return OverviewModel(region, tree.lineage(region.code), period, metric, kpis, children, trend,
                         trend_months, station, county, extras={"pace": pace})


def _children_frame(ctx, tree, region: Region, values: pd.DataFrame, metric: Indicator, pace: float,
                    period: Period) -> pd.DataFrame:
    column = values[metric.id] if metric.id in values else pd.Series(dtype=float)
    if outside_data(metric, ctx.coverage, period.start, period.last_day):
        column = pd.Series(dtype=float)                 # before the data begins: no bars, not zeros
    status = lambda v: evaluate(metric, v, ctx.thresholds, pace=pace, days=period.days_counted,  # noqa: E731
                                level=region.level + 1).key
    return children_frame(tree.children(region.code), column.to_dict(), lambda v: format_value(metric, v),
                          status, county_only=metric.county_only)

