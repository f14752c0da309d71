"""Each desk page's tables for Excel, taken from the page's own model (the same numbers as on screen).

A function here takes (ctx, region, period, metric) — the URL state, already checked by the route —
builds the page model through dashboard.cache.cached_model exactly as the page does, and returns a
PageTables: the region and period the model resolved, and the tables as xlsx.Table.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import labels
from dashboard.cache import cached_model
from dashboard.exports.xlsx import Table


@dataclass
class PageTables:
    source: str                 # the page's Chinese name (资金发放)
    region_name: str
    period_label: str
    tables: list[Table]
    file_stem: str = ""         # e.g. "郴州市_资金发放_2026年11月"


def _num(v):
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def kpi_table(kpis, name: str = "主要指标") -> Table:
    """One row per KPI card: value, 红黄绿, previous period, same period last year, 口径."""
    rows = []
    for k in kpis:
        ind = k.indicator
        has_target = getattr(k, "has_threshold", True)
        rows.append({"指标": ind.name, "编号": ind.code, "类型": ind.kind, "单位": ind.unit,
                     "本期": _num(k.value), "状态": k.status if has_target else "",
                     "上期": _num(k.prev), "去年同期": _num(k.last_year),
                     "说明": _kpi_note(k), "口径": ind.formula})
    frame = pd.DataFrame(rows, columns=["指标", "编号", "类型", "单位", "本期", "状态", "上期", "去年同期", "说明", "口径"])
    return Table(name, frame, status_column="状态", unit_column="单位")


def _kpi_note(k) -> str:
    """What the card says besides the number: a stand-in period, why 数据异常 / —, the card's note."""
    label = getattr(k, "value_label", None)
    parts = [f"数值为{label}" if label else "", getattr(k, "reason", None) or "", k.note or ""]
    return "；".join(p for p in parts if p)


def children_table(children: pd.DataFrame, metric, level_name: str, name: str | None = None,
                   highlight_code: str | None = None) -> Table:
    """The drill panel's rows: 区划代码, 名称, the metric's value, 状态 (the same colours as the bars)."""
    value_col = metric.name
    frame = pd.DataFrame({
        "区划代码": children["short"].astype(str) if len(children) else [],
        "名称": children["name"] if len(children) else [],
        value_col: [_num(v) for v in children["value"]] if len(children) else [],
        "状态": children["status"] if len(children) else [],
        "说明": [t if _num(v) is None else "" for v, t in zip(children["value"], children["text"])]
        if len(children) else [],
    })
    highlight = None
    if highlight_code is not None and len(children):
        hits = [i for i, c in enumerate(children["short"]) if c == highlight_code]
        highlight = hits[0] if hits else None
    return Table(name or f"各{level_name}{metric.name}", frame, units={value_col: metric.unit},
                 status_column="状态", highlight=highlight,
                 title=f"{metric.name} · 各{level_name}", note=f"口径：{metric.formula}")


def _state(model) -> tuple[str, str]:
    return model.region.name, model.period.label


def _stem(region_name: str, source: str, period_label: str) -> str:
    return f"{region_name}_{source}_{period_label}"


def _level_name(model) -> str:
    from dashboard.components.drill import child_level_name
    return child_level_name(model.region.level) or "下级区划"


def _pack(source: str, model, tables: list[Table]) -> PageTables:
    region_name, period_label = _state(model)
    return PageTables(source, region_name, period_label, tables, _stem(region_name, source, period_label))


# ------------------------------------------------------------------------------------------- pages
def overview_tables(ctx, region, period, metric) -> PageTables:
    from dashboard.overview_model import build_overview
    model = cached_model("overview", build_overview, ctx, region, period, metric)
    tables = [kpi_table(model.kpis)]
    if not model.children.empty:
        tables.append(children_table(model.children, model.metric, _level_name(model)))
    trend = model.trend
    if len(trend):
        wide = trend.pivot_table(index="month", columns="series", values="value", aggfunc="first")
        wide = wide.reindex(model.trend_months)
        wide.insert(0, "月份", [labels.fmt_month(int(m)) for m in wide.index])
        tables.append(Table("近36个月趋势", wide.reset_index(drop=True), title=f"{model.region.name} 近36个月趋势"))
    return _pack("总览", model, tables)


def network_tables(ctx, region, period, metric) -> PageTables:
    from dashboard.network.model import FIVE_ITEMS, build_network
    model = cached_model("network", build_network, ctx, region, period, metric)
    level = _level_name(model)
    tables = [kpi_table(model.kpis)]
    if not model.children.empty:
        tables.append(children_table(model.children, model.metric, level))
    if model.five_rows:
        rows = model.five_rows + [model.five_total]
        five = pd.DataFrame({level: [r["name"] for r in rows], "已建": [r["built"] for r in rows]})
        for key, label in FIVE_ITEMS + [("five_ok", "五项全达标")]:
            five[f"{label}(站)"] = [r[key] for r in rows]
            five[f"{label}占比"] = [_num(r[key + "_pct"]) for r in rows]
        units = {c: "%" for c in five.columns if c.endswith("占比")}
        tables.append(Table("五有达标情况", five, units=units, highlight=len(rows) - 1,
                            title="“五有”达标情况（占已建中心(站)比例）"))
        grade = pd.DataFrame({level: [r["name"] for r in rows],
                              "国家级示范": [r["model_national"] for r in rows],
                              "省级示范": [r["model_province"] for r in rows],
                              "市级示范": [r["model_city"] for r in rows],
                              "县级示范": [r["model_county"] for r in rows],
                              "标杆型": [r["benchmark"] for r in rows],
                              "示范/标杆占比": [_num(r["model_share"]) for r in rows],
                              "红色站": [r["red"] for r in rows],
                              "一部一站(已融合)": [r["yibu_yizhan"] for r in rows],
                              "乡镇站": [r["built_town"] for r in rows],
                              "一部一站融合率": [_num(r["yibu_pct"]) for r in rows]})
        tables.append(Table("创建等级与一部一站", grade, units={"示范/标杆占比": "%", "一部一站融合率": "%"},
                            highlight=len(rows) - 1, title="创建等级与“一部一站”"))
    if len(model.idle):
        idle = model.idle.rename(columns={"station": "站点名称", "level": "层级", "county": "县(市、区)",
                                          "township": "乡镇(街道)", "village": "村(社区)", "founded": "建成挂牌",
                                          "last": "最近服务", "days": "未服务天数"})
        idle = idle[[c for c in ("站点名称", "层级", "县(市、区)", "乡镇(街道)", "村(社区)", "建成挂牌", "最近服务",
                                 "未服务天数") if c in idle.columns]]
        note = (f"共 {model.idle_total:,} 个，导出前 {len(idle):,} 个（与页面相同），其余请下钻到下级导出。"
                if model.idle_total > len(idle) else f"共 {model.idle_total:,} 个。")
        tables.append(Table("挂牌未运行站点", idle, units={"未服务天数": "天"}, note=note,
                            title="挂牌未运行：近30日无服务记录的中心(站)"))
    return _pack("服务网络", model, tables)


def placement_tables(ctx, region, period, metric) -> PageTables:
    from dashboard.placement.model import build_placement
    model = cached_model("placement", build_placement, ctx, region, period, metric)
    tables = [kpi_table(model.kpis)]
    if not model.children.empty and model.region.level < 5:
        tables.append(children_table(model.children, model.metric, _level_name(model)))
    if len(model.cohorts):
        cohorts = pd.DataFrame({"退役年度": model.cohorts["label"], "就业率": [_num(v) for v in model.cohorts["rate"]],
                                "状态": model.cohorts["status"], "自主就业人数": model.cohorts["cohort_size"],
                                "待就业": model.cohorts["waiting"]})
        tables.append(Table("各年度就业率", cohorts, units={"就业率": "%", "自主就业人数": "人", "待就业": "人"},
                            status_column="状态"))
    if len(model.mix):
        mix = model.mix.rename(columns={"cohort_year": "退役年度", "cohort_season": "批次", "mode": "安置方式",
                                        "destination": "去向", "placements": "人数"})
        tables.append(Table("安置方式与去向", mix, units={"人数": "人"}, title=f"安置方式与去向（{model.mix_region_name}）"))
    village = getattr(model, "village", None)
    if village and village.get("table"):
        frame = pd.DataFrame(village["table"]).rename(columns={"cohort": "退役年度", "total": "人数"})
        tables.append(Table("本村就业状态", frame))
        if village.get("waiting"):
            waiting = pd.DataFrame(village["waiting"]).rename(columns={
                "id": "编号", "cohort": "退役年度", "since": "待就业起始", "hardship": "就业困难", "services": "本年311服务"})
            tables.append(Table("待就业清单", waiting, note="编号已脱敏。"))
    return _pack("安置就业", model, tables)


def funds_tables(ctx, region, period, metric) -> PageTables:
    from dashboard.catalogue import evaluate
    from dashboard.funds.model import ANOMALY_RATE, NEUTRAL, build_funds_model
    model = cached_model("funds", build_funds_model, ctx, region, period, metric)
    kpis = kpi_table(model.kpis)
    kpis.frame.loc[[k.indicator.id in NEUTRAL for k in model.kpis], "状态"] = ""   # no target: no colour
    tables = [kpis]
    if not model.children.empty:
        tables.append(children_table(model.children, model.metric, _level_name(model)))
    kinds = model.kind_table
    if len(kinds):
        cols = [c for c in kinds.columns if c not in ("code", "short")]
        frame = kinds[cols].rename(columns={"name": "区划"})
        for c in frame.columns[1:]:
            frame[c] = [None if _num(v) is None else _num(v) / 1e4 for v in frame[c]]
        tables.append(Table("各类资金发放额", frame, units={c: "万元" for c in frame.columns[1:]}, highlight=0,
                            title=f"各类资金发放额 · {model.period.label}（万元）"))
    audit = model.anomaly_table
    if len(audit):
        check_labels = [c.label for c in model.audit.checks]
        frame = audit[["name"] + check_labels + ["合计", "每千笔"]].rename(columns={"name": "区划"})
        frame = frame.assign(状态=[evaluate(ANOMALY_RATE, _num(r), ctx.thresholds).key if _num(r) is not None
                                 else "" for r in frame["每千笔"]])
        frame["每千笔"] = [_num(v) for v in frame["每千笔"]]
        units = {**{c: "条" for c in check_labels + ["合计"]}, "每千笔": "条/千笔"}
        tables.append(Table("审计异常线索", frame, units=units, status_column="状态",
                            highlight=len(frame) - 1 if len(frame) > 1 else None,
                            title=f"审计异常线索（{model.ytd_label}）",
                            note=" ".join(f"{c.label}：{c.rule}" for c in model.audit.checks)))
    for check in model.audit.checks:
        rows = check.rows
        if check.total and len(rows):
            money = {c: "元" for c in rows.columns if "(元)" in c}
            shown = (f"共 {check.total} 条，涉及实发 {labels.fmt_yuan(check.amount)}"
                     + (f"；导出最近 {len(rows)} 条（与页面相同）" if check.total > len(rows) else "") + "。编号已脱敏。")
            tables.append(Table(f"异常-{check.label}", rows.reset_index(drop=True), units=money, note=shown,
                                title=f"审计异常线索 · {check.label}"))
    return _pack("资金发放", model, tables)


def petitions_tables(ctx, region, period, metric) -> PageTables:
    from dashboard.petitions.model import build_petitions_model
    model = cached_model("petitions", build_petitions_model, ctx, region, period, metric)
    tables = [kpi_table(model.volume_kpis, "信访量指标"), kpi_table(model.handling_kpis, "办理指标")]
    if not model.children.empty and model.region.level < 5:
        tables.append(children_table(model.children, model.metric, _level_name(model)))
    for frame, name in ((model.hot_towns, "热点乡镇"), (model.hot_villages, "热点村")):
        if len(frame):
            hot = pd.DataFrame({"名称": frame["name"], "每万名退役军人信访量": [_num(v) for v in frame["value"]],
                                "状态": frame["status"], "信访件数": frame["received"], "退役军人数": frame["veterans"]})
            tables.append(Table(name, hot, units={"每万名退役军人信访量": "件/万人", "信访件数": "件", "退役军人数": "人"},
                                status_column="状态"))
    if model.spikes:
        spikes = pd.DataFrame([{"县(市、区)": s["county"], "乡镇(街道)": s["name"], "本周件数": s["this_week"],
                                "前4周周均": s["avg_4w"], "倍数": s["ratio"]} for s in model.spikes])
        tables.append(Table("信访异动", spikes, units={"本周件数": "件", "前4周周均": "0.00", "倍数": "0.0"},
                            title=f"信访异动 · {model.spike_week.label}"))
    overdue = pd.DataFrame(model.overdue, columns=["id", "received_day", "place", "category", "channel",
                                                   "days_overdue", "extended"])
    if len(overdue):
        overdue["received_day"] = [f"{d // 10000}年{d // 100 % 100}月{d % 100}日" for d in overdue["received_day"]]
    overdue.columns = ["编号", "收到日期", "乡镇 · 村(社区)", "问题类别", "渠道", "超期天数", "已延期"]
    end = model.period.last_day
    note = f"截至{end.month}月{end.day}日共 {model.overdue_total} 件" + (
        f"，导出超期最久的 {len(overdue)} 件（与页面相同）" if model.overdue_total > len(overdue) else "") + "；编号已脱敏。"
    tables.append(Table("超期未办结信访件", overdue, units={"超期天数": "天"}, note=note))
    return _pack("信访热点", model, tables)


def rankings_tables(ctx, region, period, metric) -> PageTables:
    """The whole ranking (not only the rows the page lists) and every indicator's value per unit."""
    from dashboard.rankings.build import build_rankings
    view = cached_model("rankings", build_rankings, ctx, region, period, metric, None)
    level = _level_name(view)
    rows = view.rows
    ranking = pd.DataFrame({
        "名次": [r.rank for r in rows], "并列": ["是" if r.tied else "" for r in rows],
        level: [r.unit.name for r in rows], view.metric.name: [_num(r.value) for r in rows],
        "状态": [r.status for r in rows], "名次变化": [r.change_text for r in rows],
        "与上一名差距": [r.gap_text for r in rows], "说明": [r.reason or r.note for r in rows]})
    tables = [Table(f"排名-{view.metric.name}", ranking, units={view.metric.name: view.metric.unit},
                    status_column="状态", title=f"{view.region.name} · 各{level}排名 · {view.metric.name}",
                    note=f"口径：{view.metric.formula}")]
    by_metric = view.standing.by_metric
    offered = [i for i in view.standing.offered if i.id in by_metric]
    if offered:
        names = {r.unit.code: r.unit.name for r in rows}
        values = {i.id: {r.unit.code: _num(r.value) for r in by_metric[i.id]} for i in offered}
        ranks = {i.id: {r.unit.code: r.rank for r in by_metric[i.id]} for i in offered}
        frame = pd.DataFrame({level: list(names.values())})
        for ind in offered:
            frame[ind.name] = [values[ind.id].get(c) for c in names]
            frame[f"{ind.name}名次"] = [ranks[ind.id].get(c) for c in names]
        tables.append(Table("各指标数值与名次", frame, units={i.name: i.unit for i in offered},
                            title=f"{view.region.name} · 各{level}各项指标"))
    return _pack("排名", view, tables)


def yearly_tables(ctx, region, period, metric) -> PageTables:
    from dashboard.yearly_model import build_yearly
    model = cached_model("yearly", build_yearly, ctx, region, period)
    figs = list(model.figures.values())
    frame = pd.DataFrame({"项目": [f.name for f in figs], "数值": [f.value for f in figs],
                          "单位": [f.unit for f in figs], "口径": [f.formula for f in figs]})
    tables = [Table("年度工作数据", frame, unit_column="单位", title=model.title, note=model.sentence)]
    if model.children is not None and len(model.children):
        units = {f.name: f.unit for f in figs}
        tables.append(Table("各县(市、区)情况", model.children, units=units,
                            title=f"{model.title} · 各县(市、区)"))
    return PageTables("年度工作情况", model.region.name, model.year_label, tables,
                      _stem(model.region.name, "年度工作情况", model.year_label))


PAGES = {
    "overview": overview_tables,
    "network": network_tables,
    "placement": placement_tables,
    "funds": funds_tables,
    "petitions": petitions_tables,
    "rankings": rankings_tables,
    "yearly": yearly_tables,
}
