"""What the 排名 page shows for a region and period: rankings from region_values (the pages' own numbers)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.cache import cached_model
from dashboard.catalogue import BY_ID, Indicator, is_missing
from dashboard.context import AppContext
from dashboard.quality_marks import QualityMarks
from dashboard.rankings.model import (COMPOSITE_ID, Basis, CompositeConfig, RankRow, Unit, apply_changes,
                                      composite_scores, gap_text, load_composite, rank_composite,
                                      rank_count, rank_values, rankable, shown_number, unit_of, window)
from dashboard.region_values import AREA_KEYS, combine_areas, previous_from, region_values
from queries import codes
from queries.periods import Period, PeriodError, year_pace
from queries.regions import Region

HISTORY = 12                           # periods in the highlighted unit's rank line
WINDOW_LEVEL = 5                       # below township level: top and bottom 10 only


def functional_codes(ctx: AppContext) -> frozenset[str]:
    """12-digit codes the region table marks is_functional (开发区、林场…); Region does not carry the flag."""
    if getattr(ctx.tree, "functional", None) is not None:     # read with the tree at start-up
        return ctx.tree.functional

    def load(c):
        lo, hi = codes.subtree_range(c.scope)
        frame = c.db.frame("region_tree", {"scope_lo": lo, "scope_hi": hi})
        return frozenset(frame.loc[frame["is_functional"].astype(bool), "code"])
    return cached_model("functional-codes", load, ctx)


def units_of(ctx: AppContext, region: Region) -> list[Unit]:
    zones = functional_codes(ctx)
    return [unit_of(r, r.code in zones) for r in ctx.tree.children(region.code)]


def default_period(as_of) -> Period:
    """The last complete month: a month-to-date rank would change every day."""
    month = Period.containing("month", as_of, as_of)
    return month.shifted(-1) if month.is_partial else month


@dataclass
class Standing:
    """One period's rankings of the children on every offered indicator and the composite."""
    period: Period
    basis: Basis
    offered: list[Indicator]
    by_metric: dict[str, list[RankRow]]
    weights: dict[str, float]


@dataclass
class HighlightCard:
    unit: Unit
    row: RankRow
    total: int
    history: list[tuple[str, int | None, int]]       # (period label, rank, ranked count), oldest first
    best: list[tuple[Indicator, RankRow, int]]       # indicator, the unit's row, ranked count
    worst: list[tuple[Indicator, RankRow, int]]
    red: list[tuple[Indicator, RankRow]]
    leader: RankRow | None
    gap_to_leader: str = ""


@dataclass
class RankingsView:
    region: Region
    lineage: list
    period: Period
    metric: Indicator
    config: CompositeConfig
    standing: Standing
    rows: list[RankRow]                 # the selected metric, best first (unranked and 功能区 last)
    shown: list[RankRow]                # rows on the page (village lists: top/bottom 10 + highlight)
    highlight: HighlightCard | None = None
    highlight_code: str | None = None
    notes: list[str] = field(default_factory=list)

    def red_count(self, code: str) -> int:
        """How many of the composite's indicators are 预警 (red) for this unit."""
        return sum(any(r.unit.code == code and r.status == "red" for r in self.standing.by_metric.get(k, []))
                   for k in self.standing.weights)

    @property
    def total(self) -> int:
        return rank_count(self.rows)




def values_of(ctx: AppContext, region: Region, period: Period, areas: tuple[str, ...]) -> pd.DataFrame:
    """region_values, memoised per (region, period, areas) so switching indicator does not query again."""
    return cached_model("rank-values", lambda c, *_: region_values(c, region, period, areas=areas), ctx,
                        region.code, period.key, ",".join(areas))


def areas_for(ids) -> tuple[str, ...]:
    """The region_values areas holding these indicators (all four for the composite)."""
    wanted = {AREA_KEYS[BY_ID[i].area] for i in ids if i in BY_ID}
    return tuple(a for a in AREA_KEYS.values() if a in wanted)


def ranked_ids(level: int, config: CompositeConfig, metric_id: str | None) -> list[str]:
    """The indicators a standing ranks: every rankable one (None), the composite's parts, or one."""
    if metric_id is None:
        return [i.id for i in rankable(level)]
    return list(config.weights) if metric_id == COMPOSITE_ID else [metric_id]


def standing(ctx: AppContext, region: Region, units: list[Unit], period: Period, config: CompositeConfig,
             metric_id: str | None = None, frame: pd.DataFrame | None = None) -> Standing:
    """Rank the units on every offered indicator and the composite (metric_id: on that one only).
    frame: the period's values when the caller has them (else read through values_of)."""
    level = region.level + 1
    ids = ranked_ids(level, config, metric_id)
    if frame is None:
        frame = values_of(ctx, region, period, areas_for(ids) if metric_id else tuple(AREA_KEYS.values()))
    basis = Basis(ctx.thresholds, pace=year_pace(period.last_day), days=period.days_counted, level=level,
                  abnormal=quality_abnormal(ctx, region, units))
    values = {}
    for i in ids:
        column = frame[i].to_dict() if i in frame else {}
        values[i] = {u.code: _num(column.get(u.code)) for u in units}
    offered = [i for i in rankable(level) if i.id in values and any(v is not None for v in values[i.id].values())]
    by_metric = {i.id: rank_values(units, values[i.id], i, basis) for i in offered}
    weights = {}
    if metric_id is None or metric_id == COMPOSITE_ID:
        comp = composite_scores(units, {i.id: values[i.id] for i in offered}, config, basis, level)
        by_metric[COMPOSITE_ID], weights = rank_composite(units, comp, config, basis), comp.weights
    return Standing(period, basis, offered, by_metric, weights)


def before_frame(ctx: AppContext, region: Region, period: Period, frame: pd.DataFrame, ids) -> pd.DataFrame:
    """The values of ids in the period before `period`: area by area from frame's _prev columns where they
    are that period's own values (previous_from), the other areas read (“五有” has no _prev: 服务网络 is read;
    in January every area is)."""
    parts = []
    for area in areas_for(ids):
        own = [i for i in ids if AREA_KEYS[BY_ID[i].area] == area]
        derived = previous_from(frame, period, own)
        parts.append(derived if derived is not None else values_of(ctx, region, period.shifted(-1), (area,)))
    return combine_areas(parts) if parts else frame.iloc[:, :0]


def quality_abnormal(ctx: AppContext, region: Region, units: list[Unit]) -> dict[str, dict[str, str]]:
    """indicator id -> unit code -> reason, for units whose subtree has a data-quality finding."""
    marks = QualityMarks(ctx, region)
    out: dict[str, dict[str, str]] = {}
    if marks.frame.empty:
        return out
    for unit in units:
        for ind, reason in marks.child_reasons(unit.code).items():
            out.setdefault(ind, {})[unit.code] = reason
    return out


def build_rankings(ctx: AppContext, region_code: str | None, period_key: str | None, metric_id: str | None,
                   highlight: str | None) -> RankingsView:
    """Raises RegionCodeError / OutOfScope / PeriodError (Chinese messages) for bad URL state."""
    tree = ctx.tree
    target = tree.resolve(highlight) if highlight else None
    if region_code is None and target is not None and target.parent and target.code != tree.root.code:
        region = tree.resolve(target.parent)          # ?highlight=431022 alone: rank it among its siblings
    else:
        region = tree.resolve(region_code)
    period = Period.parse(period_key, ctx.as_of) if period_key else default_period(ctx.as_of)
    config = load_composite()
    units = units_of(ctx, region)
    frame = values_of(ctx, region, period, tuple(AREA_KEYS.values()))
    now = standing(ctx, region, units, period, config, frame=frame)
    metric = config.indicator if metric_id in (None, "", COMPOSITE_ID) else BY_ID.get(metric_id)
    notes = []
    if metric is None or (metric.id != COMPOSITE_ID and metric.id not in now.by_metric):
        if metric_id:
            name = BY_ID[metric_id].name if metric_id in BY_ID else metric_id
            notes.append(f"指标“{name}”在本级不参与排名，已改为按{config.name}排名")
        metric = config.indicator
    before = standing(ctx, region, units, period.shifted(-1), config, metric.id,
                      frame=before_frame(ctx, region, period, frame, ranked_ids(region.level + 1, config, metric.id)))
    rows = apply_changes(now.by_metric[metric.id], before.by_metric.get(metric.id, []))
    code = target.code if target is not None and any(u.code == target.code for u in units) else None
    if target is not None and code is None and target.code != region.code:
        notes.append(f"{target.name}不在{region.name}的下级排名中")
    shown = [r for r in rows if r.rank is not None]
    if region.level + 1 >= WINDOW_LEVEL and len(shown) > 20:
        shown = window(rows, code)
        notes.append(f"共{len(rows) - sum(r.unit.functional for r in rows)}个村(社区)，"
                     f"{rank_count(rows)}个参与排名；表中列出前10名、后10名"
                     + ("及高亮单位" if code else "") + "。")
    else:
        shown = rows
    view = RankingsView(region, tree.lineage(region.code), period, metric, config, now, rows, shown,
                        highlight_code=code, notes=notes)
    if code is not None:
        view.highlight = highlight_card(view, code)
    return view


def highlight_card(view: RankingsView, code: str) -> HighlightCard:
    """第3/11名 ↑1, best and worst indicators, red indicators, gap to the leader (the rank line: highlight_history)."""
    row = next(r for r in view.rows if r.unit.code == code)
    per = []
    for ind in view.standing.offered:
        rows = view.standing.by_metric.get(ind.id, [])
        mine = next((r for r in rows if r.unit.code == code), None)
        if mine is not None and mine.rank is not None:
            per.append((ind, mine, rank_count(rows)))
    # a place held alone says more than one shared with many (并列第1 when all are at 100%)
    order = sorted(per, key=lambda t: ((t[1].rank - 1) / max(t[2] - 1, 1), t[1].tied, t[1].rank))
    best = [t for t in order if t[1].rank == 1][:3] or order[:1]
    worst = [t for t in sorted(per, key=lambda t: (-(t[1].rank - 1) / max(t[2] - 1, 1), t[1].tied))
             if t[1].rank == t[2] and t[2] > 1][:3] or order[-1:]
    red = [(ind, mine) for ind, mine, _ in per if mine.status == "red"]
    leader = next((r for r in view.rows if r.rank == 1), None)
    gap = ""
    if leader is not None and row.rank is not None and row.rank > 1 and leader.value is not None:
        gap = _gap_to(view.metric, leader, row)
    return HighlightCard(row.unit, row, view.total, [], best, worst, red, leader, gap)


def highlight_history(ctx: AppContext, region_code: str | None, period_key: str | None, metric_id: str | None,
                      highlight: str | None) -> tuple[list, int]:
    """The highlighted unit's rank line (filled after the page shows: 12 periods of every area's numbers)."""
    view = cached_model("rankings", build_rankings, ctx, region_code, period_key, metric_id, highlight)
    if view.highlight is None:
        return [], 0
    units = units_of(ctx, view.region)
    return rank_history(ctx, view.region, units, view, view.highlight_code), view.total


def rank_history(ctx, region, units, view: RankingsView, code: str) -> list[tuple[str, int | None, int]]:
    """The unit's rank on the selected metric over the last HISTORY periods (oldest first)."""
    out = []
    ids = ranked_ids(region.level + 1, view.config, view.metric.id)
    areas = areas_for(ids)
    later = None                  # (period, its values) of the period after p, when it was read in full
    for k in range(HISTORY):      # newest first: a period read in full gives most of the one before it
        p = view.period.shifted(-k)
        try:
            p = Period.parse(p.key, ctx.as_of)
        except PeriodError:
            later = None
            continue
        if k == 0:
            rows = view.rows
            later = (p, values_of(ctx, region, p, tuple(AREA_KEYS.values())))   # build_rankings' frame
        else:
            if later is not None:
                frame, later = before_frame(ctx, region, later[0], later[1], ids), None
            else:
                frame = values_of(ctx, region, p, areas)
                later = (p, frame)
            rows = standing(ctx, region, units, p, view.config, view.metric.id,
                            frame=frame).by_metric.get(view.metric.id, [])
        mine = next((r for r in rows if r.unit.code == code), None)
        out.append((_short_label(p), None if mine is None else mine.rank, rank_count(rows)))
    return out[::-1]


def _gap_to(ind: Indicator, leader: RankRow, row: RankRow) -> str:
    return gap_text(ind, round(abs(shown_number(ind, leader.value) - shown_number(ind, row.value)), 6))


def _short_label(p: Period) -> str:
    s = p.start
    if p.kind == "month":
        return f"{s.year}年{s.month}月"
    return p.label


def _num(v):
    return None if is_missing(v) or pd.isna(v) else float(v)
