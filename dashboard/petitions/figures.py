"""Figures of the 信访热点 page: DataFrame in, plotly figure (a plain dict, as in dashboard.figures) out.

No queries here. Colors per channel / type / category are fixed, never taken from the data.
"""
from __future__ import annotations

import pandas as pd

from dashboard.figures import GRID, base_layout, empty_figure, month_labels, ranked_bars

CHANNELS = ["来信", "来访", "网上信访", "来电", "12345转办"]
ITEM_TYPES = ["申诉求决", "建议意见", "检举控告"]
CATEGORIES = ["安置", "待遇", "历史遗留", "社保", "医疗", "就业", "优待落实", "住房", "困难帮扶", "其他"]
PALETTE = ["#3b6ea5", "#c0392b", "#16a085", "#e67e22", "#8e44ad", "#2c3e50", "#d4ac0d", "#7f8c8d",
           "#e84393", "#95a5a6"]
COLUMN_ORDER = {"channel": CHANNELS, "item_type": ITEM_TYPES, "category": CATEGORIES}
COLUMN_LABEL = {"channel": "渠道", "item_type": "事项类型", "category": "问题类别"}
LEGEND = {"orientation": "v", "yanchor": "top", "y": 1.0, "x": 1.01, "font": {"size": 13}}


def _order(values, column: str) -> list[str]:
    known = COLUMN_ORDER.get(column, [])
    return [v for v in known if v in set(values)] + sorted(set(values) - set(known))


def _color(column: str, value: str) -> str:
    known = COLUMN_ORDER.get(column, [])
    return PALETTE[known.index(value)] if value in known else "#b2bec3"


def _count_axis(top, **extra) -> dict:
    """Whole-number ticks: with small counts plotly ticks at 0.5 and ",d" would print 0, 1, 1, 2."""
    axis = {"gridcolor": GRID, "rangemode": "tozero", "tickformat": ",d", "automargin": True}
    if top == top and top is not None and top <= 8:
        axis["dtick"] = 1
    axis.update(extra)
    return axis


def _month_axis() -> dict:
    return {"type": "category", "nticks": 12, "tickangle": 0, "tickfont": {"size": 12}, "automargin": True}


def stacked_months(mix: pd.DataFrame, months: list[int], column: str, height: int = 330) -> dict:
    """Monthly petitions stacked by channel / item type / category. mix: month, <column>, received."""
    title = f"信访件数（件）按{COLUMN_LABEL[column]} · 近{len(months)}个月"
    if mix.empty or not mix["received"].sum():
        return empty_figure(f"近{len(months)}个月无信访件", height)
    table = mix.groupby(["month", column])["received"].sum().unstack(column).reindex(months).fillna(0)
    x = month_labels(months)
    data = [{"type": "bar", "x": x, "y": [int(v) for v in table[value]], "name": value,
             "marker": {"color": _color(column, value)},
             "hovertemplate": f"%{{x}}<br>{value}：%{{y:,d}}件<extra></extra>"}
            for value in _order(table.columns, column)]
    layout = base_layout(height, title, barmode="stack", showlegend=True,
                         legend={**LEGEND, "traceorder": "reversed"},     # legend top-down = stack top-down
                         paper_bgcolor="#fff", xaxis=_month_axis(), yaxis=_count_axis(table.sum(axis=1).max()))
    return {"data": data, "layout": layout}


RATES = [("及时受理率", "x2_timely", "x2_received", "#16a085"),
         ("按期办结率", "due_ontime", "due_cnt", "#c0392b"),
         ("满意率", "satisfied_cnt", "rated_cnt", "#8e44ad")]


def rates_trend(trend: pd.DataFrame, months: list[int], height: int = 330) -> dict:
    """Monthly 信访件数 (bars) with X2 及时受理率, X4 按期办结率 and X9 满意率 (lines, right axis)."""
    if trend.empty:
        return empty_figure(f"近{len(months)}个月无信访件", height)
    t = trend.assign(month=trend["month"].astype(int)).set_index("month").reindex(months)
    x = month_labels(months)
    received = t["received"].fillna(0)
    data = [{"type": "bar", "x": x, "y": [int(v) for v in received], "name": "信访件数",
             "marker": {"color": "#9bb4d3"}, "hovertemplate": "%{x}<br>信访件数：%{y:,d}件<extra></extra>"}]
    for name, num, den, color in RATES:
        rate = [None if not d or d != d else round(float(n) / float(d) * 100, 1) for n, d in zip(t[num], t[den])]
        data.append({"type": "scatter", "mode": "lines+markers", "x": x, "y": rate, "name": name, "yaxis": "y2",
                     "line": {"color": color, "width": 2}, "marker": {"size": 4}, "connectgaps": False,
                     "hovertemplate": f"%{{x}}<br>{name}：%{{y:.1f}}%<extra></extra>"})
    # legend in the title row: on the right it would sit on the percentage axis
    legend = {"orientation": "h", "x": 1.0, "xanchor": "right", "y": 1.02, "yanchor": "bottom", "font": {"size": 13}}
    layout = base_layout(height, f"信访件数与办理质量 · 近{len(months)}个月", showlegend=True, legend=legend,
                         paper_bgcolor="#fff", xaxis=_month_axis(),
                         yaxis=_count_axis(received.max(), title={"text": "件"}),
                         yaxis2={"overlaying": "y", "side": "right", "range": [0, 105], "showgrid": False,
                                 "tickvals": [0, 25, 50, 75, 100], "ticktext": ["0%", "25%", "50%", "75%", "100%"],
                                 "automargin": True},
                         margin={"l": 10, "r": 50, "t": 40, "b": 10})
    return {"data": data, "layout": layout}


def period_breakdown(mix: pd.DataFrame, column: str, cur_label: str, prev_label: str,
                     height: int = 400) -> dict:
    """This period vs the previous one by <column> (horizontal grouped bars). mix: span, <column>, received."""
    part = mix[mix["span"].isin(["cur", "prev"])]
    if part.empty or not part["received"].sum():
        return empty_figure("本期与上期均无信访件", height)
    table = part.groupby([column, "span"])["received"].sum().unstack("span").reindex(columns=["cur", "prev"]).fillna(0)
    table = table.reindex(_order(table.index, column)).sort_values("cur")
    y = list(table.index)
    data = [{"type": "bar", "orientation": "h", "y": y, "x": [int(v) for v in table[span]], "name": label,
             "marker": {"color": color}, "text": [f"{int(v):,}" for v in table[span]], "textposition": "outside",
             "cliponaxis": False, "hovertemplate": f"%{{y}}<br>{label}：%{{x:,d}}件<extra></extra>"}
            for span, label, color in (("prev", prev_label, "#c8d1dc"), ("cur", cur_label, "#c0392b"))]
    top = float(table.max().max())
    xaxis = {"title": {"text": "件", "standoff": 4}, "gridcolor": GRID, "rangemode": "tozero", "tickformat": ",d",
             "automargin": True}
    if top <= 8:
        xaxis["dtick"] = 1
    layout = base_layout(height, f"本期{COLUMN_LABEL[column]}构成（与上期比）", barmode="group", showlegend=True,
                         legend=LEGEND, paper_bgcolor="#fff", margin={"l": 10, "r": 40, "t": 40, "b": 10},
                         xaxis=xaxis, yaxis={"automargin": True, "type": "category"})
    return {"data": data, "layout": layout}


HOT_COLOR = "#5b7db1"      # one fixed color: below county X8 gets no 红黄绿 judgement (as on the overview)


def hot_bars(hot: pd.DataFrame, title: str, empty_text: str) -> dict:
    """Ranked bars of hot places (customdata[0] = short code, so a click drills there)."""
    if hot.empty:
        fig = empty_figure(empty_text, 170)
        fig["layout"].update(title={"text": title, "x": 0.01, "font": {"size": 16}},
                             margin={"l": 10, "r": 10, "t": 40, "b": 10})
        return fig
    fig = ranked_bars(hot, title, "件/万人", height=max(320, 30 * len(hot) + 90))
    bars = fig["data"][-1]
    bars["marker"]["color"] = HOT_COLOR
    fig["layout"]["xaxis"]["tickformat"] = ",d"          # never 1.2k
    bars["hovertemplate"] = "<b>%{customdata[1]}</b><br>每万名退役军人 %{x:,.1f} 件<br>点击进入<extra></extra>"
    return fig
