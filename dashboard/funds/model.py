"""Everything the 资金发放 page shows, computed from queries/funds.py as plain data (no Dash here).

口径 (DOMAIN.md §2.5, operational choices in docs/indicators/funds.md): F1 发放额, F2 资金执行率 vs
序时进度 (county-level), F3 按时足额发放率, F4 受益人数 / 人均发放额, F5 调标补发完成率, and four
auditor checks counted per child and listed with masked IDs. Everything reads rollups (F5 and the checks
roll_payment_backpay / roll_payment_audit / roll_payment_audit_case), so every level down from the
province root shows all of it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from dashboard import labels
from dashboard.components.drill import children_frame
from dashboard.auth.viewer import county_figures
from dashboard.context import AppContext
from dashboard import quality_marks
from dashboard.catalogue import BY_ID as CATALOGUE, Indicator, Kpi, evaluate, make_kpi, stand_in_kpi, apply_coverage
from queries import codes
from queries import funds as q
from queries.funds import LIST_LIMIT
from queries.periods import Period, last_months, year_pace
from queries.regions import Region
from queries.rollups.funds import CHECK_LABELS

FUND_KINDS = ["残疾抚恤金", "定期抚恤金", "定期生活补助", "义务兵家庭优待金", "医疗补助", "临时救助"]

PAID, EXECUTION, ONTIME, PEOPLE, PER_CAPITA, BACKPAY, ANOMALIES, ANOMALY_RATE = (CATALOGUE[i] for i in (
    "funds_paid", "execution", "ontime_rate", "funds_people", "funds_per_capita", "funds_backpay",
    "funds_anomalies", "funds_anomaly_rate"))
PAID_WAN = replace(PAID, id="funds_paid_wan", unit="万元")     # the drill bars' unit; same 口径

# A list row costs ≈ 1.3 kB of drill response: above county (where cases of a whole city or province
# add up) each check lists only its newest WIDE_LIST_LIMIT cases and points to the county view.
WIDE_LIST_LIMIT = 20
DRILL_HINT = "下钻到县查看明细"
NEUTRAL = {PAID.id, PEOPLE.id, PER_CAPITA.id, PAID_WAN.id}      # no target: no 红黄绿
METRICS = {m.id: m for m in (EXECUTION, ONTIME, PER_CAPITA, ANOMALY_RATE, BACKPAY, PAID_WAN)}

CHECK_RULES = {
    "dup": "同一受益人、同一资金类别、同一所属月份实发两笔及以上(调标补发除外)；每组计1条，按受益人登记地计。",
    "death": "所属月份晚于受益人登记死亡月份的发放记录(调标补发除外)；按受益人登记地计。",
    "range": "月度应发金额低于或高于该资金类别月标准范围(资金标准表)的记录(调标补发除外)。",
    "register": "发放记录所在村(社区)与受益人登记村(社区)不一致，或受益人不在名册中的记录。",
}


@dataclass
class AnomalyCheck:
    key: str
    label: str
    rule: str
    total: int
    amount: float
    by_child: dict                  # 12-digit child code -> cases (the region's own code: cases counted there)
    rows: pd.DataFrame              # newest list_limit(region) cases, display-ready (masked IDs)


@dataclass
class Audit:
    """F5 back-pay counts and the four checks, year to date (rollups)."""
    checks: list[AnomalyCheck]
    backpay: pd.DataFrame           # index region_code (the region = its subtree, and each child):
                                    # backpay_rows, backpay_done, amounts


@dataclass
class FundsModel:
    region: Region
    lineage: list
    period: Period
    metric: Indicator
    metric_options: list
    kpis: list[Kpi]
    pace: float
    children: pd.DataFrame          # drill rows: code, short, name, value, text, status, location
    kind_month: pd.DataFrame        # index month key, columns fund kinds, values 万元 paid
    kind_table: pd.DataFrame        # rows region + children, columns fund kinds + 合计 (元)
    audit: "Audit"
    anomaly_table: pd.DataFrame     # per child: counts per check, total, rate
    ytd_label: str
    county: Region | None = None
    village: dict | None = None
    notes: list = field(default_factory=list)


def _num(v):
    return None if v is None or pd.isna(v) else float(v)


def _ratio(num, den, scale=100.0):
    return labels.ratio(_num(num), _num(den), scale)


def metric_text(ind: Indicator, value) -> str:
    if value is None:
        return labels.NO_DATA
    if ind.unit == "%":
        return labels.fmt_pct(value)
    if ind.unit == "元":
        return labels.fmt_yuan(value)
    if ind.unit == "万元":
        return f"{value:,.1f}万元"
    if ind.unit == "条/千笔":
        return f"{value:.2f}条/千笔"
    return labels.fmt_int(value, ind.unit)


def build_funds_model(ctx: AppContext, region_code: str | None, period_key: str | None,
                      metric_id: str | None) -> FundsModel:
    """Raises RegionCodeError / OutOfScope / PeriodError (Chinese messages) for bad URL state."""
    tree, scope, db = ctx.tree, ctx.scope, ctx.db
    region = tree.resolve(region_code)
    period = Period.parse(period_key, ctx.as_of)
    county = tree.county_of(region.code) if region.level >= 4 else None
    audit = build_audit(ctx, region.code, period.key)
    options = [m for m in METRICS.values() if not (m.county_only and region.level >= 3)]
    default = EXECUTION if region.level <= 2 else ONTIME
    metric = next((m for m in options if m.id == metric_id), default)
    pace = year_pace(period.last_day)

    values = funds_values(ctx, region, period)
    with county_figures(county):          # a township viewer still sees his county's 按县统计 figures
        county_values = funds_values(ctx, county, period, with_children=False) if county is not None else None
    me = values.loc[region.code]
    kpis = apply_coverage(_kpis(ctx, region, me, county_values, county, audit, pace, period), ctx.coverage, period)
    children = children_frame(
        tree.children(region.code), values[metric.id].to_dict(), lambda v: metric_text(metric, v),
        lambda v: evaluate(metric, v, ctx.thresholds, pace=pace).key,
        county_only=metric.county_only)
    kpis, children = quality_marks.apply(ctx, region, kpis, children, metric.id)   # findings turn figures grey
    kinds = q.funds_kind_by_child(db, scope, region.code, period)
    village = _village(ctx, region, period, kinds) if region.level == 5 or not tree.children(region.code) else None
    notes = []
    if period.kind == "week":
        notes.append("按时足额发放率按所属月份统计：周视图显示该周所在月份已到发放日的记录。")
    return FundsModel(
        region=region, lineage=tree.lineage(region.code), period=period, metric=metric, metric_options=options,
        kpis=kpis, pace=pace, children=children,
        kind_month=_kind_month(q.funds_kind_month(db, scope, region.code, period), period),
        kind_table=_kind_table(kinds, tree, region), audit=audit,
        anomaly_table=_anomaly_table(tree, region, audit.checks, values),
        ytd_label=f"{period.last_day.year}年1月1日至{period.last_day.month}月{period.last_day.day}日",
        county=county, village=village, notes=notes)


def funds_values(ctx: AppContext, region: Region, period: Period, with_children: bool = True) -> pd.DataFrame:
    """Every 资金发放 indicator (with _prev/_ly) for the region and its children, indexed by 12-digit code."""
    summary = q.funds_summary(ctx.db, ctx.scope, region.code, period).set_index("region_code")
    if not with_children:
        summary = summary.loc[[region.code]]
    backpay = q.funds_backpay(ctx.db, ctx.scope, region.code, period).set_index("region_code").reindex(summary.index)
    counts = q.funds_audit_by_child(ctx.db, ctx.scope, region.code, period)
    anomalies = counts.groupby("region_code")["cases"].sum() if len(counts) else pd.Series(dtype=float)
    anomalies = anomalies.reindex(summary.index).fillna(0.0).astype(float)
    out = {}                     # columns, made into one frame at the end (a column added at a time costs ~0.1 ms)
    col = lambda name: summary[name]  # noqa: E731
    pair = lambda a, b, s=100.0: [_ratio(x, y, s) for x, y in zip(col(a), col(b))]  # noqa: E731
    for sfx in ("", "_prev", "_ly"):
        out[PAID.id + sfx] = [_num(v) for v in col("paid" + sfx)]
        out[PEOPLE.id + sfx] = [_num(v) for v in col("people" + sfx)]
        out[PER_CAPITA.id + sfx] = pair("paid" + sfx, "people" + sfx, 1.0)
        out[EXECUTION.id + sfx] = pair("paid_ytd" + sfx, "budget" + sfx)
        out[ONTIME.id + sfx] = pair("rows_ontime" + sfx, "rows_due" + sfx)
    out[BACKPAY.id] = [_ratio(a, b) for a, b in zip(backpay["backpay_done"], backpay["backpay_rows"])]
    out[ANOMALIES.id] = anomalies
    out[ANOMALY_RATE.id] = [_ratio(a, d, 1000.0) for a, d in zip(anomalies, col("rows_due_ytd"))]
    out[PAID_WAN.id] = [None if v is None else v / 1e4 for v in out[PAID.id]]
    for raw in ("budget", "rows_due", "rows_ontime", "rows_due_ytd", "paid_ytd"):
        out["funds_" + raw] = col(raw)
    out["funds_backpay_rows"], out["funds_backpay_done"] = backpay["backpay_rows"], backpay["backpay_done"]
    return pd.DataFrame(out, index=summary.index)


def build_audit(ctx: AppContext, region_code: str, period_key: str) -> Audit:
    """F5 back-pay rows and the four checks for the region's subtree, year to date (rollups)."""
    region = ctx.tree.resolve(region_code)
    period = Period.parse(period_key, ctx.as_of)
    backpay = q.funds_backpay(ctx.db, ctx.scope, region.code, period).set_index("region_code")
    return Audit(_checks(ctx, region, period), backpay)


# ----------------------------------------------------------------------------- KPIs
def _kpis(ctx, region: Region, me, county_values, county, audit: Audit, pace, period) -> list[Kpi]:
    th = ctx.thresholds
    ex = county_values.loc[county.code] if county is not None else me
    ex_note = f"序时进度 {labels.fmt_pct(pace)}，年度预算 {labels.fmt_yuan(ex['funds_budget'])}"
    if county is not None:
        ex_note = f"{labels.COUNTY_ONLY}（{county.name}），{ex_note}"
    due, done = _num(me["funds_backpay_rows"]), _num(me["funds_backpay_done"])
    bp_note = (f"应补发 {labels.fmt_int(due, '人次')}，已足额补发 {labels.fmt_int(done, '人次')}"
               if due else "本年暂无调标补发记录")
    checks = audit.checks
    total = float(sum(c.total for c in checks))
    rate = _ratio(total, me["funds_rows_due_ytd"], 1000.0)
    an_note = ("每千笔 " + ("—" if rate is None else f"{rate:.2f}") + " 条；"
               + "，".join(f"{c.label} {c.total}" for c in checks))
    trio = lambda row, i: (_num(row[i.id]), _num(row[i.id + "_prev"]), _num(row[i.id + "_ly"]))  # noqa: E731
    ontime = ontime_kpi(ctx, region, me, period)
    return [
        make_kpi(PAID, th, *trio(me, PAID)),
        make_kpi(EXECUTION, th, *trio(ex, EXECUTION), note=ex_note, pace=pace),
        ontime,
        make_kpi(PEOPLE, th, *trio(me, PEOPLE)),
        make_kpi(PER_CAPITA, th, *trio(me, PER_CAPITA)),
        make_kpi(BACKPAY, th, _ratio(done, due), note=bp_note,
                 unknown_reason="本年暂无调标补发记录"),
        make_kpi(ANOMALIES, th, total, note=an_note, status_value=rate),
    ]


def ontime_kpi(ctx: AppContext, region: Region, me, period: Period) -> Kpi:
    """F3, or — when nothing is due yet in a period not over — the last complete period's value, labelled."""
    value, prev, ly = (_num(me[ONTIME.id + s]) for s in ("", "_prev", "_ly"))
    note = f"已到发放日应发 {labels.fmt_int(me['funds_rows_due'], '人次')}"
    return stand_in_kpi(ctx, ONTIME, region, period, value, prev, ly, note,
                        lambda p: funds_values(ctx, region, p, with_children=False).loc[region.code, ONTIME.id])


# ----------------------------------------------------------------------------- amounts by kind
def kind_order(kinds) -> list[str]:
    """The catalogue's order first, then any other kind found in the data (by code point)."""
    found = set(kinds)
    return [k for k in FUND_KINDS if k in found] + sorted(found - set(FUND_KINDS))


def _kind_month(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    months = last_months(period, 36)
    if frame.empty:
        return pd.DataFrame(index=months)
    table = frame.pivot_table(index="month", columns="fund_kind", values="amount_paid", aggfunc="sum")
    return (table.reindex(index=months, columns=kind_order(table.columns)).fillna(0.0) / 1e4)


def _kind_table(kinds: pd.DataFrame, tree, region: Region) -> pd.DataFrame:
    rows = [region] + tree.children(region.code)
    if kinds.empty:
        return pd.DataFrame(columns=["code", "short", "name"])
    table = kinds.pivot_table(index="region_code", columns="fund_kind", values="amount_paid", aggfunc="sum")
    cols = kind_order(table.columns)
    table = table.reindex(index=[r.code for r in rows], columns=cols)
    table["合计"] = table.sum(axis=1, min_count=1)
    table.insert(0, "name", ["合计（" + region.name + "）"] + [r.name for r in rows[1:]])
    table.insert(0, "short", [r.short for r in rows])
    return table.reset_index(names="code")


# ----------------------------------------------------------------------------- anomalies
def _checks(ctx, region: Region, period: Period) -> list[AnomalyCheck]:
    """Counts from roll_payment_audit (one query for the four checks), each list's newest
    list_limit(region) cases from roll_payment_audit_case."""
    counts = q.funds_audit_by_child(ctx.db, ctx.scope, region.code, period)
    out = []
    for key in q.CHECKS:
        mine = counts[counts["check_kind"] == key]
        cases = dict(zip(mine["region_code"], mine["cases"].astype(int)))
        amounts = dict(zip(mine["region_code"], mine["amount"]))
        total = cases.pop(region.code, 0)
        own = total - sum(cases.values())             # counted at the region's own code
        by_child = {**cases, region.code: own} if own else cases
        amount = _num(amounts.get(region.code)) or 0.0
        rows = q.ANOMALY_LISTS[key](ctx.db, ctx.scope, region.code, period, limit=list_limit(region))
        out.append(AnomalyCheck(key, CHECK_LABELS[key], CHECK_RULES[key], int(total), amount,
                                by_child, _display_rows(ctx.tree, region, key, rows)))
    return out


def list_limit(region: Region) -> int:
    """How many cases a check lists: LIST_LIMIT from county down, WIDE_LIST_LIMIT above."""
    return LIST_LIMIT if region.level >= 3 else WIDE_LIST_LIMIT


def child_code(region: Region, code: str) -> str:
    """The child of `region` whose subtree holds `code` (NBS codes nest by prefix); the region itself
    for its own code — the same placement as funds_audit_by_child's rows."""
    if code == region.code:
        return region.code
    return codes.code12(code[:codes.child_length(region.code)])


def place_name(tree, region: Region, code) -> str:
    """Names below the viewed region (县 乡镇 村), or 辖区外 for a code outside the scope."""
    if not isinstance(code, str):                  # NULL: no register row (pandas gives None or NaN)
        return "未登记"
    target = tree.get(code)
    if target is None:
        return "辖区外"
    names = [r.name for r in tree.lineage(target.code) if r.level > region.level]
    return " ".join(names) or target.name


def _display_rows(tree, region: Region, key: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Chinese column names, money in 元, places as names: what the list shows (masked IDs only)."""
    out = pd.DataFrame({
        "编号": rows["masked_id"],
        "资金类别": rows["fund_kind"],
        "所属期": [labels.fmt_month(int(m)) for m in rows["month"]],
        "应发金额(元)": rows["amount_due"].astype(float),
        "实发金额(元)": rows["amount_paid"].astype(float),
        "发放地": [place_name(tree, region, c) for c in rows["region_code"]],
    })
    if key == "dup":
        out["发放笔数"] = rows["times"].astype(int)
        out["多发金额(元)"] = rows["excess"].astype(float)
    elif key == "death":
        out["登记死亡月份"] = [labels.fmt_month(int(m)) for m in rows["died_month"]]
    elif key == "range":
        out["月标准范围(元)"] = [f"{lo:,.0f}—{hi:,.0f}" for lo, hi in zip(rows["min_monthly"], rows["max_monthly"])]
    elif key == "register":
        out["登记地"] = [place_name(tree, tree.root, c) for c in rows["register_code"]]
    return out


def _anomaly_table(tree, region: Region, checks: list[AnomalyCheck], values: pd.DataFrame) -> pd.DataFrame:
    rows = []
    targets = [(c, c.name, c.short) for c in tree.children(region.code)]
    if not targets or any(ch.by_child.get(region.code) for ch in checks):
        targets.append((region, "本级" if targets else region.name, region.short))
    for r, name, short in targets:
        counts = {ch.label: ch.by_child.get(r.code, 0) for ch in checks}
        total = sum(counts.values())
        due = values["funds_rows_due_ytd"].get(r.code) if r.code != region.code or len(targets) == 1 else None
        rows.append({"code": r.code, "short": short, "name": name, **counts, "合计": total,
                     "每千笔": _ratio(total, due, 1000.0)})
    if len(rows) > 1:
        counts = {ch.label: ch.total for ch in checks}
        total = sum(counts.values())
        rows.append({"code": region.code, "short": region.short, "name": "合计", **counts, "合计": total,
                     "每千笔": _ratio(total, values["funds_rows_due_ytd"].get(region.code), 1000.0)})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- village
def _village(ctx, region: Region, period: Period, kinds: pd.DataFrame) -> dict:
    """The village's own payments: by fund kind (rollup) and by beneficiary category (raw, small)."""
    own = kinds[kinds["region_code"] == region.code]
    by_kind = own.set_index("fund_kind").reindex(kind_order(own["fund_kind"]))[["amount_due", "amount_paid"]] \
        if len(own) else pd.DataFrame(columns=["amount_due", "amount_paid"])
    categories = q.funds_village_categories(ctx.db, ctx.scope, region.code, period)
    categories = categories.sort_values(["people", "amount_paid"], ascending=False) if len(categories) else categories
    return {"by_kind": by_kind, "categories": categories,
            "empty": len(own) == 0 and len(categories) == 0}
