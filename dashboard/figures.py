"""Pure figure builders: DataFrame in, plotly figure (a plain dict) out. No queries here.

Figures are built as plain dicts, not graph_objects: dcc.Graph takes them as they are, and skipping
plotly's per-property validation cuts a page's render from hundreds of milliseconds to a few.
Colors come from the thresholds' status (红/黄/绿), never from the data's min and max. Values are
scaled to 万/亿 here and hover text is formatted explicitly (plotly's k/M/G is not for Chinese readers).
"""
from __future__ import annotations

import pandas as pd

from config.thresholds import STATUS_COLORS, STATUS_LABELS

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
STATUS_ORDER = ["red", "amber", "green", "none", "unknown", "abnormal"]
_STATUS_Z = {s: i for i, s in enumerate(STATUS_ORDER)}
GRID = "#e9ecef"


def base_layout(height: int, title: str | None = None, **extra) -> dict:
    layout = {"height": height, "margin": {"l": 10, "r": 10, "t": 40 if title else 20, "b": 10},
              "font": {"family": FONT, "size": 14}, "paper_bgcolor": "rgba(0,0,0,0)",
              "plot_bgcolor": "rgba(0,0,0,0)", "separators": ".,", "showlegend": False}
    if title:
        layout["title"] = {"text": title, "x": 0.01, "font": {"size": 16}}
    layout.update(extra)
    return layout


def empty_figure(message: str, height: int = 320) -> dict:
    return {"data": [], "layout": base_layout(
        height, xaxis={"visible": False}, yaxis={"visible": False},
        annotations=[{"text": message, "showarrow": False, "font": {"size": 18, "color": "#6c757d"},
                      "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}])}


def status_choropleth(df: pd.DataFrame, geojson_url: str, title: str, height: int = 460) -> dict:
    """Map of children colored by status. df: location (6-digit adcode), code, name, text, status.

    The boundaries travel as a URL (fetched once by the browser), never inside the figure."""
    n = len(STATUS_ORDER)
    scale = []
    for i, s in enumerate(STATUS_ORDER):        # discrete bands: one fixed color per status
        scale += [[i / n, STATUS_COLORS[s]], [(i + 1) / n, STATUS_COLORS[s]]]
    trace = {"type": "choropleth", "geojson": geojson_url, "featureidkey": "id",
             "locations": list(df["location"]), "z": [_STATUS_Z[s] for s in df["status"]],
             "zmin": 0, "zmax": n, "colorscale": scale, "showscale": False,
             "marker": {"line": {"color": "white", "width": 1.2}},
             "customdata": df[["code", "name", "text"]].values.tolist(),
             "hovertemplate": "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>点击下钻<extra></extra>"}
    layout = base_layout(height, title, clickmode="event",
                         geo={"fitbounds": "locations", "visible": False, "projection": {"type": "mercator"}})
    return {"data": [trace], "layout": layout}


def ranked_bars(df: pd.DataFrame, title: str, unit: str, height: int | None = None,
                reference: float | None = None, reference_label: str = "",
                empty_message: str = "下级区划暂无该指标数据") -> dict:
    """Horizontal bars of children, best at top. df: code, name, value, text, status."""
    if df.empty or df["value"].isna().all():
        return empty_figure(empty_message, height or 320)
    data = df.sort_values("value", ascending=True, na_position="first")
    height = height or max(320, 26 * len(data) + 80)
    names = list(data["name"])
    # no status word in the hover for a metric without a 红黄绿 target (all rows "none")
    labels = data["status"].map(lambda st: "" if st in ("none", "abnormal") or not STATUS_LABELS.get(st)
                                else f"（{STATUS_LABELS[st]}）")
    custom = data[["code", "name", "text", "status"]].assign(status_label=labels).values.tolist()
    values = [0.0 if pd.isna(v) else float(v) for v in data["value"]]
    top = max(values)
    # the axis spans the faint bars: 0–100 for a %, else the largest value — or 0–1 when every child is 0,
    # so the ticks read 0 … 1 and not 0.0000000002 … (a township's week with no petitions)
    full = max(top, 100.0) if unit == "%" else (top if top > 0 else 1.0)
    # A faint full-width bar behind each row: a zero-value child (often the worst) stays clickable.
    hit = {"type": "bar", "orientation": "h", "x": [full] * len(names), "y": names, "customdata": custom,
           "marker": {"color": "rgba(31,59,90,0.04)"}, "hoverinfo": "none"}
    bars = {"type": "bar", "orientation": "h", "x": values, "y": names, "customdata": custom,
            "marker": {"color": [STATUS_COLORS[s] for s in data["status"]]},
            "text": list(data["text"]), "textposition": "outside", "cliponaxis": False,
            "hovertemplate": "<b>%{customdata[1]}</b><br>%{customdata[2]}%{customdata[4]}<br>点击下钻<extra></extra>"}
    layout = base_layout(height, title, barmode="overlay", clickmode="event",
                         margin={"l": 10, "r": _text_room(data["text"]), "t": 40, "b": 10},
                         # plain digits with separators: never plotly's k/M/G
                         xaxis={"title": {"text": unit, "standoff": 4}, "showgrid": True, "gridcolor": GRID,
                                "rangemode": "tozero", "automargin": True, "exponentformat": "none",
                                "separatethousands": True},
                         # every name shown (plotly would skip alternate labels when rows are tight)
                         yaxis={"automargin": True, "tickmode": "linear", "dtick": 1,
                                "tickfont": {"size": 14 if len(names) <= 14 else 12}})
    if reference is not None:
        layout["shapes"] = [{"type": "line", "xref": "x", "yref": "paper", "x0": reference, "x1": reference,
                             "y0": 0, "y1": 1, "line": {"dash": "dash", "color": "#495057", "width": 1.5}}]
        layout["annotations"] = [{"x": reference, "y": 1, "xref": "x", "yref": "paper", "yanchor": "bottom",
                                  "text": reference_label, "showarrow": False, "font": {"size": 12}}]
    return {"data": [hit, bars], "layout": layout}


def _text_room(texts) -> int:
    """Right margin for the value labels outside the bars: "数据异常（100.0%）" needs more than "93.5%"."""
    widest = max((sum(15 if ord(ch) > 0x2E80 else 8 for ch in str(t)) for t in texts), default=0)
    return max(70, widest + 12)


def month_labels(months) -> list[str]:
    return [f"{m // 100}年{m % 100}月" for m in months]


TREND_PANELS = [  # series, title, scale, color, has a rate line
    ("funds", "资金发放额（万元）与按时足额率", 1e4, "#3b6ea5", True),
    ("petitions", "信访量（件）与按期办结率", 1, "#c0392b", True),
    ("activity", "服务站办件量（件）", 1, "#16a085", False),
    ("discharged", "新退役军人（人）", 1, "#7f8c8d", False),
]


def trend_small(trend: pd.DataFrame, months: list[int], index: int, height: int = 240,
                partial_day: int | None = None) -> dict:
    """One of the four trend multiples (TREND_PANELS[index]) over the same months: its own figure, so the
    four sit side by side on a desk and stack on a phone.

    partial_day: the last month is not over (data to that day): its bar is pale and labelled 截至N日, so
    a month-to-date never reads as a cliff."""
    series, title, scale, color, has_rate = TREND_PANELS[index]
    x = month_labels(months)
    opacity = [0.8] * len(months)
    if partial_day:
        x[-1] = f"{x[-1]}(截至{partial_day}日)"
        opacity[-1] = 0.35
    part = trend[trend["series"] == series].set_index("month").reindex(months)
    values = (part["value"].fillna(0).astype(float) / scale).round(1).tolist()
    data = [{"type": "bar", "x": x, "y": values, "marker": {"color": color, "opacity": opacity},
             "hovertemplate": "%{x}<br>%{y:,.1f}<extra></extra>"}]
    yaxis = {"gridcolor": GRID, "rangemode": "tozero", "automargin": True, "exponentformat": "none",
             "separatethousands": True}
    if scale == 1:                                    # counts: whole numbers, never a 0.5 tick
        yaxis["tickformat"] = ",d"
        if max(values or [0]) <= 5:
            yaxis["dtick"] = 1
    layout = base_layout(height, title, margin={"l": 40, "r": 40 if has_rate else 10, "t": 40, "b": 30},
                         xaxis={"nticks": 5, "tickangle": 0, "tickfont": {"size": 11}, "automargin": True},
                         yaxis=yaxis)
    layout["title"]["font"] = {"size": 14}
    if has_rate:
        num, den = part["num"].fillna(0).tolist(), part["den"].fillna(0).tolist()
        rate = [None if not d else round(a / d * 100, 1) for a, d in zip(num, den)]
        data.append({"type": "scatter", "mode": "lines", "x": x, "y": rate, "yaxis": "y2",
                     "line": {"color": "#2c3e50", "width": 2}, "connectgaps": False,
                     "hovertemplate": "%{x}<br>%{y:.1f}%<extra></extra>"})
        layout["yaxis2"] = {"overlaying": "y", "side": "right", "range": [0, 105], "tickvals": [0, 25, 50, 75, 100],
                            "showgrid": False,
                            # ticksuffix is ignored with tickvals in plotly.js 4.1: spell the labels
                            "ticktext": ["0", "25%", "50%", "75%", "100%"]}
    return {"data": data, "layout": layout}
