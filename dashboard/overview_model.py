"""Everything the overview page shows, computed from the queries as plain data (no Dash here)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard import labels
from dashboard.components.drill import children_frame
from dashboard.context import AppContext
from dashboard.indicators import BY_ID, MAP_METRICS, OVERVIEW, Indicator, overview_values, Kpi
from queries import overview as q
from queries.periods import Period, period_params
from queries.regions import Region

DEFAULT_METRIC = "coverage"



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


def status_for(ctx: AppContext, ind_id: str, value, pace=None) -> str:
    threshold = ctx.thresholds.get(ind_id)
    return threshold.status(_num(value), pace) if threshold else "none"


def _text(ind: Indicator, value) -> str:
    from dashboard.components.kpi import format_value
    return format_value(ind, value)


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
    county_code = county.code if county else region.code

    network = q.overview_network(ctx.db, scope, region.code, period)
    employment = q.overview_employment(ctx.db, scope, region.code, period)
    petitions = q.overview_petitions(ctx.db, scope, region.code, period)
    funds_region = county_code                      # county-only indicators: the county's own figures
    placement = q.overview_placement(ctx.db, scope, funds_region, period)
    funds = q.overview_funds(ctx.db, scope, funds_region, period)
    if county is not None:                          # map the county's row onto the region for display
        placement = placement[placement.region_code == county.code].assign(region_code=region.code)
        funds = funds[funds.region_code == county.code].assign(region_code=region.code)
    values = overview_values(network, placement, employment, funds, petitions, period.last_day.month)

    params = period_params(period)
    emp_prev = q.overview_employment(ctx.db, scope, region.code, period, as_of_day=params["p_d1"], with_children=False)
    # 较去年同期: last year's cohort as at the same day last year (the placement page does the same)
    emp_ly = q.overview_employment(ctx.db, scope, region.code, period, as_of_day=params["y_d1"], with_children=False,
                                   cohort=period.last_day.year - 2)

    me = values.loc[region.code]
    pace = float(me["pace"])
    kpis = []
    for ind in OVERVIEW:
        value, prev, ly = _num(me.get(ind.id)), _num(me.get(f"{ind.id}_prev")), _num(me.get(f"{ind.id}_ly"))
        note = None
        if ind.id == "employment_rate":
            prev, ly = _employment_rate(emp_prev), _employment_rate(emp_ly)
            note = f"待就业 {labels.fmt_int(me.get('waiting'))} / 上年度自主就业 {labels.fmt_int(me.get('cohort_size'), '人')}"
        if ind.id == "execution":
            note = f"序时进度 {labels.fmt_pct(pace)}"
        if ind.id == "petitions":
            per_10k = _num(me.get("petitions_per_10k"))
            note = "每万名退役军人 " + ("—" if per_10k is None else f"{per_10k:.1f}") + " 件"
            # X8's lowest meaningful level is the county (DOMAIN.md §2.6): below it a few cases swing the rate
            status = status_for(ctx, "petitions_per_10k", monthly(per_10k, period)) if region.level <= 3 else "none"
        else:
            status = status_for(ctx, ind.id, value, pace)
        if ind.county_only and county is not None:
            note = f"{labels.COUNTY_ONLY}（{county.name}）" + (f"，{note}" if note else "")
        kpis.append(Kpi(ind, value, status, prev, ly, note))

    children = _children_frame(ctx, tree, region, values, metric, pace, period)
    trend_months = _last_months(period, 36)
    trend = q.overview_trend(ctx.db, scope, region.code, period)
    station = None
    if region.level == 5 or region.level >= 2 and children.empty:
        card = q.station_card(ctx.db, scope, region.code, period)
        station = card.iloc[0].to_dict() if len(card) else {}
    return OverviewModel(region, tree.lineage(region.code), period, metric, kpis, children, trend,
                         trend_months, station, county)


def monthly(value, period: Period):
    """A per-period count scaled to 30 days, so thresholds mean the same for a week and a year."""
    return None if value is None else value * 30 / period.days_counted


def _employment_rate(frame: pd.DataFrame):
    if frame.empty:
        return None
    row = frame.iloc[0]
    return labels.ratio(row["employed"], (row["cohort_size"] or 0) - (row["studying"] or 0))


def _children_frame(ctx, tree, region: Region, values: pd.DataFrame, metric: Indicator, pace: float,
                    period: Period) -> pd.DataFrame:
    column = values[metric.id] if metric.id in values else pd.Series(dtype=float)
    def status(v):
        if metric.id == "petitions_per_10k":       # thresholds on the monthly rate, county level and above only
            return status_for(ctx, metric.id, monthly(v, period)) if region.level + 1 <= 3 else "none"
        return status_for(ctx, metric.id, v, pace)
    return children_frame(tree.children(region.code), column.to_dict(), lambda v: _text(metric, v),
                          status, county_only=metric.county_only)


def _last_months(period: Period, n: int) -> list[int]:
    y, m = period.last_day.year, period.last_day.month
    out = []
    for _ in range(n):
        out.append(y * 100 + m)
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(out))
