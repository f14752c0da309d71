"""Everything the 服务网络 page shows, computed from queries/network.py as plain data (no Dash here)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard import labels
from dashboard.components.drill import children_frame
from dashboard.components.kpi import format_value
from dashboard.context import AppContext
from dashboard import quality_marks
from dashboard.catalogue import BY_ID as CATALOGUE, Indicator, Kpi, apply_coverage, evaluate, make_kpi
from queries import network as q
from queries.codes import code12
from queries.overview import station_card
from queries.periods import Period, from_day_key
from queries.regions import Region

RUN = f"近{q.RUNNING_DAYS}日"
INDICATORS = [CATALOGUE[i] for i in (
    "network_built", "coverage", "network_town_coverage", "network_village_coverage", "network_running",
    "five_have", "network_model_share", "network_red", "network_yibu", "network_staff", "network_certified",
    "network_objects", "network_items", "network_visits")]
BY_ID = {i.id: i for i in INDICATORS}
MAP_METRICS = ["coverage", "network_town_coverage", "network_village_coverage", "five_have", "network_running",
               "network_certified", "network_model_share", "network_yibu", "network_staff", "network_items"]
VILLAGE_KPIS = ["network_running", "five_have", "network_items", "network_visits", "network_staff",
                "network_certified"]
DEFAULT_METRIC = "coverage"
FIVE_ITEMS = [("has_institution", "有机构"), ("has_quota", "有编制"), ("has_personnel", "有人员"),
              ("has_funding", "有经费"), ("has_safeguards", "有保障")]
UNIT_LEVELS = {2: "市级中心", 3: "县级中心", 4: "乡镇(街道)站", 5: "村(社区)站"}



@dataclass
class NetworkModel:
    region: Region
    lineage: list
    period: Period
    metric: Indicator
    kpis: list[Kpi]
    children: pd.DataFrame                  # drill rows: code, short, name, value, text, status, location
    five_rows: list[dict]                   # 五有 table, one row per child
    five_total: dict
    grade_rows: list[dict]
    grade_total: dict
    idle: pd.DataFrame                      # 挂牌未运行 list (capped)
    idle_total: int
    idle_by_child: pd.DataFrame             # code, name, idle, built
    trend: pd.DataFrame                     # month, label, items, visits, built, active_units, active_share
    trend_note: str | None                  # a note under the trend chart (none at present)
    built: int
    expected: int
    station: dict | None = None
    extras: dict = field(default_factory=dict)

    @property
    def is_leaf(self) -> bool:
        return self.region.level == 5 or self.children.empty

    @property
    def no_station(self) -> bool:
        return self.built == 0


def _num(v):
    return None if v is None or pd.isna(v) else float(v)


def ratio(num, den, scale: float = 100.0):
    return labels.ratio(_num(num), _num(den), scale)


def indicator_values(units: pd.DataFrame, expected: pd.DataFrame, activity: pd.DataFrame) -> pd.DataFrame:
    """One row per region code: every page indicator, with _prev/_ly where history exists."""
    df = pd.concat([f.set_index("region_code") for f in (units, expected, activity) if not f.empty], axis=1)
    col = lambda name: df[name] if name in df else pd.Series(None, index=df.index, dtype=float)  # noqa: E731
    r = lambda a, b, s=100.0: [ratio(x, y, s) for x, y in zip(col(a), col(b))]  # noqa: E731
    out = {}                     # columns, made into one frame at the end (a column added at a time costs ~0.1 ms)
    expected_all = col("expected_centre").fillna(0) + col("expected_town").fillna(0) + col("expected_village").fillna(0)
    out["expected"] = expected_all
    out["expected_town"], out["expected_village"] = col("expected_town"), col("expected_village")
    for suffix in ("", "_prev", "_ly"):
        out["network_built" + suffix] = col("built" + suffix)
        out["coverage" + suffix] = [ratio(b, e) for b, e in zip(col("built" + suffix), expected_all)]
        out["network_town_coverage" + suffix] = r("built_town" + suffix, "expected_town")
        out["network_village_coverage" + suffix] = r("built_village" + suffix, "expected_village")
        out["network_running" + suffix] = r("active" + suffix, "built" + suffix)
        out["network_items" + suffix] = col("items" + suffix).fillna(0)
        out["network_visits" + suffix] = col("visits" + suffix).fillna(0)
    out["five_have"] = r("five_ok", "built")
    out["network_model_share"] = r("model_or_benchmark", "built")
    out["network_red"] = col("red")
    out["network_yibu"] = r("yibu_yizhan", "built_town")
    staff = col("staff_full").fillna(0) + col("staff_part").fillna(0)
    out["staff"] = staff
    out["network_staff"] = [ratio(s, b, 1.0) for s, b in zip(staff, col("built"))]
    out["network_certified"] = [ratio(c, s) for c, s in zip(col("staff_certified"), staff)]
    out["network_objects"] = r("objects_village", "built_village", 1.0)
    out["objects_town_avg"] = r("objects_town", "built_town", 1.0)
    out["idle"] = col("built").fillna(0) - col("active").fillna(0)
    return pd.DataFrame(out, index=df.index)


def _kpis(ctx: AppContext, me: pd.Series, units_me: pd.Series, village: bool) -> list[Kpi]:
    out = []
    for ind in INDICATORS:
        if village and ind.id not in VILLAGE_KPIS:
            continue
        value = _num(me.get(ind.id))
        prev, ly = _num(me.get(f"{ind.id}_prev")), _num(me.get(f"{ind.id}_ly"))
        out.append(make_kpi(ind, ctx.thresholds, value, prev, ly, _note(ind.id, me, units_me)))
    return out


def network_values(ctx: AppContext, region: Region, period: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every 服务网络 indicator for the region and its children (index 12-digit code), and the unit counts."""
    units = q.network_units(ctx.db, ctx.scope, region.code, period)
    expected = q.network_expected(ctx.db, ctx.scope, region.code)
    activity = q.network_activity(ctx.db, ctx.scope, region.code, period)
    return indicator_values(units, expected, activity), units


def _note(ind_id: str, me: pd.Series, u: pd.Series) -> str | None:
    n = lambda v: labels.fmt_int(_num(v))  # noqa: E731
    if ind_id == "network_built":
        gap = max(0.0, (_num(me["expected"]) or 0) - (_num(me["network_built"]) or 0))
        return f"应建 {n(me['expected'])} 个，缺口 {n(gap)} 个"
    if ind_id == "coverage":
        return f"中心 {n(u.get('built_centre'))} · 乡镇站 {n(u.get('built_town'))} · 村站 {n(u.get('built_village'))}"
    if ind_id == "network_town_coverage":
        return f"已建 {n(u.get('built_town'))} / 应建 {n(me['expected_town'])}"
    if ind_id == "network_village_coverage":
        return f"已建 {n(u.get('built_village'))} / 应建 {n(me['expected_village'])}"
    if ind_id == "network_running":
        return f"挂牌未运行 {n(me['idle'])} 个"
    if ind_id == "five_have":
        return f"五项全达标 {n(u.get('five_ok'))} 个"
    if ind_id == "network_model_share":
        return f"示范 {n(u.get('model_total'))} · 标杆 {n(u.get('benchmark'))}"
    if ind_id == "network_yibu":
        return f"{n(u.get('yibu_yizhan'))} / {n(u.get('built_town'))} 个乡镇站"
    if ind_id == "network_staff":
        return f"专职 {n(u.get('staff_full'))} 人 · 兼职 {n(u.get('staff_part'))} 人"
    if ind_id == "network_certified":
        return f"持证 {n(u.get('staff_certified'))} 人"
    if ind_id == "network_objects":
        town = _num(me.get("objects_town_avg"))
        return None if town is None else f"乡镇站平均 {labels.fmt_int(town)} 人"
    return None


def _table_rows(regions: list[Region], units: pd.DataFrame) -> list[dict]:
    """五有 and grade counts per region (children, or the region itself for the total row)."""
    by_code = units.set_index("region_code") if not units.empty else pd.DataFrame()
    rows = []
    for region in regions:
        u = by_code.loc[region.code] if region.code in by_code.index else pd.Series(dtype=float)
        get = lambda k: int(_num(u.get(k)) or 0)  # noqa: E731
        built = get("built")
        row = {"code": region.short, "name": region.name, "built": built}
        for key, _label in FIVE_ITEMS + [("five_ok", "五项全达标")]:
            row[key] = get(key)
            row[key + "_pct"] = ratio(row[key], built)
        for key in ("model_national", "model_province", "model_city", "model_county", "model_total",
                    "benchmark", "model_or_benchmark", "red", "yibu_yizhan", "built_town", "idle"):
            row[key] = get(key) if key != "idle" else built - get("active")
        row["model_share"] = ratio(row["model_or_benchmark"], built)
        row["yibu_pct"] = ratio(row["yibu_yizhan"], row["built_town"])
        rows.append(row)
    return rows


def _idle_list(ctx: AppContext, idle: pd.DataFrame, end: date) -> pd.DataFrame:
    """Names of county / township / village from the in-memory tree; days since the last record."""
    tree = ctx.tree
    rows = []
    for rec in idle.to_dict("records"):
        code = rec["region_code"]
        name_at = lambda n: (tree.get(code12(code[:n])) or None) if len(code) >= n else None  # noqa: E731
        county, town = name_at(6), name_at(9)
        level = int(rec["level"])
        last = int(rec["last_day"] or 0)
        last_date = from_day_key(last) if last else None
        founded = from_day_key(int(rec["founded_day"]))
        rows.append({
            "station": rec["name"], "level": UNIT_LEVELS.get(level, str(level)),
            "county": county.name if county and level >= 3 else "—",
            "township": town.name if town and level >= 4 else "—",
            "village": (tree.get(code).name if tree.get(code) else "—") if level == 5 else "—",
            "founded": labels.fmt_date(founded),
            "last": labels.fmt_date(last_date) if last_date else "从未",
            "days": (end - last_date).days if last_date else None,
            "days_founded": (end - founded).days,
        })
    return pd.DataFrame(rows, columns=["station", "level", "county", "township", "village", "founded", "last",
                                       "days", "days_founded"])


def _trend(ctx: AppContext, region: Region, period: Period) -> tuple[pd.DataFrame, str | None]:
    """36 months of 办件量 / 走访人次 and the active share (stations with a record ÷ built at the month's
    end) for any region: both series come from roll_activity_month (36 rows each)."""
    months = q.trend_months(period)
    trend = q.network_trend(ctx.db, ctx.scope, region.code, period).set_index("month")
    founded = q.network_founded(ctx.db, ctx.scope, region.code, period).set_index("month")["founded"]
    built = [int(founded[founded.index <= m].sum()) for m in months]
    frame = pd.DataFrame({"month": months, "label": [labels.fmt_month(m) for m in months]})
    for col in ("items", "visits", "records"):
        frame[col] = trend[col].reindex(months).fillna(0).to_numpy() if col in trend else 0
    frame["built"] = built
    active = q.network_active_months(ctx.db, ctx.scope, region.code, period).set_index("month")["active_units"]
    frame["active_units"] = active.reindex(months).fillna(0).astype(int).to_numpy()
    frame["active_share"] = [ratio(a, b) for a, b in zip(frame["active_units"], frame["built"])]
    return frame, None


def build_network(ctx: AppContext, region_code: str | None, period_key: str | None,
                  metric_id: str | None) -> NetworkModel:
    """Raises RegionCodeError / OutOfScope / PeriodError (Chinese messages) for bad URL state."""
    tree, scope = ctx.tree, ctx.scope
    region = tree.resolve(region_code)
    period = Period.parse(period_key, ctx.as_of)
    metric = BY_ID.get(metric_id if metric_id in MAP_METRICS else DEFAULT_METRIC)

    values, units = network_values(ctx, region, period)
    me = values.loc[region.code]
    units_me = units.set_index("region_code").loc[region.code]
    kids = tree.children(region.code)

    column = values[metric.id] if metric.id in values else pd.Series(dtype=float)
    children = children_frame(kids, column.to_dict(), lambda v: format_value(metric, v),
                              lambda v: evaluate(metric, v, ctx.thresholds).key)
    children = quality_marks.apply(ctx, region, None, children, metric.id)[1]     # findings turn figures grey
    rows = _table_rows(kids, units)
    total = _table_rows([region], units)[0] | {"name": "合计"}
    idle_total = int(me["idle"])
    idle = _idle_list(ctx, q.network_idle(ctx.db, scope, region.code, period), period.last_day)
    idle_by_child = pd.DataFrame([{"code": r["code"], "name": r["name"], "idle": r["idle"], "built": r["built"]}
                                  for r in rows], columns=["code", "name", "idle", "built"])
    built = int(_num(units_me.get("built")) or 0)
    trend, trend_note = _trend(ctx, region, period)
    station = None
    if region.level == 5 or not kids:
        card = station_card(ctx.db, scope, region.code, period)
        station = card.iloc[0].to_dict() if len(card) else {}
    return NetworkModel(
        region=region, lineage=tree.lineage(region.code), period=period, metric=metric,
        kpis=quality_marks.apply(ctx, region, apply_coverage(_kpis(ctx, me, units_me, village=region.level == 5),
                                                             ctx.coverage, period))[0],
        children=children,
        five_rows=rows, five_total=total, grade_rows=rows, grade_total=total,
        idle=idle, idle_total=idle_total, idle_by_child=idle_by_child, trend=trend, trend_note=trend_note,
        built=built, expected=int(me["expected"]), station=station)
