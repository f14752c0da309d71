"""Red flags of a week for the children of a region: catalogue indicators judged 预警 (red) plus the rules of
config/weekly.toml, each with how many consecutive weeks it has been red and whether last week's flags were
resolved.

Persistence comes from history where the data allows it (the same rule evaluated for the weeks before:
petitions, payments, activity, placements, every indicator with a past value) and from the weekly
snapshots in the state database where it does not (indicators whose value is the current state only, such
as “五有”): those counts start from the first snapshot.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from dashboard import labels
from dashboard.cache import cached_model
from dashboard.catalogue import BY_ID, INDICATORS, Indicator, evaluate, is_missing
from dashboard.components.kpi import format_value
from dashboard.context import AppContext
from dashboard.region_values import AREA_KEYS, AREAS, PETITIONS_OVERDUE, combine_areas, previous_from, region_values
from dashboard.urls import href
from dashboard.weekly import snapshots
from dashboard.weekly.config import RULE_IDS, load_weekly_config
from dashboard.weekly.flag import Flag
from dashboard.weekly.rules import (RULE_AREAS, RULES, _projection_flags, enabled_rules, is_spike,  # noqa: F401
                                    projection)             # (re-exported: the rules used to live here)
from queries.periods import Period, year_pace
from queries.regions import Region

AREA_PATHS = {"服务网络": "/network", "安置就业": "/placement", "资金发放": "/funds", "信访热点": "/petitions"}
# thresholds judged on a share that is not an indicator of its own: the words for it
SHARE_NAMES = {"petitions_skip_share": "越级访占信访件比例", "petitions_group_share": "集体访占信访件比例",
               "petitions_overdue_share": "超期件占在办件比例"}
SHARE_OF = {"petitions_skip": "petitions_received", "petitions_group": "petitions_received",
            "petitions_overdue": "petitions_open"}
INDICATORS_GROUP = "indicators"      # one group per area: "indicators:network", … (see WeekEvaluator)


# ------------------------------------------------------------------------------------ indicator flags
def flag_indicators(thresholds) -> list[Indicator]:
    """Catalogue indicators that can be red: a threshold, not excluded, and not a second view of a number
    another indicator is judged on (信访量 is judged on 每万名信访量: flag that one only)."""
    cfg = load_weekly_config()
    ind_cfg = cfg.get("indicators", {})
    if not ind_cfg.get("enabled", True):
        return []
    excluded = set(ind_cfg.get("exclude", []))
    out = []
    for ind in INDICATORS:
        if not ind.tkey or ind.tkey not in thresholds or ind.id in excluded:
            continue
        if ind.tkey != ind.id and ind.tkey in BY_ID:
            continue
        out.append(ind)
    return out


def snapshot_only(ind: Indicator) -> bool:
    """The value is the current state only (no history): persistence from weekly snapshots."""
    return "无历史对比" in ind.formula or "当前状态" in ind.formula


def indicator_rule_text(ind: Indicator, thresholds) -> str:
    """“五有”达标率低于85%（预警线） in words, from the threshold file."""
    th = thresholds[ind.tkey]
    judged = BY_ID[ind.tkey].name if ind.tkey in BY_ID else SHARE_NAMES.get(ind.tkey, ind.name)
    unit = "%" if ind.tkey in SHARE_NAMES or ind.unit == "%" else ind.unit
    line = f"{th.amber:g}{unit}"
    if th.direction == "pace":
        return f"{judged}落后序时进度超过{th.amber:g}个百分点"
    if th.direction == "higher":
        return f"{judged}低于{line}（预警线）"
    suffix = "，按月均折算" if ind.per_month else ""
    return f"{judged}高于{line}（预警线{suffix}）"


def _status_value(ind: Indicator, row) -> float | None:
    if ind.id in SHARE_OF:
        return labels.ratio(row.get(ind.id), row.get(SHARE_OF[ind.id]))
    return None


def _targets(ctx: AppContext, region: Region) -> list[Region]:
    """The regions a week's flags are about: the children; a county's own row too (county-only figures)."""
    kids = ctx.tree.children(region.code)
    return kids + [region] if region.level == 3 else kids


def _indicator_flags(ctx: AppContext, region: Region, week: Period, inds: list[Indicator],
                     values: pd.DataFrame | None = None) -> tuple[dict[str, Flag], dict]:
    """Red indicator flags and every evaluated (indicator, region) value (for 已解除 rows)."""
    if not inds:
        return {}, {}
    if values is None:
        areas = {a for a in _value_areas(inds)}
        values = region_values(ctx, region, week, areas=tuple(areas))
    pace, days = year_pace(week.last_day), week.days_counted
    flags, seen = {}, {}
    for target in _targets(ctx, region):
        if target.code not in values.index:
            continue
        row = values.loc[target.code]
        own = target.code == region.code
        for ind in inds:
            if ind.id not in row.index or (own and not ind.county_only) or (ind.county_only and target.level > 3):
                continue
            value = row.get(ind.id)
            value = None if is_missing(value) or pd.isna(value) else float(value)
            seen[(ind.id, target.code)] = value
            st = evaluate(ind, value, ctx.thresholds, pace=pace, days=days, level=target.level,
                          status_value=_status_value(ind, row))
            if st.key != "red":
                continue
            f = Flag(ind.id, ind.name, ind.area, target.code, target.short, target.name, value,
                     format_value(ind, value), indicator_rule_text(ind, ctx.thresholds),
                     href(AREA_PATHS[ind.area], region=target.short, period=week.key, metric=ind.id))
            if ind.pace:
                f.detail = f"序时进度{labels.fmt_pct(pace)}"
            share = _status_value(ind, row)
            if share is not None and ind.tkey in SHARE_NAMES:     # the share the colour is judged on
                f.detail = f"{SHARE_NAMES[ind.tkey]}{labels.fmt_pct(share)}"
            flags[f.key] = f
    return flags, seen


def _value_area(ind: Indicator) -> str:
    """The values an indicator's flag group reads: its area's, except 当前超期未办结, a stock with a query of its
    own — red in every county of the demo, it kept the walk computing the whole 信访 summary week after week."""
    return PETITIONS_OVERDUE if ind.id == PETITIONS_OVERDUE else AREA_KEYS[ind.area]


def _value_areas(inds) -> list[str]:
    return sorted({_value_area(i) for i in inds})


# ------------------------------------------------------------------------------------ one week, no persistence
class WeekEvaluator:
    """Evaluates rule groups for a region week by week. Each (group, region, week) result is memoised in the
    page cache (keyed by the data's as-of date), so stepping from week to week reuses the persistence walk.

    Indicator flags form one group per area, each reading only its own area's values: the walk back through
    past weeks then computes an area only while one of its flags is still red (a county's 安置就业 values cost
    ~60 ms a week; 信访热点 with no flag this week is never read for the weeks before last)."""

    def __init__(self, ctx: AppContext, region: Region):
        self.ctx, self.region = ctx, region
        self.rules = enabled_rules()
        inds = flag_indicators(ctx.thresholds)
        self.history_inds = [i for i in inds if not snapshot_only(i)]
        self.snapshot_inds = [i for i in inds if snapshot_only(i)]
        self._memo: dict[tuple[str, str], dict[str, Flag]] = {}
        self.seen: dict[str, dict] = {}          # week key -> {(indicator, code): value}
        self._values: dict[tuple[str, str], pd.DataFrame] = {}

    def values(self, week: Period, areas=AREAS) -> pd.DataFrame:
        """The areas' values of the week for the region and its children (each area computed once)."""
        for area in areas:
            if (week.key, area) not in self._values:
                self._values[(week.key, area)] = cached_model("weekly-values", _week_values, self.ctx,
                                                              self.region.code, week.key, area, once=False)
        return combine_areas([self._values[(week.key, area)] for area in areas])

    def group(self, group: str, week: Period) -> dict[str, Flag]:
        """Flags of one group (an "indicators:<area>" group, "snapshot_indicators" or a rule id) in one week."""
        memo_key = (group, week.key)
        if memo_key not in self._memo:
            flags, seen = cached_model("weekly-group", lambda *_: self._compute(group, week), self.ctx, group,
                                       self.region.code, week.key, once=False)
            self.seen.setdefault(week.key, {}).update(seen)
            # copies: persistence is written onto the flags, the cached ones stay as computed
            self._memo[memo_key] = {k: replace(f, extra=dict(f.extra)) for k, f in flags.items()}
        return self._memo[memo_key]

    def _walk_values(self, week: Period, area: str, inds: list[Indicator]) -> pd.DataFrame:
        """The area's flag indicators in this week; the week before a computed week is read from that week's
        _prev columns where they are its own values (previous_from), so the walk computes every other week."""
        later = week.shifted(1)
        computed = self._values.get((later.key, area))
        if (week.key, area) not in self._values and computed is not None:
            cols = [i.id for i in inds] + [SHARE_OF[i.id] for i in inds if i.id in SHARE_OF]
            derived = previous_from(computed, later, cols)
            if derived is not None:
                return derived
        return self.values(week, (area,))

    def history_groups(self) -> list[str]:
        areas = [f"{INDICATORS_GROUP}:{area}" for area in _value_areas(self.history_inds)]
        return areas + [r for r in RULE_IDS if r in self.rules]

    def _compute(self, group: str, week: Period) -> tuple[dict[str, Flag], dict]:
        """(flags, evaluated indicator values) of one group in one week, without persistence."""
        if group.startswith(INDICATORS_GROUP + ":"):
            area = group.split(":", 1)[1]
            inds = [i for i in self.history_inds if _value_area(i) == area]
            return _indicator_flags(self.ctx, self.region, week, inds, self._walk_values(week, area, inds))
        if group == "snapshot_indicators":
            inds = self.snapshot_inds
            return _indicator_flags(self.ctx, self.region, week, inds, self.values(week, _value_areas(inds)))
        if group == "execution_projection":
            return _projection_flags(self.ctx, self.region, week, self.rules[group],
                                     self.values(week, ("funds",))), {}
        return RULES[group](self.ctx, self.region, week, self.rules[group]), {}


def _week_values(ctx: AppContext, region_code: str, week_key: str, area: str) -> pd.DataFrame:
    return region_values(ctx, ctx.tree.resolve(region_code), Period.parse(week_key, ctx.as_of), areas=(area,))


def last_complete_week(as_of) -> Period:
    """The last ISO week that is over at the as-of date (the one the meeting reviews)."""
    week = Period.containing("week", as_of, as_of)
    return week.shifted(-1) if week.is_partial else week


def snapshot_live(week: Period) -> bool:
    """Current-state indicators describe the as-of date: they stand for the last complete week and the
    current partial one only; older weeks take them from that week's snapshot."""
    return week.key in (last_complete_week(week.as_of).key, Period.containing("week", week.as_of, week.as_of).key)


# ------------------------------------------------------------------------------------ with persistence
@dataclass
class WeekFlags:
    flags: list[Flag]                 # red this week, worst persistence first
    resolved: list[Flag]              # red last week, not this week
    first_snapshot: str | None        # week key of the first snapshot for this view (None: none yet)
    snapshot_note: str                # what the page says about snapshot-based counts
    evaluator: WeekEvaluator | None = None


def week_flags(ctx: AppContext, region: Region, week: Period, record: bool = True,
               state_url: str | None = None) -> WeekFlags:
    """This week's flags with persistence, and last week's resolved ones; records the snapshot of the
    last complete week in the state database (record=False: read only)."""
    cfg = load_weekly_config()
    max_weeks = int(cfg.get("general", {}).get("history_weeks", 12))
    ev = WeekEvaluator(ctx, region)
    before = week.shifted(-1)
    flags, resolved = [], []
    for group in ev.history_groups():
        cur, prev = ev.group(group, week), ev.group(group, before)
        for key, f in cur.items():
            n, w = 1, before
            while n < max_weeks and key in ev.group(group, w):
                n, w = n + 1, w.shifted(-1)
            f.weeks, f.capped, f.basis = n, n >= max_weeks and key in ev.group(group, w), "history"
            flags.append(f)
        for key, f in prev.items():
            if key not in cur:
                done = _resolved(f, ev, week)
                if done is not None:
                    resolved.append(done)
    snap = _snapshot_part(ctx, region, week, ev, record, state_url or ctx.settings.state_url, max_weeks)
    flags += snap.flags
    resolved += snap.resolved
    flags.sort(key=lambda f: (-f.weeks, f.area, f.rule, f.region_code))
    resolved.sort(key=lambda f: (f.area, f.rule, f.region_code))
    return WeekFlags(flags, resolved, snap.first_snapshot, snap.snapshot_note, ev)


def weekly_flags(ctx: AppContext, region: Region | str, week: Period | str, record: bool = True) -> list[Flag]:
    """Red flags of the week for the region's children, each with its persistence; resolved ones last.
    region: a Region or a code; week: a Period or a key such as 2026-W48."""
    region = ctx.tree.resolve(region) if isinstance(region, str) else region
    week = Period.parse(week, ctx.as_of) if isinstance(week, str) else week
    result = week_flags(ctx, region, week, record)
    return result.flags + result.resolved


def _resolved(f: Flag, ev: WeekEvaluator, week: Period) -> Flag | None:
    """Last week's flag, marked resolved, with this week's value when it is an indicator (None when the
    indicator has no value this week: not red is not the same as resolved)."""
    out = replace(f, resolved=True, href=f.href.replace(f"period={week.shifted(-1).key}", f"period={week.key}"))
    if f.rule in BY_ID:
        value = ev.seen.get(week.key, {}).get((f.rule, f.region_code))
        if value is None:
            return None
        out.value, out.value_text = value, format_value(BY_ID[f.rule], value)
        out.extra["last_week"] = f.value_text
    else:
        out.value_text = f"上周{f.value_text}"
    return out


@dataclass
class _SnapPart:
    flags: list[Flag]
    resolved: list[Flag]
    first_snapshot: str | None
    snapshot_note: str


def _snapshot_part(ctx, region, week, ev: WeekEvaluator, record: bool, url: str, max_weeks: int) -> _SnapPart:
    """Current-state indicators: evaluated live for the latest weeks (and recorded), else read from the
    snapshot of that week; persistence counted over consecutive snapshots."""
    names = "、".join(i.name for i in ev.snapshot_inds[:3]) + ("等" if len(ev.snapshot_inds) > 3 else "")
    try:
        store = snapshots.SnapshotStore(url)
        live = snapshot_live(week)
        all_now = None
        if live:
            cur = ev.group("snapshot_indicators", week)
            if record and week.key == last_complete_week(week.as_of).key:
                all_now = {**{k: f for g in ev.history_groups() for k, f in ev.group(g, week).items()}, **cur}
                store.record(week.key, region.code, list(all_now.values()))
        else:
            cur = store.flags(week.key, region.code, {i.id for i in ev.snapshot_inds}, _snapshot_flag(ctx, week))
        rules = {i.id for i in ev.snapshot_inds}
        runs = store.runs(region.code)
        first = min(runs) if runs else None
    except snapshots.StateError as exc:
        return _SnapPart([], [], None, f"状态库不可用（{exc}），{names}指标的预警本周未列出")
    flags = []
    for f in (cur or {}).values():
        n, w = 1, week.shifted(-1)
        while n < max_weeks and w.key in runs and store.has(w.key, region.code, f.rule, f.region_code):
            n, w = n + 1, w.shifted(-1)
        f.weeks, f.capped, f.basis = n, n >= max_weeks, "snapshot"
        f.from_first = first is None or week.shifted(-(n - 1)).key <= first
        flags.append(f)
    resolved = []
    prev_key = week.shifted(-1).key
    if (live or week.key in runs) and prev_key in runs:
        for f in store.flags(prev_key, region.code, rules, _snapshot_flag(ctx, week.shifted(-1))).values():
            if f.key not in (cur or {}) and (done := _resolved(f, ev, week)) is not None:
                resolved.append(done)
    if first is None:
        note = f"{names}为当前状态指标，无历史数据，持续周数自首次周快照起计算（尚无快照）。"
    else:
        note = f"{names}为当前状态指标，无历史数据，持续周数自首次周快照（{Period.parse(first, week.as_of).label}）起计算。"
    if not live and week.key not in runs:
        note += f"{week.label}无快照，这些指标的预警未列出。"
    return _SnapPart(flags, resolved, first, note)


def _snapshot_flag(ctx: AppContext, week: Period):
    """Row of the snapshot table -> Flag (indicator flags only)."""
    def make(rule: str, code: str, value, value_text: str) -> Flag | None:
        ind, place = BY_ID.get(rule), ctx.tree.get(code)
        if ind is None or place is None:
            return None
        return Flag(ind.id, ind.name, ind.area, place.code, place.short, place.name, value,
                    value_text or format_value(ind, value), indicator_rule_text(ind, ctx.thresholds),
                    href(AREA_PATHS[ind.area], region=place.short, period=week.key, metric=ind.id),
                    basis="snapshot")
    return make
