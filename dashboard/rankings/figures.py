"""Figures of the 排名 page as plain dicts: ranked bars coloured by status, the highlighted unit's rank line."""
from __future__ import annotations

from config.thresholds import STATUS_COLORS
from dashboard.figures import GRID, base_layout, empty_figure

HIGHLIGHT = "#1f5fa5"
NEUTRAL = "#5b7fa6"


def rank_bars(view) -> dict:
    """Ranked units, best at top, coloured by the catalogue status (the composite: neutral, highlight blue)."""
    rows = [r for r in view.shown if r.rank is not None]
    if not rows:
        return empty_figure("本级暂无可排名的数据")
    rows = list(reversed(rows))                        # plotly draws the first category at the bottom
    names = [f"{r.unit.name}" for r in rows]
    colors = []
    for r in rows:
        if r.status in ("green", "amber", "red"):
            colors.append(STATUS_COLORS[r.status])
        else:
            colors.append(HIGHLIGHT if r.unit.code == view.highlight_code else NEUTRAL)
    lines = [{"color": "#1d2733" if r.unit.code == view.highlight_code else "rgba(0,0,0,0)", "width": 3}
             for r in rows]
    custom = [[r.unit.short, r.unit.name, r.text, r.rank_text] for r in rows]
    values = [r.value for r in rows]
    metric = view.metric
    lo = min(values)
    # scores and rates far from zero: start the axis near the worst so differences stay visible
    start = 0.0 if metric.unit not in ("分", "%") or lo < 40 else max(0.0, (lo // 10) * 10 - 10)
    height = max(320, 26 * len(rows) + 90)
    bars = {"type": "bar", "orientation": "h", "x": values, "y": names, "customdata": custom,
            "marker": {"color": colors, "line": {"color": [x["color"] for x in lines],
                                                 "width": [x["width"] for x in lines]}},
            "text": [r.text for r in rows], "textposition": "outside", "cliponaxis": False,
            "hovertemplate": "<b>%{customdata[1]}</b> %{customdata[3]}<br>%{customdata[2]}<br>点击下钻<extra></extra>"}
    top = max(values)
    layout = base_layout(height, f"{metric.name} · 名次", clickmode="event",
                         margin={"l": 10, "r": 70, "t": 40, "b": 10},
                         xaxis={"range": [start, top + (top - start) * 0.08 + 1e-9], "showgrid": True,
                                "gridcolor": GRID, "automargin": True, "exponentformat": "none",
                                "title": {"text": metric.unit, "standoff": 4}},
                         yaxis={"automargin": True, "tickmode": "linear", "dtick": 1,
                                "tickfont": {"size": 14 if len(rows) <= 14 else 12}})
    return {"data": [bars], "layout": layout}


def history_line(history: list[tuple[str, int | None, int]], total: int, height: int = 140) -> dict:
    """Rank over the last periods, 第1名 at the top (no history yet: an empty frame of the same height)."""
    if not history:
        return {"data": [], "layout": base_layout(height, margin={"l": 10, "r": 10, "t": 8, "b": 10},
                                                  xaxis={"visible": False}, yaxis={"visible": False})}
    x = [h[0] for h in history]
    y = [h[1] for h in history]
    text = [("—" if r is None else f"第{r}/{n}名") for _, r, n in history]
    worst = max([total] + [n for *_, n in history]) or 1
    trace = {"type": "scatter", "mode": "lines+markers", "x": x, "y": y, "text": text,
             "line": {"color": HIGHLIGHT, "width": 2}, "marker": {"size": 6}, "connectgaps": False,
             "hovertemplate": "%{x}<br>%{text}<extra></extra>"}
    ticks = sorted({1, (worst + 1) // 2, worst}) if worst > 2 else list(range(1, worst + 1))
    layout = base_layout(height, margin={"l": 10, "r": 10, "t": 8, "b": 10},
                         xaxis={"showgrid": False, "tickangle": 0, "nticks": 4, "automargin": True,
                                "tickfont": {"size": 11}},
                         yaxis={"autorange": False, "range": [worst + 0.5, 0.5], "tickvals": ticks,
                                "ticktext": [f"第{t}" for t in ticks], "gridcolor": GRID, "automargin": True,
                                "tickfont": {"size": 11}})
    return {"data": [trace], "layout": layout}
