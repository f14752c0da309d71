"""Pure figure builders: DataFrame in, go.Figure out. No queries here.

Colors come from the thresholds' status (红/黄/绿), never from the data's min and max. Values are
scaled to 万/亿 here and hover text is formatted explicitly (plotly's k/M/G is not for Chinese readers).
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from config.thresholds import STATUS_COLORS, STATUS_LABELS

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
STATUS_ORDER = ["red", "amber", "green", "none"]
_STATUS_Z = {s: i for i, s in enumerate(STATUS_ORDER)}


def _base(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=36, b=10), font=dict(family=FONT, size=14),
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", separators=".,")
    return fig


def empty_figure(message: str, height: int = 320) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font=dict(size=18, color="#6c757d"),
                       xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _base(fig, height)


def status_choropleth(df: pd.DataFrame, geojson_url: str, title: str, height: int = 460) -> go.Figure:
    """Map of children colored by status. df: location (6-digit adcode), code, name, text, status."""
    z = [_STATUS_Z[s] for s in df["status"]]
    n = len(STATUS_ORDER)
    scale = []
    for i, s in enumerate(STATUS_ORDER):        # discrete bands: fixed colors per status
        scale += [(i / n, STATUS_COLORS[s]), ((i + 1) / n, STATUS_COLORS[s])]
    fig = go.Figure(go.Choropleth(
        geojson=geojson_url, featureidkey="id", locations=df["location"], z=z, zmin=0, zmax=n,
        colorscale=scale, showscale=False, marker_line_color="white", marker_line_width=1.2,
        customdata=df[["code", "name", "text"]].values,
        hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<br>点击下钻<extra></extra>",
    ))
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(title=dict(text=title, x=0.01, font=dict(size=16)), clickmode="event")
    return _base(fig, height)


def ranked_bars(df: pd.DataFrame, title: str, unit: str, height: int | None = None,
                reference: float | None = None, reference_label: str = "") -> go.Figure:
    """Horizontal bars of children, best at top. df: code, name, value, text, status."""
    if df.empty or df["value"].isna().all():
        return empty_figure("下级区划暂无该指标数据")
    data = df.sort_values("value", ascending=True, na_position="first")
    height = height or max(320, 26 * len(data) + 80)
    custom = data[["code", "name", "text", "status"]].assign(status_label=data["status"].map(STATUS_LABELS)).values
    full = max(float(data["value"].max(skipna=True) or 0), 1e-9)
    if unit == "%":
        full = max(full, 100.0)
    # A faint full-width bar behind each row: a zero-value child (the worst one) stays clickable.
    fig = go.Figure(go.Bar(x=[full] * len(data), y=data["name"], orientation="h", customdata=custom,
                           marker_color="rgba(31,59,90,0.04)", hoverinfo="none", showlegend=False))
    fig.add_trace(go.Bar(
        x=data["value"].fillna(0), y=data["name"], orientation="h",
        marker_color=[STATUS_COLORS[s] for s in data["status"]],
        text=data["text"], textposition="outside", cliponaxis=False, customdata=custom, showlegend=False,
        hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}（%{customdata[4]}）<br>点击下钻<extra></extra>",
    ))
    fig.update_layout(barmode="overlay")
    if reference is not None:
        fig.add_vline(x=reference, line_dash="dash", line_color="#495057",
                      annotation_text=reference_label, annotation_position="top")
    fig.update_xaxes(title_text=unit, showgrid=True, gridcolor="#e9ecef", rangemode="tozero")
    fig.update_yaxes(automargin=True, tickfont=dict(size=14))
    fig.update_layout(title=dict(text=title, x=0.01, font=dict(size=16)), clickmode="event")
    fig = _base(fig, height)
    fig.update_layout(margin=dict(l=10, r=60, t=40, b=10))
    return fig


def _month_labels(months: pd.Series) -> list[str]:
    return [f"{m // 100}年{m % 100}月" for m in months]


def trend_panel(trend: pd.DataFrame, months: list[int], height: int = 260) -> go.Figure:
    """Four small multiples over the same months: funds, petitions, station activity, discharges."""
    fig = make_subplots(rows=1, cols=4, horizontal_spacing=0.06, specs=[[{"secondary_y": True}] * 4],
                        subplot_titles=("资金发放额（万元）与按时足额率", "信访量（件）与按期办结率",
                                        "服务站办件量（件）", "新退役军人（人）"))
    x = _month_labels(pd.Series(months))
    panels = [("funds", 1e4, "#3b6ea5", True), ("petitions", 1, "#c0392b", True),
              ("activity", 1, "#16a085", False), ("discharged", 1, "#7f8c8d", False)]
    for col, (series, scale, color, has_rate) in enumerate(panels, start=1):
        part = trend[trend["series"] == series].set_index("month").reindex(months)
        values = (part["value"].fillna(0) / scale).round(1)
        fig.add_trace(go.Bar(x=x, y=values, marker_color=color, opacity=0.8, showlegend=False,
                             hovertemplate="%{x}<br>%{y:,.1f}<extra></extra>"), row=1, col=col)
        if has_rate:
            rate = [None if not d else n / d * 100 for n, d in zip(part["num"].fillna(0), part["den"].fillna(0))]
            fig.add_trace(go.Scatter(x=x, y=rate, mode="lines", line=dict(color="#2c3e50", width=2),
                                     showlegend=False, connectgaps=False,
                                     hovertemplate="%{x}<br>%{y:.1f}%<extra></extra>"),
                          row=1, col=col, secondary_y=True)
            fig.update_yaxes(range=[0, 105], tickvals=[0, 25, 50, 75, 100], ticksuffix="%", showgrid=False,
                          row=1, col=col, secondary_y=True)
    fig.update_xaxes(nticks=6, tickangle=0, tickfont=dict(size=11))
    fig.update_yaxes(gridcolor="#e9ecef", secondary_y=False)
    fig.update_annotations(font=dict(size=14))
    fig = _base(fig, height)
    fig.update_layout(margin=dict(l=10, r=10, t=40, b=10))
    return fig
