"""Figures of the 资金发放 page: DataFrame in, a plotly figure as a plain dict out (no queries, no
graph_objects validation). Amounts arrive in 万元."""
from __future__ import annotations

import pandas as pd

from dashboard.figures import base_layout, empty_figure

# One fixed color per fund kind (a category, not a status), so a kind keeps its color everywhere.
KIND_COLORS = {"残疾抚恤金": "#3b6ea5", "定期抚恤金": "#8e6bb8", "定期生活补助": "#16a085",
               "义务兵家庭优待金": "#e67e22", "医疗补助": "#c0392b", "临时救助": "#7f8c8d"}
OTHER_COLOR = "#b0b7c3"


def kind_month_bars(table: pd.DataFrame, title: str, height: int = 360) -> dict:
    """Stacked monthly bars by fund kind. table: index month key (202611), columns kinds, values 万元
    (drawn in 元 when every month is under 5万元)."""
    if table.empty or table.shape[1] == 0 or not table.to_numpy().any():
        return empty_figure("所选区划近36个月暂无资金发放记录", height)
    x = [f"{m // 100}-{m % 100:02d}-01" for m in table.index]
    # A village's months are a few thousand 元: show 元 there rather than 0.3万元 ticks.
    small = table.sum(axis=1).max() < 5
    unit, scale, digits = ("元", 1e4, 0) if small else ("万元", 1.0, 1)
    data = table * scale
    traces = [{"type": "bar", "x": x, "y": [float(v) for v in data[kind].round(2)], "name": kind,
               "marker": {"color": KIND_COLORS.get(kind, OTHER_COLOR)},
               "hovertemplate": f"{kind}：%{{y:,.{digits}f}}{unit}<extra></extra>"} for kind in data.columns]
    traces.append({"type": "scatter", "x": x, "y": [float(v) for v in data.sum(axis=1).round(2)], "mode": "markers",
                   "marker": {"size": 1, "color": "rgba(0,0,0,0)"}, "name": "合计", "showlegend": False,
                   "hovertemplate": f"合计：%{{y:,.{digits}f}}{unit}<extra></extra>"})
    first, last = pd.Timestamp(x[0]), pd.Timestamp(x[-1])
    x_range = [(first - pd.Timedelta(days=16)).strftime("%Y-%m-%d"), (last + pd.Timedelta(days=16)).strftime("%Y-%m-%d")]
    layout = base_layout(height, title, barmode="stack", hovermode="x unified", showlegend=True,
                         legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
                         xaxis={"type": "date", "tickformat": "%Y年%-m月", "dtick": "M3", "range": x_range, "hoverformat": "%Y年%-m月",
                                "tickangle": 0, "tickfont": {"size": 12}, "automargin": True},
                         yaxis={"title": {"text": unit}, "tickformat": ",.0f", "gridcolor": "#e9ecef",
                                "rangemode": "tozero", "automargin": True})
    layout["margin"] = {"l": 10, "r": 10, "t": 60, "b": 10}
    return {"data": traces, "layout": layout}
