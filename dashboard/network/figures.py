"""Figures only the 服务网络 page uses: 挂牌未运行 per child, monthly activity with the active share.

Plain-dict figures (no graph_objects validation), like dashboard/figures.py."""
from __future__ import annotations

import pandas as pd

from config.thresholds import STATUS_COLORS
from dashboard.figures import base_layout, empty_figure

GRID = "#e9ecef"


def _layout(height: int, title: str, **extra) -> dict:
    layout = base_layout(height, title, **extra)
    layout["margin"] = {"l": 10, "r": 50, "t": 44, "b": 10}
    return layout


def idle_bars(df: pd.DataFrame, title: str, height: int | None = None) -> dict:
    """Horizontal bars: stations signposted but inactive, per child (most at top). Click → drill down.

    df: code, name, idle, built. customdata[0] is the code, as the app's drill callback expects.
    """
    if df.empty:
        return empty_figure("无下级区划")
    if not df["built"].any():
        return empty_figure("下级区划尚未建站")
    data = df.sort_values(["idle", "code"], ascending=[True, False])
    share = [f"{i:,}个（占已建{i / b * 100:.1f}%）" if b else "未建站" for i, b in zip(data["idle"], data["built"])]
    height = height or min(max(300, 24 * len(data) + 90), 620)
    idle = [int(i) for i in data["idle"]]
    trace = {"type": "bar", "orientation": "h", "x": idle, "y": list(data["name"]), "text": [f"{i:,}" for i in idle],
             "textposition": "outside", "cliponaxis": False,
             "marker": {"color": [STATUS_COLORS["red"] if i else STATUS_COLORS["green"] for i in idle]},
             "customdata": [list(t) for t in zip(data["code"], data["name"], share)],
             "hovertemplate": "<b>%{customdata[1]}</b><br>挂牌未运行 %{customdata[2]}<br>点击下钻<extra></extra>"}
    xaxis = {"title": {"text": "个"}, "rangemode": "tozero", "showgrid": True, "gridcolor": GRID, "tickformat": ",d",
             "automargin": True}
    if max(idle) <= 8:
        xaxis["dtick"] = 1                                    # whole stations: no 0.5 ticks
    return {"data": [trace], "layout": _layout(height, title, clickmode="event", xaxis=xaxis,
                                               yaxis={"automargin": True, "tickmode": "linear", "dtick": 1,
                                                      "tickfont": {"size": 14}})}


def activity_trend(trend: pd.DataFrame, title: str, height: int = 330) -> dict:
    """Monthly 办件量 (bars) and 走访慰问人次 (line), with the share of stations active that month (%)."""
    if trend.empty or not (trend["items"].sum() or trend["built"].sum()):
        return empty_figure("暂无服务记录", height)
    big = trend["items"].max() >= 1e5                     # scale to 万件 ourselves (no k/M on the axis)
    scale, unit = (1e4, "万件 / 万人次") if big else (1, "件 / 人次")
    x = list(trend["label"])
    traces = [
        {"type": "bar", "x": x, "y": [float(v) / scale for v in trend["items"]], "name": "办件量",
         "marker": {"color": "#3b6ea5"}, "opacity": 0.85, "customdata": [float(v) for v in trend["items"]],
         "hovertemplate": "%{x}<br>办件量 %{customdata:,.0f} 件<extra></extra>"},
        {"type": "scatter", "x": x, "y": [float(v) / scale for v in trend["visits"]], "name": "走访慰问人次",
         "mode": "lines", "line": {"color": "#16a085", "width": 2}, "customdata": [float(v) for v in trend["visits"]],
         "hovertemplate": "%{x}<br>走访慰问 %{customdata:,.0f} 人次<extra></extra>"},
    ]
    layout = _layout(height, title, showlegend=True, hovermode="x unified", bargap=0.25,
                     legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.12},
                     xaxis={"nticks": 12, "tickangle": 0, "tickfont": {"size": 12}, "automargin": True},
                     yaxis={"title": {"text": unit}, "tickformat": ",~f", "gridcolor": GRID, "rangemode": "tozero",
                            "automargin": True, "exponentformat": "none"})
    if trend["active_share"].notna().any():
        traces.append({"type": "scatter", "x": x, "yaxis": "y2",
                       "y": [None if pd.isna(v) else float(v) for v in trend["active_share"]],
                       "name": "当月有服务记录站点占比", "mode": "lines+markers",
                       "line": {"color": "#c0392b", "width": 2.5}, "marker": {"size": 5},
                       "customdata": [[float(a), float(b)] for a, b in zip(trend["active_units"].fillna(0),
                                                                             trend["built"].fillna(0))],
                       "hovertemplate": "%{x}<br>有服务记录站点 %{customdata[0]:,} / 已建 %{customdata[1]:,}"
                                        "<br>占比 %{y:.1f}%<extra></extra>"})
        ticks = [0, 20, 40, 60, 80, 100]
        layout["yaxis2"] = {"title": {"text": "站点占比"}, "range": [0, 105], "tickmode": "array", "tickvals": ticks,
                            "ticktext": [f"{t}%" for t in ticks], "showgrid": False, "overlaying": "y",
                            "side": "right", "automargin": True}
    return {"data": traces, "layout": layout}
