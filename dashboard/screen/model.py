"""Plain data for the wall screen's panels (no Dash here), from the catalogue and the desk pages' own models.

Periods are each view's default: the map and the four areas the current month to date (as on the desk
pages), the ranking the last complete month, the red flags the last complete week. QueryError propagates
(the page keeps its last good data on screen); any other failure of one panel becomes that panel's message.
"""
from __future__ import annotations

import logging

from dashboard.rankings.build import build_rankings
from dashboard.rankings.model import COMPOSITE_ID
from dashboard.weekly.flags import weekly_flags
import time
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard import labels
from dashboard.cache import cache_get, cache_set
from dashboard.catalogue import BY_ID, Indicator, Kpi, evaluate, is_missing
from dashboard import quality_marks
from dashboard.components.drill import child_level_name, children_frame, geojson_url
from dashboard.components.kpi import format_value
from dashboard.funds.model import build_funds_model
from dashboard.network.model import build_network
from dashboard.petitions.model import build_petitions_model
from dashboard.placement.model import build_placement
from dashboard.region_values import region_values
from dashboard.screen.config import AREA_PANELS, PanelConf, ScreenConfig
from queries.db import QueryError
from queries.periods import Period, year_pace
from queries.regions import Region

log = logging.getLogger("vetdash.screen")
AREA_KEYS = {v: k for k, v in AREA_PANELS.items()}             # 服务网络 -> network (region_values areas)
BUILDERS = {"network": build_network, "placement": build_placement, "funds": build_funds_model,
            "petitions": build_petitions_model}
FLAGS_PER_UNIT = 5                                              # lines a unit's card holds at 24 px


# ----------------------------------------------------------------------------- versions
def data_key(ctx) -> str:
    """The data's as-of date and version (meta rows); one cheap query, run on every refresh. The context
    follows a new version (as-of date, region tree, cache keys), so a load + refresh shows without a restart."""
    meta = ctx.follow_data()
    return "|".join(meta.get(k, "") for k in ("as_of", "data_version", "built_at"))


# ----------------------------------------------------------------------------- panel data
@dataclass
class MapPanel:
    metric: Indicator
    period: Period
    region: Region
    value_text: str
    status: str
    children: pd.DataFrame          # drill rows: code, short, name, value, text, status, location
    geojson: str | None             # asset path of the children's shapes (None: bars only)
    child_level: str


@dataclass
class AreaPanel:
    area: str
    period: Period
    region: Region
    kpis: list[Kpi]                 # the big tiles (config order)
    more: list[Kpi]                 # the rest of the desk page's cards
    metric: Indicator
    children: pd.DataFrame
    child_level: str


@dataclass
class RankRow:
    rank: int | None                # None: not ranked (no data or 数据异常)
    code: str
    name: str
    value: float | None
    text: str
    status: str
    pinned: bool = False


@dataclass
class RankingPanel:
    indicator: Indicator
    period: Period
    rows: list[RankRow]             # top N, then the pinned unit's row if it is below
    total: int
    unit_label: str
    pinned_outside: bool = False
    parent_name: str = ""


@dataclass
class FlagUnit:
    code: str
    name: str
    flags: list[tuple[str, str]]    # (indicator name, value text)
    pinned: bool = False


@dataclass
class FlagsPanel:
    period: Period
    units: list[FlagUnit]           # units with at least one red flag, most flags first
    checked: int                    # units looked at
    unit_label: str
    per_unit: int = FLAGS_PER_UNIT


@dataclass
class ScreenModel:
    region: Region
    title: str
    as_of: date
    data_key: str
    panels: dict = field(default_factory=dict)     # panel id -> *Panel
    errors: dict = field(default_factory=dict)     # panel id -> Chinese message
    built_ms: int = field(default_factory=lambda: now_ms())   # tells a refresh whether anything is new


def current_month(as_of: date) -> Period:
    return Period.parse(None, as_of)


def last_complete(kind: str, as_of: date) -> Period:
    """The last complete week or month at the as-of date (the current one if it ends that day)."""
    current = Period.containing(kind, as_of, as_of)
    return current if current.end == as_of else current.shifted(-1)


def _status_kw(ind: Indicator, period: Period, level: int) -> dict:
    return {"pace": year_pace(period.last_day), "days": period.days_counted, "level": level}


def map_panel(ctx, region: Region, conf: PanelConf) -> MapPanel:
    """The key indicator for the region's children (the overview's map), current month to date."""
    metric, period = BY_ID[conf.indicator], current_month(ctx.as_of)
    area = AREA_KEYS[metric.area]
    values = region_values(ctx, region, period, areas=(area,))
    column = values[metric.id] if metric.id in values else pd.Series(dtype=float)
    kids = ctx.tree.children(region.code)
    child_kw = _status_kw(metric, period, region.level + 1)
    frame = children_frame(kids, column.to_dict(), lambda v: format_value(metric, v),
                           lambda v: evaluate(metric, v, ctx.thresholds, **child_kw).key,
                           county_only=metric.county_only)
    marks = quality_marks.QualityMarks(ctx, region)           # findings turn figures grey here too
    frame = marks.mark_children(frame, metric.id)
    own = column.get(region.code)
    if metric.county_only and region.level >= 4:
        text, status = labels.COUNTY_ONLY, "none"
    else:
        text = format_value(metric, own)
        status = evaluate(metric, None if is_missing(own) else float(own), ctx.thresholds,
                          **_status_kw(metric, period, region.level)).key
    if status not in ("abnormal", "unknown") and metric.id in marks.own:
        text, status = f"数据异常（{text}）", "abnormal"
    url = geojson_url(region.level, frame["location"]) if kids else None
    return MapPanel(metric, period, region, text, status, frame, url, child_level_name(region.level))


def area_panel(ctx, region: Region, conf: PanelConf) -> AreaPanel:
    """The desk page's own model (same numbers as the desk), its default period: the current month."""
    model = BUILDERS[conf.id](ctx, region.short, None, conf.metric)
    cards = list(getattr(model, "kpis", None) or (model.volume_kpis + model.handling_kpis))
    by_id = {k.indicator.id: k for k in cards}
    head = [by_id[i] for i in conf.kpis if i in by_id]
    more = [k for k in cards if k.indicator.id not in conf.kpis]
    return AreaPanel(AREA_PANELS[conf.id], model.period, region, head, more, model.metric, model.children,
                     child_level_name(region.level))


def ranking_units(ctx, region: Region) -> tuple[Region, Region | None]:
    """(parent whose children are ranked, the pinned unit): the city's counties; a pinned county or anything
    below it ranks among its county's siblings with the county pinned."""
    county = ctx.tree.county_of(region.code) if region.level >= 3 else None
    if county is None:
        return region, None
    parent = ctx.tree.get(county.parent) if county.parent else None
    if parent is None:                  # the viewer's scope is the county itself: its townships
        return county, None
    return parent, county


def ranking_panel(ctx, region: Region, conf: PanelConf) -> RankingPanel:
    """The desk 排名 page's ranking of the counties (composite score by default) for the last complete month:
    the same rows, ties and statuses as /rankings, top N plus the pinned unit."""
    period = last_complete("month", ctx.as_of)
    parent, pinned = ranking_units(ctx, region)
    metric = None if conf.indicator in (None, "", COMPOSITE_ID) else conf.indicator
    view = build_rankings(ctx, parent.short, period.key, metric, None)
    rows = [RankRow(r.rank, r.unit.code, r.unit.name, r.value, r.text, r.status)
            for r in view.rows if not r.unit.functional]
    shown, outside = pick_rows(rows, conf.top_n, pinned.code if pinned else None)
    return RankingPanel(view.metric, period, shown, view.total, child_level_name(parent.level), outside, parent.name)


def pick_rows(rows: list[RankRow], top_n: int, pinned: str | None) -> tuple[list[RankRow], bool]:
    """The first top_n rows, plus the pinned unit's row when it is below them (True if it was added)."""
    for row in rows:
        row.pinned = row.code == pinned
    shown = rows[:top_n]
    if pinned is None or any(r.pinned for r in shown):
        return shown, False
    extra = [r for r in rows if r.pinned]
    return shown + extra, bool(extra)


def flags_panel(ctx, region: Region, conf: PanelConf) -> FlagsPanel:
    """The 周例会 red flags of the last complete week (dashboard/weekly: catalogue indicators and the
    config/weekly.toml rules), grouped per unit, most flags first; persistence shown as on /weekly."""
    week = last_complete("week", ctx.as_of)
    units = ctx.tree.children(region.code) or [region]
    flags = [f for f in weekly_flags(ctx, region, week, record=False) if not f.resolved]
    by_unit: dict[str, FlagUnit] = {}
    for f in flags:
        # a rule may flag a place further down (信访量突增 names a township): it goes on the card of the
        # child unit that holds it, with the place named, so the cards are the children the summary counts
        child = next((u for u in units if f.region_code.startswith(u.short)), None)
        code, name = (child.code, child.name) if child is not None else (f.region_code, f.region_name)
        unit = by_unit.setdefault(code, FlagUnit(code, name, []))
        where = f"·{f.region_name}" if code != f.region_code else ""
        tag = "" if f.weeks <= 1 else f"（持续{f.weeks}周）"
        unit.flags.append((f.name + where + tag, f.value_text))
    out = sorted(by_unit.values(), key=lambda u: (-len(u.flags), u.code))
    label = child_level_name(region.level) if units != [region] else region.name
    return FlagsPanel(week, out, len(units), label)


PANEL_BUILDERS = {"map": map_panel, "ranking": ranking_panel, "flags": flags_panel,
                  **{k: area_panel for k in AREA_PANELS}}


def build_screen(ctx, region_code: str | None, config: ScreenConfig, key: str = "") -> ScreenModel:
    """All panels for one region. Raises QueryError (database) and RegionCodeError/OutOfScope (bad URL)."""
    region = ctx.tree.resolve(region_code)
    model = ScreenModel(region, f"{ctx.tree.root.name}{labels.BUREAU} · {labels.APP_TITLE}", ctx.as_of, key)
    for conf in config.panels:
        try:
            model.panels[conf.id] = PANEL_BUILDERS[conf.id](ctx, region, conf)
        except QueryError:
            raise
        except Exception:      # noqa: BLE001 — one broken panel must not blank the wall
            log.exception("screen panel %s failed for %s", conf.id, region.code)
            model.errors[conf.id] = "本屏数据生成出错，详情已记入服务器日志"
    return model


def cached_screen(ctx, region_code: str | None, config: ScreenConfig) -> ScreenModel:
    """build_screen memoised per data version (a new load shows at the next refresh) and cache timeout."""
    key = data_key(ctx)
    ids = ",".join(f"{p.id}:{p.indicator}:{p.metric}:{p.top_n}:{'/'.join(p.kpis)}" for p in config.panels)
    cache_key = f"screen:{ctx.db!r}:{ctx.scope}:{region_code}:{key}:{ids}"
    try:
        hit = cache_get(cache_key)
    except (RuntimeError, AttributeError):       # no Flask app (scripts, unit tests)
        return build_screen(ctx, region_code, config, key)
    if hit is not None:
        return hit
    model = build_screen(ctx, region_code, config, key)
    cache_set(cache_key, model)
    return model


def now_ms() -> int:
    return int(time.time() * 1000)
