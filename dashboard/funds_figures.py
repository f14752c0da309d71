"""Figures of the 资金发放 page: DataFrame in, go.Figure out (no queries). Amounts arrive in 万元."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import FONT, empty_figure

# One fixed color per fund kind (a category, not a status), so a kind keeps its color everywhere.
KIND_COLORS = {"残疾抚恤金": "#3b6ea5", "定期抚恤金": "#8e6bb8", "定期生活补助": "#16a085",
               "义务兵家庭优待金": "#e67e22", "医疗补助": "#c0392b", "临时救助": "#7f8c8d"}
OTHER_COLOR = "#b0b7c3"


def kind_month_bars(table: pd.DataFrame, title: str, height: int = 360) -> go.Figure:
    """Stacked monthly bars by fund kind. table: index month key (202611), columns kinds, values 万元
    (drawn in 元 when every month is under 5万元)."""
    if table.empty or table.shape[1] == 0 or not table.to_numpy().any():
        return empty_figure("所选区划近36个月暂无资金发放记录", height)
    x = pd.to_datetime([f"{m // 100}-{m % 100:02d}-01" for m in table.index])
    # A village's months are a few thousand 元: show 元 there rather than 0.3万元 ticks.
    small = table.sum(axis=1).max() < 5
    unit, scale, digits = ("元", 1e4, 0) if small else ("万元", 1.0, 1)
    data = table * scale
    fig = go.Figure()
    for kind in data.columns:
        fig.add_trace(go.Bar(
            x=x, y=data[kind].round(2), name=kind, marker_color=KIND_COLORS.get(kind, OTHER_COLOR),
            hovertemplate=f"{kind}：%{{y:,.{digits}f}}{unit}<extra></extra>"))
    totals = data.sum(axis=1)
    fig.add_trace(go.Scatter(x=x, y=totals.round(2), mode="markers", marker=dict(size=1, color="rgba(0,0,0,0)"),
                             name="合计", showlegend=False, hovertemplate=f"合计：%{{y:,.{digits}f}}{unit}<extra></extra>"))
    fig.update_layout(barmode="stack", hovermode="x unified", title=dict(text=title, x=0.01, font=dict(size=16)),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0),
                      height=height, margin=dict(l=10, r=10, t=60, b=10), font=dict(family=FONT, size=14),
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", separators=".,")
    fig.update_xaxes(tickformat="%Y年%-m月", dtick="M3", hoverformat="%Y年%-m月", tickangle=0,
                     tickfont=dict(size=12))
    fig.update_yaxes(title_text=unit, tickformat=",.0f", gridcolor="#e9ecef", rangemode="tozero")
    return fig
