"""Everything the 周例会 page shows for a region and an ISO week, as plain data (no Dash here)."""
from __future__ import annotations

from dataclasses import dataclass, field

from dashboard import labels
from dashboard.catalogue import Kpi, is_missing, make_kpi, stand_in_kpi
from dashboard.context import AppContext
from dashboard.funds_model import funds_values, ontime_kpi
from dashboard.overview_model import OVERVIEW
from dashboard.petitions_model import petitions_values
from dashboard.weekly.config import load_weekly_config
from dashboard.weekly.flags import Flag, last_complete_week, week_flags
from dashboard.weekly.narrative import narrative
from queries.periods import Period, year_pace
from queries.regions import Region

PATH = "/weekly"
KPIS = OVERVIEW          # the overview's 8 KPI indicators, for the week


@dataclass
class WeeklyModel:
    region: Region
    lineage: list
    week: Period
    weeks: list[Period]              # the selectable weeks, newest first
    kpis: list[Kpi]
    flags: list[Flag]                # red this week
    resolved: list[Flag]             # red last week, not this week
    narrative: list[str]
    snapshot_note: str
    first_snapshot: str | None
    extras: dict = field(default_factory=dict)


def parse_week(key: str | None, as_of) -> Period:
    """The URL's week (default: the last complete ISO week). A month, quarter or year (carried over from
    another page) becomes its last complete week; unparseable keys raise PeriodError in Chinese."""
    if not key:
        return last_complete_week(as_of)
    period = Period.parse(key, as_of)
    if period.kind != "week":
        week = Period.containing("week", period.last_day, as_of)
        return week.shifted(-1) if week.end > period.last_day or week.is_partial else week
    return period


def week_options(as_of, n: int | None = None) -> list[Period]:
    """The last n complete weeks, newest first (the current partial week is not a meeting week)."""
    n = n or int(load_weekly_config().get("general", {}).get("week_options", 52))
    last = last_complete_week(as_of)
    return [last.shifted(-i) for i in range(n)]


def _num(v):
    return None if is_missing(v) else float(v)


def week_kpis(ctx: AppContext, region: Region, week: Period, values) -> list[Kpi]:
    """The KPI cards of the week, each by its kind (期间 over the week, 时点 at its end, 年累计 through its
    end) against last week (_prev) and the same week last year (_ly) — as the overview computes them."""
    th, me = ctx.thresholds, values.loc[region.code]
    pace = year_pace(week.last_day)
    county = ctx.tree.county_of(region.code) if region.level >= 4 else None
    county_funds = funds_values(ctx, county, week, with_children=False).loc[county.code] if county else me
    trio = lambda row, i: (_num(row.get(i)), _num(row.get(i + "_prev")), _num(row.get(i + "_ly")))
    out = []
    for ind in KPIS:
        if ind.id == "execution":
            kpi = make_kpi(ind, th, *trio(county_funds, ind.id), f"序时进度 {labels.fmt_pct(pace)}", pace=pace)
        elif ind.id == "ontime_rate":
            kpi = ontime_kpi(ctx, region, me, week)
        elif ind.id == "closed_ontime":
            kpi = stand_in_kpi(ctx, ind, region, week, *trio(me, ind.id), None,
                               lambda p, i=ind.id: petitions_values(ctx, region, p).loc[region.code, i])
        elif ind.id == "petitions_received":
            per_10k = _num(me.get("petitions_per_10k"))
            kpi = make_kpi(ind, th, *trio(me, ind.id),
                           "每万名退役军人 " + ("—" if per_10k is None else f"{per_10k:.1f}") + " 件",
                           status_value=per_10k, days=week.days_counted, level=region.level)
        else:
            kpi = make_kpi(ind, th, *trio(me, ind.id), pace=pace)
        if ind.county_only and county is not None:
            kpi.note = f"{labels.COUNTY_ONLY}（{county.name}）" + (f"，{kpi.note}" if kpi.note else "")
        out.append(kpi)
    return out


def build_weekly(ctx: AppContext, region_code: str | None, week_key: str | None, record: bool = True) -> WeeklyModel:
    """Raises RegionCodeError / OutOfScope / PeriodError (Chinese messages) for bad URL state."""
    region = ctx.tree.resolve(region_code)
    week = parse_week(week_key, ctx.as_of)
    result = week_flags(ctx, region, week, record=record)
    values = result.evaluator.values(week)
    kpis = week_kpis(ctx, region, week, values)
    text = narrative(region.name, week.label, kpis, result.flags, result.resolved)
    weeks = week_options(ctx.as_of)
    return WeeklyModel(region, ctx.tree.lineage(region.code), week, weeks, kpis, result.flags, result.resolved,
                       text, result.snapshot_note, result.first_snapshot)


