"""Everything the 周例会 page shows for a region and an ISO week, as plain data (no Dash here)."""
from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.catalogue import Kpi
from dashboard.context import AppContext
from dashboard.overview_model import OVERVIEW, overview_kpis
from dashboard.weekly.config import load_weekly_config
from dashboard.weekly.flags import Flag, last_complete_week, week_flags
from dashboard.weekly.narrative import narrative
from queries.periods import Period
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


def week_kpis(ctx: AppContext, region: Region, week: Period, values) -> list[Kpi]:
    """The KPI cards of the week, each by its kind (期间 over the week, 时点 at its end, 年累计 through its
    end) against last week (_prev) and the same week last year (_ly) — the overview's own cards."""
    return overview_kpis(ctx, region, week, values)


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


def flag_order(model: WeeklyModel) -> list:
    """New first (what the meeting has not seen), then the longest-running, then first-snapshot, then resolved."""
    new = [f for f in model.flags if f.weeks <= 1 and not f.from_first]
    old = sorted([f for f in model.flags if f.weeks > 1 and not f.from_first], key=lambda f: -f.weeks)
    first = [f for f in model.flags if f.from_first]
    return new + old + first + model.resolved
