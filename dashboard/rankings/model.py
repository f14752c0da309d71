"""排名 as plain functions: rank units on a catalogue indicator or on the composite score (no Dash, no SQL).

Ranks follow the number as displayed (format_value): 93.46% and 93.54% both show 93.5% and rank 并列, the
way a Chinese report does (并列第3, next is 第5). A value that is 数据异常 or unknown is not ranked and
says why; functional zones (功能区) are listed apart. Directions and thresholds come from the catalogue.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from config.thresholds import STATUS_LABELS
from dashboard.catalogue import (BY_ID, INDICATORS, STATUS_ABNORMAL, STATUS_UNKNOWN, Indicator, Status, evaluate,
                                 is_missing)
from dashboard.components.kpi import format_value

RANKINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "rankings.toml"
COMPOSITE_ID = "composite"
BASE, SPAN = 60.0, 40.0               # 功效系数法: worst scores 60, best 100
FUNCTIONAL_KINDS = ("功能区",)
FUNCTIONAL_REASON = "功能区（开发区、林场等）单列，不参与排名"
# Indicators whose 口径 says they mean something only from this level up (catalogue formula text):
# 乡镇站覆盖率 and 一部一站 are about a county's townships, 村站覆盖率 about a township's villages.
MEANINGFUL_FROM = {"network_town_coverage": 3, "network_yibu": 3, "network_village_coverage": 4}


def composite_indicator(name: str = "综合得分") -> Indicator:
    """The composite as an Indicator, so it displays (85.3分) and ranks like the others; no 红黄绿."""
    return Indicator(COMPOSITE_ID, "综合", name, "期间", "分",
                     f"{BASE:g} + {SPAN:g} × (本单位值 − 最差值) ÷ (最好值 − 最差值)，按权重加权平均",
                     sane=(0.0, 100.0), threshold_key="", decimals=1)


@dataclass(frozen=True)
class CompositeConfig:
    name: str
    weights: dict[str, float]          # indicator id -> weight (order as in the file)

    @property
    def indicator(self) -> Indicator:
        return composite_indicator(self.name)


def load_composite(path: Path = RANKINGS_FILE) -> CompositeConfig:
    """config/rankings.toml; a Chinese ValueError for an unknown indicator or a bad weight."""
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    weights = {}
    for key, w in (raw.get("weights") or {}).items():
        ind = BY_ID.get(key)
        if ind is None or not ind.rank:
            raise ValueError(f"{path}: 指标“{key}”不存在或不参与排名（见 dashboard/catalogue.py 中 rank = true 的指标）")
        if not isinstance(w, (int, float)) or w <= 0:
            raise ValueError(f"{path}: 指标“{key}”的权重应为正数，现为 {w!r}")
        weights[key] = float(w)
    if not weights:
        raise ValueError(f"{path}: [weights] 中至少要有一个指标")
    return CompositeConfig(str(raw.get("name") or "综合得分"), weights)


@dataclass(frozen=True)
class Unit:
    code: str                          # 12 digits (region_values index)
    short: str
    name: str
    functional: bool = False


def unit_of(region, functional: bool = False) -> Unit:
    """A Unit from a queries.regions.Region; functional: the region table's is_functional (or kind 功能区)."""
    return Unit(region.code, region.short, region.name, functional or region.kind in FUNCTIONAL_KINDS)


@dataclass(frozen=True)
class Basis:
    """What evaluate() needs besides the value: thresholds, 序时进度, days counted, the units' level."""
    thresholds: dict
    pace: float | None = None
    days: int | None = None
    level: int | None = None
    # indicator id -> unit code -> why its figure is 数据异常 (a data-quality finding in that unit)
    abnormal: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def rankable(level: int) -> list[Indicator]:
    """Catalogue indicators offered for ranking units of this level (2 city … 5 village)."""
    out = []
    for ind in INDICATORS:
        if not ind.rank or (ind.county_only and level > 3) or level > MEANINGFUL_FROM.get(ind.id, 5):
            continue
        out.append(ind)
    return out


@dataclass
class RankRow:
    unit: Unit
    value: float | None
    text: str                          # the value as displayed
    status: str                        # catalogue status key
    rank: int | None = None            # None: not ranked (see reason)
    tied: bool = False
    reason: str = ""
    change: int | None = None          # places gained since the period before (+ up, − down)
    gap: float | None = None           # to the row above, in displayed numbers (≥ 0)
    gap_text: str = ""
    note: str = ""

    @property
    def rank_text(self) -> str:
        if self.rank is None:
            return "功能区" if self.unit.functional else "不排名"
        return f"{'并列' if self.tied else ''}第{self.rank}名"

    @property
    def change_text(self) -> str:
        if self.rank is None:
            return ""
        if self.change is None:
            return "无上期"
        if self.change == 0:
            return "–"
        return f"↑{self.change}" if self.change > 0 else f"↓{-self.change}"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "")


def shown_number(ind: Indicator, value: float) -> float:
    """The number a reader sees (93.46 -> 93.5 for a %); gaps are computed on it."""
    if ind.unit == "%":
        return float(f"{value:.1f}")
    if ind.decimals is not None or "/" in ind.unit:
        return float(f"{value:.{ind.decimals if ind.decimals is not None else 1}f}")
    return float(value)


def gap_text(ind: Indicator, gap: float) -> str:
    """差0.4个百分点 / 差2.3分 / 差1.2件/万人; 0 -> 并列."""
    if gap == 0:
        return "并列"
    if ind.unit == "%":
        return f"差{gap:.1f}个百分点"
    return "差" + format_value(ind, gap)


def rank_values(units: list[Unit], values: Mapping[str, float | None], ind: Indicator, basis: Basis,
                higher_is_better: bool | None = None, unranked_reason: Mapping[str, str] | None = None) -> list[RankRow]:
    """Rows best first: ranked units (并列 on equal displayed values), then the unranked with their reason,
    then functional zones. values: unit code -> value (missing = unknown)."""
    better_high = ind.higher_is_better if higher_is_better is None else higher_is_better
    ranked, unranked, zones = [], [], []
    for unit in units:
        raw = values.get(unit.code)
        value = None if is_missing(raw) else float(raw)
        st = evaluate(ind, value, basis.thresholds, pace=basis.pace, days=basis.days, level=basis.level,
                      unknown_reason=(unranked_reason or {}).get(unit.code))
        flagged = basis.abnormal.get(ind.id, {}).get(unit.code)
        if flagged and st.key not in (STATUS_ABNORMAL, STATUS_UNKNOWN):
            st = Status(STATUS_ABNORMAL, flagged)
        row = RankRow(unit, value, format_value(ind, value) if st.key != STATUS_ABNORMAL else "—", st.key)
        if st.key == STATUS_ABNORMAL:
            row.note = format_value(ind, value)
        if unit.functional:
            row.reason = FUNCTIONAL_REASON
            zones.append(row)
        elif st.key in (STATUS_ABNORMAL, STATUS_UNKNOWN):
            row.reason = ("数据异常：" if st.key == STATUS_ABNORMAL else "不排名：") + (st.reason or "暂无数据")
            unranked.append(row)
        else:
            ranked.append(row)
    ranked.sort(key=lambda r: (-r.value if better_high else r.value, r.unit.code))
    for i, row in enumerate(ranked):
        above = ranked[i - 1] if i else None
        if above is not None and above.text == row.text:
            row.rank, row.tied, above.tied = above.rank, True, True
        else:
            row.rank = i + 1
        if above is not None:
            row.gap = round(abs(shown_number(ind, above.value) - shown_number(ind, row.value)), 6)
            row.gap_text = gap_text(ind, 0 if row.rank == above.rank else row.gap)
    return ranked + unranked + zones


def apply_changes(rows: list[RankRow], before: list[RankRow]) -> list[RankRow]:
    """Set each row's rank change against the period before (same units, same indicator)."""
    prev = {r.unit.code: r.rank for r in before if r.rank is not None}
    for row in rows:
        p = prev.get(row.unit.code)
        row.change = None if row.rank is None or p is None else p - row.rank
    return rows


def rank_count(rows: list[RankRow]) -> int:
    return sum(r.rank is not None for r in rows)


# ------------------------------------------------------------------ composite (功效系数法)
def indicator_scores(units: list[Unit], values: Mapping[str, float | None], ind: Indicator,
                     basis: Basis) -> dict[str, float]:
    """60 + 40 × (x − worst) ÷ (best − worst) among the ranked units; x = value − 序时进度 for pace
    indicators. All equal (or a single unit): 100. Unranked units and functional zones get no score."""
    rows = [r for r in rank_values(units, values, ind, basis) if r.rank is not None]
    if not rows:
        return {}
    shift = (basis.pace or 0.0) if ind.pace else 0.0
    xs = {r.unit.code: r.value - shift for r in rows}
    best = max(xs.values()) if ind.higher_is_better else min(xs.values())
    worst = min(xs.values()) if ind.higher_is_better else max(xs.values())
    if best == worst:
        return {code: BASE + SPAN for code in xs}
    return {code: BASE + SPAN * (x - worst) / (best - worst) for code, x in xs.items()}


@dataclass
class Composite:
    scores: dict[str, float | None]                  # unit code -> weighted score (None: nothing scored)
    parts: dict[str, dict[str, float]]               # indicator id -> unit code -> score
    weights: dict[str, float]                        # indicator id -> weight used (after renormalising)
    missing: dict[str, list[str]] = field(default_factory=dict)   # unit code -> indicator names not scored


def composite_scores(units: list[Unit], frame_values: Mapping[str, Mapping[str, float | None]],
                     config: CompositeConfig, basis: Basis, level: int) -> Composite:
    """Weighted mean of the indicator scores a unit has (weights renormalised over them).
    frame_values: indicator id -> (unit code -> value); indicators absent at this level are left out."""
    offered = {i.id for i in rankable(level)}
    used = {k: w for k, w in config.weights.items() if k in offered and k in frame_values}
    total = sum(used.values())
    weights = {k: w / total for k, w in used.items()} if total else {}
    parts = {k: indicator_scores(units, frame_values[k], BY_ID[k], basis) for k in used}
    scores, missing = {}, {}
    for unit in units:
        if unit.functional:
            scores[unit.code] = None
            continue
        have = {k: parts[k][unit.code] for k in used if unit.code in parts[k]}
        lacking = [BY_ID[k].name for k in used if unit.code not in parts[k]]
        if lacking:
            missing[unit.code] = lacking
        weight = sum(used[k] for k in have)
        scores[unit.code] = sum(used[k] * s for k, s in have.items()) / weight if weight else None
    return Composite(scores, parts, weights, missing)


def rank_composite(units: list[Unit], comp: Composite, config: CompositeConfig, basis: Basis) -> list[RankRow]:
    """The composite ranked like an indicator (并列 on the score as displayed, 85.3分)."""
    reasons = {code: "无可评分的指标" for code, s in comp.scores.items() if s is None}
    rows = rank_values(units, comp.scores, config.indicator, Basis(basis.thresholds, level=basis.level),
                       unranked_reason=reasons)
    for row in rows:
        lacking = comp.missing.get(row.unit.code)
        if lacking and row.rank is not None:
            row.note = "未计入：" + "、".join(lacking) + "（权重按其余指标重新归一）"
    return rows


def window(rows: list[RankRow], highlight: str | None, top: int = 10, bottom: int = 10) -> list[RankRow]:
    """Top and bottom of the ranked rows plus the highlighted unit's row (for village lists)."""
    ranked = [r for r in rows if r.rank is not None]
    if len(ranked) <= top + bottom:
        return ranked
    keep = ranked[:top] + ranked[-bottom:]
    mark = next((r for r in ranked[top:-bottom] if r.unit.code == highlight or r.unit.short == highlight), None)
    if mark is not None:
        keep = ranked[:top] + [mark] + ranked[-bottom:]
    return keep
