"""Everything the 资金发放 page shows, computed from queries/funds.py as plain data (no Dash here).

口径 (DOMAIN.md §2.5, operational choices in docs/indicators/funds.md): F1 发放额, F2 资金执行率 vs
序时进度 (county-level), F3 按时足额发放率, F4 受益人数 / 人均发放额, F5 调标补发完成率, and four
auditor checks counted per child and listed with masked IDs. Everything reads rollups (F5 and the checks
roll_payment_backpay / roll_payment_audit / roll_payment_audit_case), so every level down from the
province root shows all of it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard import labels
from dashboard.components.drill import children_frame
from dashboard.context import AppContext
from dashboard.indicators import BY_ID, Indicator
from dashboard.overview_model import Kpi, status_for
from queries import codes
from queries import funds as q
from queries.funds import LIST_LIMIT
from queries.periods import Period
from queries.regions import Region
from queries.rollups.funds import CHECK_LABELS

FUND_KINDS = ["残疾抚恤金", "定期抚恤金", "定期生活补助", "义务兵家庭优待金", "医疗补助", "临时救助"]

PAID = Indicator("funds_paid", "F1", "发放额", "期间", "元",
                 "本期各所属月份实际发放金额合计(实发金额，含调标补发)，按受益人居住村(社区)统计。")
EXECUTION = BY_ID["execution"]
ONTIME = BY_ID["ontime_rate"]
PEOPLE = Indicator("funds_people", "F4", "受益人数", "期间", "人",
                   "本期最后一个月有应发记录的受益人数(按人去重)。季、年视图为最后一个月的人数。")
PER_CAPITA = Indicator("funds_per_capita", "F4", "人均发放额", "期间", "元",
                       "本期发放额 ÷ 本期最后一个月受益人数。")
BACKPAY = Indicator("funds_backpay", "F5", "调标补发完成率", "年累计", "%",
                    "本年1月1日至期末所属月份的调标补发记录中，截至数据日期已足额补发的人次 ÷ 应补发人次。")
ANOMALIES = Indicator("funds_anomalies", "审计", "异常线索", "年累计", "条",
                      "本年1月1日至期末：重复发放 + 死亡后发放 + 超出标准范围 + 不在登记地名册 的线索条数；"
                      "颜色按每千笔异常线索数定。", higher_is_better=False)
ANOMALY_RATE = Indicator("funds_anomaly_rate", "审计", "每千笔异常线索", "年累计", "条/千笔",
                         "本年异常线索条数 ÷ 本年已到发放日的应发笔数 × 1000。", higher_is_better=False)
PAID_WAN = Indicator("funds_paid_wan", "F1", "发放额", "期间", "万元", PAID.formula)

# A list row costs ≈ 1.3 kB of drill response: above county (where cases of a whole city or province
# add up) each check lists only its newest WIDE_LIST_LIMIT cases and points to the county view.
WIDE_LIST_LIMIT = 20
DRILL_HINT = "下钻到县查看明细"
NEUTRAL = {PAID.id, PEOPLE.id, PER_CAPITA.id, PAID_WAN.id}      # no target: no 红黄绿
METRICS = {m.id: m for m in (EXECUTION, ONTIME, PER_CAPITA, ANOMALY_RATE, BACKPAY, PAID_WAN)}

CHECK_RULES = {
    "dup": "同一受益人、同一资金类别、同一所属月份实发两笔及以上(调标补发除外)；每组计1条，按受益人登记地计。",
    "death": "所属月份晚于受益人登记死亡月份的发放记录(调标补发除外)；按受益人登记地计。",
    "range": "月度应发金额低于或高于该资金类别月标准范围(fund_standard)的记录(调标补发除外)。",
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
    pace = period.last_day.month / 12 * 100

    summary = q.funds_summary(db, scope, region.code, period).set_index("region_code")
    county_row = None
    if county is not None:                       # F2 exists per county only: the county's own figures
        county_row = q.funds_summary(db, scope, county.code, period).set_index("region_code").loc[county.code]
    anomalies_by_child = {c: sum(ch.by_child.get(c, 0) for ch in audit.checks) for c in summary.index}
    anomalies_by_child[region.code] = sum(ch.total for ch in audit.checks)

    me = summary.loc[region.code]
    kpis = _kpis(ctx, region.code, me, county_row, county, audit, pace, period)
    values = _child_values(summary, audit.backpay, anomalies_by_child)
    children = children_frame(
        tree.children(region.code), values[metric.id].to_dict(), lambda v: metric_text(metric, v),
        lambda v: "none" if metric.id in NEUTRAL else status_for(ctx, metric.id, v, pace),
        county_only=metric.county_only)
    kinds = q.funds_kind_by_child(db, scope, region.code, period)
    village = _village(ctx, region, period, kinds) if region.level == 5 or not tree.children(region.code) else None
    notes = []
    if period.kind == "week":
        notes.append("资金按所属月份统计：周视图显示该周所在月份的发放数据。")
    return FundsModel(
        region=region, lineage=tree.lineage(region.code), period=period, metric=metric, metric_options=options,
        kpis=kpis, pace=pace, children=children,
        kind_month=_kind_month(q.funds_kind_month(db, scope, region.code, period), period),
        kind_table=_kind_table(kinds, tree, region), audit=audit,
        anomaly_table=_anomaly_table(tree, region, audit.checks, summary),
        ytd_label=f"{period.last_day.year}年1月1日至{period.last_day.month}月{period.last_day.day}日",
        county=county, village=village, notes=notes)


def build_audit(ctx: AppContext, region_code: str, period_key: str) -> Audit:
    """F5 back-pay rows and the four checks for the region's subtree, year to date (rollups)."""
    region = ctx.tree.resolve(region_code)
    period = Period.parse(period_key, ctx.as_of)
    backpay = q.funds_backpay(ctx.db, ctx.scope, region.code, period).set_index("region_code")
    return Audit(_checks(ctx, region, period), backpay)


# ----------------------------------------------------------------------------- KPIs
def _kpis(ctx, code: str, me, county_row, county, audit: Audit, pace, period) -> list[Kpi]:
    paid, people = _num(me["paid"]), _num(me["people"])
    ex_row = county_row if county_row is not None else me
    execution = _ratio(ex_row["paid_ytd"], ex_row["budget"])
    ex_note = f"序时进度 {labels.fmt_pct(pace)}，年度预算 {labels.fmt_yuan(ex_row['budget'])}"
    if county is not None:
        ex_note = f"{labels.COUNTY_ONLY}（{county.name}），{ex_note}"
    backpay, checks = audit.backpay, audit.checks
    mine = backpay.loc[code] if code in backpay.index else None        # the region's whole subtree
    due = None if mine is None else _num(mine["backpay_rows"])
    done = None if mine is None else _num(mine["backpay_done"])
    bp_note = (f"应补发 {labels.fmt_int(due, '人次')}，已足额补发 {labels.fmt_int(done, '人次')}"
               if due else "本年暂无调标补发记录")
    total = sum(c.total for c in checks)
    rate = _ratio(total, me["rows_due_ytd"], 1000.0)
    an_note = ("每千笔 " + ("—" if rate is None else f"{rate:.2f}") + " 条；"
               + "，".join(f"{c.label} {c.total}" for c in checks))
    week_note = f"按所属月份统计（{labels.fmt_month(int(period.last_day.year * 100 + period.last_day.month))}）" \
        if period.kind == "week" else None
    return [
        Kpi(PAID, paid, "none", _num(me["paid_prev"]), _num(me["paid_ly"]), week_note),
        Kpi(EXECUTION, execution, status_for(ctx, EXECUTION.id, execution, pace),
            _ratio(ex_row["paid_ytd_prev"], ex_row["budget_prev"]),
            _ratio(ex_row["paid_ytd_ly"], ex_row["budget_ly"]), ex_note),
        Kpi(ONTIME, _ratio(me["rows_ontime"], me["rows_due"]),
            status_for(ctx, ONTIME.id, _ratio(me["rows_ontime"], me["rows_due"])),
            _ratio(me["rows_ontime_prev"], me["rows_due_prev"]), _ratio(me["rows_ontime_ly"], me["rows_due_ly"]),
            f"已到发放日应发 {labels.fmt_int(me['rows_due'], '人次')}"),
        Kpi(PEOPLE, people, "none", _num(me["people_prev"]), _num(me["people_ly"])),
        Kpi(PER_CAPITA, _ratio(paid, people, 1.0), "none", _ratio(me["paid_prev"], me["people_prev"], 1.0),
            _ratio(me["paid_ly"], me["people_ly"], 1.0)),
        Kpi(BACKPAY, _ratio(done, due), status_for(ctx, BACKPAY.id, _ratio(done, due)), note=bp_note),
        Kpi(ANOMALIES, float(total), status_for(ctx, ANOMALY_RATE.id, rate), note=an_note),
    ]


def _child_values(summary: pd.DataFrame, backpay: pd.DataFrame, anomalies: dict) -> pd.DataFrame:
    """One row per region code (the region and its children) with every drill metric."""
    bp = backpay.reindex(summary.index)
    out = pd.DataFrame(index=summary.index)
    out[EXECUTION.id] = [_ratio(a, b) for a, b in zip(summary["paid_ytd"], summary["budget"])]
    out[ONTIME.id] = [_ratio(a, b) for a, b in zip(summary["rows_ontime"], summary["rows_due"])]
    out[PER_CAPITA.id] = [_ratio(a, b, 1.0) for a, b in zip(summary["paid"], summary["people"])]
    out[ANOMALY_RATE.id] = [_ratio(anomalies.get(c, 0), d, 1000.0)
                            for c, d in zip(summary.index, summary["rows_due_ytd"])]
    out[BACKPAY.id] = [_ratio(a, b) for a, b in zip(bp["backpay_done"], bp["backpay_rows"])]
    out[PAID_WAN.id] = [None if _num(v) is None else float(v) / 1e4 for v in summary["paid"]]
    return out


# ----------------------------------------------------------------------------- amounts by kind
def kind_order(kinds) -> list[str]:
    """The catalogue's order first, then any other kind found in the data (by code point)."""
    found = set(kinds)
    return [k for k in FUND_KINDS if k in found] + sorted(found - set(FUND_KINDS))


def _months(period: Period, n: int = 36) -> list[int]:
    y, m, out = period.last_day.year, period.last_day.month, []
    for _ in range(n):
        out.append(y * 100 + m)
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(out))


def _kind_month(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    months = _months(period)
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


def _anomaly_table(tree, region: Region, checks: list[AnomalyCheck], summary: pd.DataFrame) -> pd.DataFrame:
    rows = []
    targets = [(c, c.name, c.short) for c in tree.children(region.code)]
    if not targets or any(ch.by_child.get(region.code) for ch in checks):
        targets.append((region, "本级" if targets else region.name, region.short))
    for r, name, short in targets:
        counts = {ch.label: ch.by_child.get(r.code, 0) for ch in checks}
        total = sum(counts.values())
        due = summary["rows_due_ytd"].get(r.code) if r.code != region.code or len(targets) == 1 else None
        rows.append({"code": r.code, "short": short, "name": name, **counts, "合计": total,
                     "每千笔": _ratio(total, due, 1000.0)})
    if len(rows) > 1:
        counts = {ch.label: ch.total for ch in checks}
        total = sum(counts.values())
        rows.append({"code": region.code, "short": region.short, "name": "合计", **counts, "合计": total,
                     "每千笔": _ratio(total, summary["rows_due_ytd"].get(region.code), 1000.0)})
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
