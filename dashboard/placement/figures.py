"""Pure figure builders for the 安置就业 page: plain data in, a plotly figure as a plain dict out.

Plain dicts (no graph_objects) for the same reason as dashboard/figures.py: no per-property validation."""
from __future__ import annotations

import pandas as pd

from config.thresholds import STATUS_COLORS
from dashboard.figures import base_layout, empty_figure

MODE_COLORS = {"转业": "#1f5fa5", "安排工作": "#3f8fd2", "自主就业": "#2e9d5b", "逐月领取退役金": "#e0a100",
               "退休": "#8e6bbf", "供养": "#c0392b", "复员": "#7f8c8d"}
DEST_COLORS = {"党政机关": "#b03a2e", "事业单位": "#1f5fa5", "央企": "#d68910", "地方国企": "#f5b041",
               "其他": "#95a5a6"}
COHORT_COLORS = ("#d64541", "#1f5fa5")        # last year's cohort (the 清零 target), this year's
GRID = "#e9ecef"
LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0, "font": {"size": 12}}


def _layout(height: int, title: str, **extra) -> dict:
    layout = base_layout(height, title, legend=dict(LEGEND), showlegend=True)
    layout["margin"] = {"l": 10, "r": 10, "t": 44, "b": 10}
    layout.update(extra)
    return layout


def _fig(data: list, layout: dict) -> dict:
    """Every axis makes room for its tick labels (plotly.py's default template did this for go.Figure)."""
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")):
            axis.setdefault("automargin", True)
    for key in ("xaxis", "yaxis"):
        layout.setdefault(key, {"automargin": True})
    return {"data": data, "layout": layout}


def batch_labels(year: int, years: int) -> list[str]:
    return [f"{y}{s}" for y in range(year - years + 1, year + 1) for s in ("春", "秋")]


def _integer_ticks(axis: dict, top) -> dict:
    """People are whole: small counts get a tick per person instead of 0.2-steps rounded to 0, 0, 1."""
    if top is not None and top == top and top <= 6:
        axis.update(dtick=1, range=[0, max(1, top) * 1.1])
    return axis


def mix_figure(mix: pd.DataFrame, year: int, years: int, region_name: str, height: int = 380) -> dict:
    """Stacked bars per discharge batch (year × 春季/秋季): left by mode, right (转业+安排工作) by destination."""
    title = f"安置方式与去向 · {region_name} · 近{years}年各批次（人）"
    if mix.empty:
        return empty_figure(f"{region_name}近{years}年暂无安置记录", height)
    data = mix.assign(batch=mix["cohort_year"].astype(int).astype(str) + mix["cohort_season"].str[0])
    batches = batch_labels(year, years)
    traces = []
    by_mode = data.groupby(["batch", "mode"])["placements"].sum()
    for mode, color in MODE_COLORS.items():
        y = [int(by_mode.get((b, mode), 0)) for b in batches]
        if any(y):
            traces.append({"type": "bar", "x": batches, "y": y, "name": mode, "marker": {"color": color},
                           "legendgroup": "mode", "legendgrouptitle": {"text": "安置方式"}, "xaxis": "x", "yaxis": "y",
                           "hovertemplate": f"%{{x}} {mode}：%{{y:,}}人<extra></extra>"})
    placed = data[data["destination"].notna()]
    by_dest = placed.groupby(["batch", "destination"])["placements"].sum()
    for dest, color in DEST_COLORS.items():
        y = [int(by_dest.get((b, dest), 0)) for b in batches]
        if any(y):
            traces.append({"type": "bar", "x": batches, "y": y, "name": dest,
                           "marker": {"color": color, "pattern": {"shape": "/"}}, "legendgroup": "dest",
                           "legendgrouptitle": {"text": "转业、安排工作去向"}, "xaxis": "x2", "yaxis": "y2",
                           "hovertemplate": f"%{{x}} {dest}：%{{y:,}}人<extra></extra>"})
    top = data.groupby("batch")["placements"].sum().max()
    xaxis = {"type": "category", "categoryorder": "array", "categoryarray": batches, "tickfont": {"size": 12}}
    yaxis = {"title": {"text": "人"}, "gridcolor": GRID, "rangemode": "tozero", "tickformat": ",d"}
    layout = _layout(height, title, barmode="stack",
                     xaxis={**xaxis, "domain": [0, 0.5], "anchor": "y"},
                     xaxis2={**xaxis, "domain": [0.57, 1.0], "anchor": "y2"},
                     yaxis=_integer_ticks({**yaxis, "anchor": "x"}, top),
                     yaxis2=_integer_ticks({**yaxis, "anchor": "x2"}, top),
                     legend={"orientation": "v", "yanchor": "top", "y": 1.0, "xanchor": "left", "x": 1.01,
                             "font": {"size": 12}, "groupclick": "toggleitem", "tracegroupgap": 8})
    return _fig(traces, layout)


def clear_figure(weekly: pd.DataFrame, year: int, pace_of, height: int = 380) -> dict:
    """待就业 at each week's end: last year's cohort (清零 target, with the straight 序时 line) and this year's."""
    title = f"就业“清零”周进度 · {year}年（待就业人数，人）"
    if weekly.empty or not weekly["level"].any():
        return empty_figure("本年度暂无待就业记录（无需清零或尚无一人一档数据）", height)
    traces = []
    target = weekly[weekly["cohort"] == year - 1]
    labels = list(target["label"])
    for cohort, color in zip((year - 1, year), COHORT_COLORS):
        part = weekly[weekly["cohort"] == cohort]
        name = f"{cohort}年退役" + ("（清零对象）" if cohort == year - 1 else "")
        dates = [f"{d.month}月{d.day}日" for d in part["sunday"]]
        traces.append({"type": "scatter", "x": labels, "y": [float(v) for v in part["level"]], "mode": "lines+markers",
                       "name": name, "line": {"color": color, "width": 3}, "marker": {"size": 5}, "customdata": dates,
                       "hovertemplate": "%{x}（截至%{customdata}）：%{y:,.0f}人<extra>" + name + "</extra>"})
    baseline = float(target["level"].iloc[0]) if len(target) else 0.0    # the 年初 point: L_0
    if baseline:
        ideal = [baseline if d.year < year else max(0.0, baseline * (1 - pace_of(d) / 100))
                 for d in target["sunday"]]
        traces.append({"type": "scatter", "x": labels, "y": ideal, "mode": "lines", "name": "序时目标（年底清零）",
                       "line": {"color": "#6c757d", "dash": "dash", "width": 2},
                       "hovertemplate": "%{x} 序时目标：%{y:,.1f}人<extra></extra>"})
    layout = _layout(height, title, xaxis={"type": "category", "nticks": 14, "tickfont": {"size": 12}},
                     yaxis=_integer_ticks({"title": {"text": "人"}, "gridcolor": GRID, "rangemode": "tozero",
                                           "tickformat": ",d"}, weekly["level"].max()))
    layout["margin"] = {"l": 10, "r": 10, "t": 70, "b": 10}
    layout["legend"].update(y=1.01, x=0.0, xanchor="left")
    return _fig(traces, layout)


def cohort_rate_figure(cohorts: pd.DataFrame, as_of_text: str, height: int = 360) -> dict:
    """E1 by discharge year, each cohort at the same age; bars colored by the 就业率 thresholds."""
    title = f"各退役年度就业率（是否在改善）· 均取退役次年{as_of_text}状态"
    if cohorts.empty or cohorts["rate"].isna().all():
        return empty_figure("近几年暂无自主就业退役士兵就业记录", height)
    data = cohorts.assign(y=cohorts["rate"].fillna(0))
    trace = {"type": "bar", "x": list(data["label"]), "y": [float(v) for v in data["y"]], "text": list(data["text"]),
             "textposition": "outside", "cliponaxis": False,
             "marker": {"color": [STATUS_COLORS[s] for s in data["status"]]},
             "customdata": data[["cohort_size", "waiting"]].astype(float).values.tolist(),
             "hovertemplate": "%{x}：就业率 %{text}<br>自主就业 %{customdata[0]:,}人，待就业 %{customdata[1]:,}人<extra></extra>"}
    layout = _layout(height, title, showlegend=False,
                     yaxis={"range": [0, 110], "ticksuffix": "%", "gridcolor": GRID, "title": {"text": "就业率"}},
                     xaxis={"type": "category", "tickfont": {"size": 13}})
    return _fig([trace], layout)


def service_figure(service: dict, pace: float, status_all: str, height: int = 360) -> dict:
    """"311" per component: share of 服务对象 who got ≥3 referrals, ≥1 guidance, ≥1 training notice, all three."""
    served = service.get("served") or 0
    title = f"“311”服务完成情况（年累计，服务对象 {int(served):,}人）"
    if not served:
        return empty_figure("暂无“311”服务对象", height)
    rows = [("三项全部完成", "all_ok"), ("技能培训信息 ≥1次", "info_ok"), ("职业指导 ≥1次", "guide_ok"),
            ("岗位推荐 ≥3次", "ref_ok")]
    values = [float(service.get(k) or 0) / served * 100 for _, k in rows]
    trace = {"type": "bar", "orientation": "h", "x": values, "y": [name for name, _ in rows],
             "marker": {"color": [STATUS_COLORS[status_all]] + ["#3f8fd2"] * 3},
             "text": [f"{v:.1f}%" for v in values], "textposition": "outside", "cliponaxis": False,
             "customdata": [int(service.get(k) or 0) for _, k in rows],
             "hovertemplate": "%{y}：%{customdata:,}人，%{text}<extra></extra>"}
    layout = _layout(height, title, showlegend=False,
                     xaxis={"range": [0, 110], "ticksuffix": "%", "gridcolor": GRID},
                     yaxis={"automargin": True, "tickfont": {"size": 14}},
                     shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": pace, "x1": pace, "y0": 0, "y1": 1,
                              "line": {"dash": "dash", "color": "#495057"}}],
                     annotations=[{"x": pace, "y": 1, "xref": "x", "yref": "paper", "yanchor": "bottom",
                                   "showarrow": False, "text": f"序时进度 {pace:.1f}%"}])
    layout["margin"] = {"l": 10, "r": 40, "t": 56, "b": 10}
    return _fig([trace], layout)
