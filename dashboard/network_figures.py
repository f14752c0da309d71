"""Figures only the 服务网络 page uses: 挂牌未运行 per child, monthly activity with the active share."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from config.thresholds import STATUS_COLORS
from dashboard.figures import FONT, empty_figure


def _base(fig: go.Figure, height: int, title: str) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=50, t=44, b=10), font=dict(family=FONT, size=14),
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", separators=".,",
                      title=dict(text=title, x=0.01, font=dict(size=16)))
    return fig


def idle_bars(df: pd.DataFrame, title: str, height: int | None = None) -> go.Figure:
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
    fig = go.Figure(go.Bar(
        x=data["idle"], y=data["name"], orientation="h", text=[f"{i:,}" for i in data["idle"]],
        textposition="outside", cliponaxis=False,
        marker_color=[STATUS_COLORS["red"] if i else STATUS_COLORS["green"] for i in data["idle"]],
        customdata=list(zip(data["code"], data["name"], share)),
        hovertemplate="<b>%{customdata[1]}</b><br>挂牌未运行 %{customdata[2]}<br>点击下钻<extra></extra>",
    ))
    fig.update_xaxes(title_text="个", rangemode="tozero", showgrid=True, gridcolor="#e9ecef", tickformat=",d",
                     dtick=1 if data["idle"].max() <= 8 else None)     # whole stations: no 0.5 ticks
    fig.update_yaxes(automargin=True, tickfont=dict(size=14))
    fig.update_layout(clickmode="event")
    return _base(fig, height, title)


def activity_trend(trend: pd.DataFrame, title: str, height: int = 330) -> go.Figure:
    """Monthly 办件量 (bars) and 走访慰问人次 (line), with the share of stations active that month (%)."""
    if trend.empty or not (trend["items"].sum() or trend["built"].sum()):
        return empty_figure("暂无服务记录", height)
    big = trend["items"].max() >= 1e5                     # scale to 万件 ourselves (no k/M on the axis)
    scale, unit = (1e4, "万件 / 万人次") if big else (1, "件 / 人次")
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=trend["label"], y=trend["items"] / scale, name="办件量", marker_color="#3b6ea5",
                         opacity=0.85, customdata=trend["items"],
                         hovertemplate="%{x}<br>办件量 %{customdata:,.0f} 件<extra></extra>"))
    fig.add_trace(go.Scatter(x=trend["label"], y=trend["visits"] / scale, name="走访慰问人次", mode="lines",
                             line=dict(color="#16a085", width=2), customdata=trend["visits"],
                             hovertemplate="%{x}<br>走访慰问 %{customdata:,.0f} 人次<extra></extra>"))
    if trend["active_share"].notna().any():
        fig.add_trace(go.Scatter(x=trend["label"], y=trend["active_share"], name="当月有服务记录站点占比",
                                 mode="lines+markers", line=dict(color="#c0392b", width=2.5), marker=dict(size=5),
                                 customdata=list(zip(trend["active_units"], trend["built"])),
                                 hovertemplate="%{x}<br>有服务记录站点 %{customdata[0]:,} / 已建 %{customdata[1]:,}"
                                               "<br>占比 %{y:.1f}%<extra></extra>"),
                      secondary_y=True)
        ticks = [0, 20, 40, 60, 80, 100]
        fig.update_yaxes(title_text="站点占比", range=[0, 105], tickmode="array", tickvals=ticks,
                         ticktext=[f"{t}%" for t in ticks], showgrid=False, secondary_y=True)
    fig.update_yaxes(title_text=unit, tickformat=",~f", gridcolor="#e9ecef", rangemode="tozero", secondary_y=False)
    fig.update_xaxes(nticks=12, tickangle=0, tickfont=dict(size=12))
    fig.update_layout(legend=dict(orientation="h", x=1, xanchor="right", y=1.12), hovermode="x unified",
                      bargap=0.25)
    return _base(fig, height, title)
