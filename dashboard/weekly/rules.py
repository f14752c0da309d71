"""The rules of config/weekly.toml beyond the catalogue's thresholds: 信访量突增, 挂牌未运行 stations,
逾期未报到, 重复/死亡后发放 and the projected year-end 资金执行率 — one function per rule, each the week's flags."""
from __future__ import annotations

import pandas as pd

from dashboard import labels
from dashboard.catalogue import BY_ID, is_missing
from dashboard.components.kpi import format_value
from dashboard.context import AppContext
from dashboard.funds.model import funds_values
from dashboard.petitions.model import SPIKE_MIN_CASES, SPIKE_RATIO
from dashboard.urls import href
from dashboard.weekly.config import load_weekly_config, rule_text
from dashboard.weekly.flag import Flag
from queries import funds as qf
from queries import network as qn
from queries import petitions as qp
from queries import weekly as qw
from queries.periods import Period, year_pace
from queries.regions import Region
from queries.rollups.funds import CHECK_LABELS

RULE_AREAS = {"petition_spike": "信访热点", "idle_stations": "服务网络", "placement_unreported": "安置就业",
              "funds_dup_death": "资金发放", "execution_projection": "资金发放"}


def _counties(ctx: AppContext, region: Region) -> list[Region]:
    """County-level regions in view: the children of a city/province, the county itself."""
    if region.level <= 2:
        return ctx.tree.children(region.code)
    return [region] if region.level == 3 else []


def _spike_flags(ctx: AppContext, region: Region, week: Period, rule: dict) -> dict[str, Flag]:
    """Townships whose week is >= ratio × their previous 4 weeks' mean and >= min_cases (信访热点 page rule)."""
    if region.level > 4:
        return {}
    min_cases, ratio = int(rule.get("min_cases", SPIKE_MIN_CASES)), float(rule.get("ratio", SPIKE_RATIO))
    frame = qp.petitions_spike(ctx.db, ctx.scope, region.code, week, min_cases)
    received = BY_ID["petitions_received"]
    out = {}
    for r in frame.to_dict("records"):
        this_week, base = float(r["this_week"] or 0), float(r["base_4w"] or 0)
        place = ctx.tree.get(r["region_code"])
        if place is None or not is_spike(this_week, base, min_cases, ratio):
            continue
        county = ctx.tree.county_of(place.code)
        name = place.name if county is None or county.code == region.code or region.level >= 3 \
            else f"{county.name}{place.name}"
        f = Flag("petition_spike", rule["name"], RULE_AREAS["petition_spike"], place.code, place.short, name,
                 this_week, format_value(received, this_week), rule_text(rule),
                 href("/petitions", region=place.short, period=week.key),
                 detail=f"前4周周均{base / 4:.1f}件")
        out[f.key] = f
    return out


def is_spike(this_week: float, base_4w: float, min_cases: int = SPIKE_MIN_CASES, ratio: float = SPIKE_RATIO) -> bool:
    """petitions_model.is_spike with the thresholds from config/weekly.toml (same rule at the same defaults)."""
    return this_week >= min_cases and this_week * 4 >= ratio * base_4w


def _child_of(ctx: AppContext, region: Region, code: str) -> Region | None:
    """The child of region whose subtree holds code (None: the region's own level)."""
    for child in ctx.tree.children(region.code):
        if code.startswith(child.short):
            return child
    return None


def _idle_flags(ctx: AppContext, region: Region, week: Period, rule: dict) -> dict[str, Flag]:
    """Children with stations built by the week's end and no service record in the 30 days to it."""
    frame = qn.network_idle(ctx.db, ctx.scope, region.code, week, max_rows=1_000_000)
    groups: dict[str, list[str]] = {}
    for r in frame.to_dict("records"):
        child = _child_of(ctx, region, r["region_code"])
        if child is not None:
            groups.setdefault(child.code, []).append(r["name"])
    out = {}
    for code, names in groups.items():
        if len(names) < int(rule.get("min_stations", 1)):
            continue
        child = ctx.tree.get(code)
        shown = "、".join(names[:3]) + ("等" if len(names) > 3 else "")
        f = Flag("idle_stations", rule["name"], RULE_AREAS["idle_stations"], child.code, child.short, child.name,
                 float(len(names)), labels.fmt_int(len(names), "个"), rule_text(rule),
                 href("/network", region=child.short, period=week.key, metric="network_running"), detail=shown)
        out[f.key] = f
    return out


def _unreported_flags(ctx: AppContext, region: Region, week: Period, rule: dict) -> dict[str, Flag]:
    """Counties with people past their 30-day report deadline not yet received."""
    counties = _counties(ctx, region)
    if not counties:
        return {}
    frame = qw.weekly_placement_unreported(ctx.db, ctx.scope, region.code, week,
                                           int(rule.get("lookback_days", 365)))
    counts = dict(zip(frame["region_code"], frame["unreported"]))
    out = {}
    for county in counties:
        n = int(counts.get(county.code, 0))
        if n < int(rule.get("min_people", 1)):
            continue
        f = Flag("placement_unreported", rule["name"], RULE_AREAS["placement_unreported"], county.code,
                 county.short, county.name, float(n), labels.fmt_int(n, "人"), rule_text(rule),
                 href("/placement", region=county.short, period=week.key, metric="placement_report_ontime"))
        out[f.key] = f
    return out


def _audit_flags(ctx: AppContext, region: Region, week: Period, rule: dict) -> dict[str, Flag]:
    """Children with 重复发放 / 死亡后发放 cases this year (through the week's month)."""
    checks = list(rule.get("checks", ["dup", "death"]))
    frame = qf.funds_audit_by_child(ctx.db, ctx.scope, region.code, week)
    frame = frame[frame["check_kind"].isin(checks) & (frame["region_code"] != region.code)]
    out = {}
    for code, part in frame.groupby("region_code"):
        cases = {k: int(v) for k, v in zip(part["check_kind"], part["cases"]) if v}
        total = sum(cases.values())
        child = ctx.tree.get(code)
        if child is None or total < int(rule.get("min_cases", 1)):
            continue
        text = "、".join(f"{CHECK_LABELS[k]}{labels.fmt_int(cases[k], '条')}" for k in checks if k in cases)
        f = Flag("funds_dup_death", rule["name"], RULE_AREAS["funds_dup_death"], child.code, child.short,
                 child.name, float(total), text, rule_text(rule),
                 href("/funds", region=child.short, period=week.key, metric="funds_anomaly_rate"),
                 detail=f"金额{labels.fmt_yuan(float(part['amount'].sum()))}")
        out[f.key] = f
    return out


def projection(paid_ytd, budget, pace: float) -> float | None:
    """Year-end 资金执行率 if the rest of the year is paid at the pace so far: paid_ytd ÷ pace × 100 ÷ budget."""
    if is_missing(paid_ytd) or is_missing(budget) or not budget or not pace:
        return None
    return float(paid_ytd) / (pace / 100.0) / float(budget) * 100.0


def _projection_flags(ctx: AppContext, region: Region, week: Period, rule: dict,
                      values: pd.DataFrame | None = None) -> dict[str, Flag]:
    """Counties whose projected year-end 资金执行率 falls below min_share, with the projection's basis."""
    counties = _counties(ctx, region)
    if not counties:
        return {}
    if values is None or "funds_paid_ytd" not in values:
        values = funds_values(ctx, region, week)
    pace = year_pace(week.last_day)
    execution = BY_ID["execution"]
    out = {}
    for county in counties:
        if county.code not in values.index:
            continue
        paid, budget = values.at[county.code, "funds_paid_ytd"], values.at[county.code, "funds_budget"]
        rate = projection(paid, budget, pace)
        if rate is None or rate >= float(rule.get("min_share", 95.0)):
            continue
        d = week.last_day
        basis = (f"截至{d.month}月{d.day}日本年累计发放{labels.fmt_yuan(paid)}，序时进度{labels.fmt_pct(pace)}；"
                 f"按此进度全年预计发放{labels.fmt_yuan(float(paid) * 100 / pace)}，"
                 f"年度预算{labels.fmt_yuan(budget)}")
        f = Flag("execution_projection", rule["name"], RULE_AREAS["execution_projection"], county.code,
                 county.short, county.name, rate, "预计" + format_value(execution, rate), rule_text(rule),
                 href("/funds", region=county.short, period=week.key, metric="execution"), detail=basis)
        out[f.key] = f
    return out


RULES = {"petition_spike": _spike_flags, "idle_stations": _idle_flags,
         "placement_unreported": _unreported_flags, "funds_dup_death": _audit_flags,
         "execution_projection": _projection_flags}


def enabled_rules() -> dict[str, dict]:
    cfg = load_weekly_config()
    return {rid: spec for rid, spec in cfg.get("rules", {}).items() if spec.get("enabled", True) and rid in RULES}
