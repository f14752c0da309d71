"""本周要点: a short Chinese narrative built from the week's numbers by templates (no language model).

Reads the way a bureau's 周报 does: the overall count of 预警, the biggest movers against last week, new and
persisting flags (grouped by rule when several places share one), what was resolved. Every figure is the
catalogue's number for that week, formatted by format_value.
"""
from __future__ import annotations

from dashboard.catalogue import BY_ID, Kpi, is_missing
from dashboard.components.kpi import format_value

MOVERS = 3                 # at most this many movers
MIN_PP = 1.0               # a percentage moves when it changes by >= 1 个百分点 …
MIN_REL = 10.0             # … a count or amount when it changes by >= 10 %
GROUPS = 4                 # rule groups named per sentence; the rest as "等"
PLACES = 3                 # places named per group


def _mover_score(k: Kpi) -> float | None:
    if is_missing(k.value) or is_missing(k.prev) or k.status == "abnormal" or k.value_label:
        return None
    delta = float(k.value) - float(k.prev)
    if k.indicator.unit == "%":
        return abs(delta) / MIN_PP
    if not k.prev:
        return None
    return abs(delta) / abs(float(k.prev)) * 100 / MIN_REL


def movers(kpis: list[Kpi]) -> list[Kpi]:
    """The KPIs that moved most against last week (>= 1 个百分点 or >= 10 %), largest first."""
    scored = [(s, i, k) for i, k in enumerate(kpis) if (s := _mover_score(k)) is not None and s >= 1.0]
    return [k for _, _, k in sorted(scored, key=lambda t: (-t[0], t[1]))[:MOVERS]]


def _change(k: Kpi) -> str:
    delta = float(k.value) - float(k.prev)
    if k.indicator.unit == "%":
        return f"{'上升' if delta > 0 else '下降'}{abs(delta):.1f}个百分点"
    return f"{'增加' if delta > 0 else '减少'}{format_value(k.indicator, abs(delta))}"


def _groups(flags) -> list[list]:
    """Flags grouped by rule: the config rules first (spikes, idle stations … are named events), then
    indicator groups, biggest first; ties keep the flags' order."""
    order: dict[str, list] = {}
    for f in flags:
        order.setdefault(f.rule, []).append(f)
    return sorted(order.values(), key=lambda g: (g[0].rule in BY_ID, -len(g)))


def _places(group) -> str:
    named = "、".join(f"{f.region_name}{f.value_text}" for f in group[:PLACES])
    return named + ("等" if len(group) > PLACES else "")


def _new_part(group) -> str:
    if len(group) == 1:
        return group[0].phrase
    return f"{group[0].name}{len(group)}处（{_places(group)}）"


def _persisting_part(group) -> str:
    longest = max(group, key=lambda f: f.weeks)
    if len(group) == 1:
        return f"{longest.phrase}，已{longest.persistence}"
    return f"{group[0].name}{len(group)}处，最长{longest.persistence}（{_places(group)}）"


def _resolved_part(group) -> str:
    if len(group) == 1:
        f = group[0]
        if f.rule not in BY_ID:
            return f"{f.region_name}{f.name}本周未再出现"
        return f"{f.region_name}{f.name}为{f.value_text}，预警解除"
    return f"{group[0].name}{len(group)}处预警解除（{'、'.join(f.region_name for f in group[:PLACES])}" \
           f"{'等' if len(group) > PLACES else ''}）"


def _join(parts: list[str]) -> str:
    shown = parts[:GROUPS]
    return "；".join(shown) + ("；等" if len(parts) > GROUPS else "")


def narrative(region_name: str, week_label: str, kpis: list[Kpi], flags, resolved) -> list[str]:
    """本周要点 paragraphs for a region's week: kpis with prev = last week; flags red this week (with
    persistence); resolved = red last week, not this week."""
    first = [f for f in flags if f.from_first]          # current-state indicators: no earlier weeks known
    new = [f for f in flags if f.weeks <= 1 and not f.from_first]
    old = [f for f in flags if f.weeks > 1 and not f.from_first]
    out = []
    if flags:
        parts = [f"新增{len(new)}项", f"持续{len(old)}项"] + ([f"自首次快照起计{len(first)}项"] if first else [])
        out.append(f"{week_label}，{region_name}共有预警事项{len(flags)}项，其中{'、'.join(parts)}；"
                   f"较上周解除{len(resolved)}项。")
    else:
        out.append(f"{week_label}，{region_name}无预警事项；较上周解除{len(resolved)}项。")
    moved = movers(kpis)
    if moved:
        out.append("主要变化：" + "；".join(f"{k.indicator.name}{format_value(k.indicator, k.value)}，较上周{_change(k)}"
                                       for k in moved) + "。")
    else:
        out.append("主要指标与上周基本持平。")
    if new:
        out.append("新增预警：" + _join([_new_part(g) for g in _groups(new)]) + "。")
    if old:
        groups = sorted(_groups(old), key=lambda g: (-max(f.weeks for f in g), -len(g)))
        out.append("持续预警：" + _join([_persisting_part(g) for g in groups]) + "。")
    if first:
        out.append("当前状态指标预警（无历史数据，自首次快照起计）：" + _join([_new_part(g) for g in _groups(first)]) + "。")
    if resolved:
        out.append("向好：" + _join([_resolved_part(g) for g in _groups(resolved)]) + "。")
    return out
