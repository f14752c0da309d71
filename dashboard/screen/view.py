"""HTML for the wall screen's panels: big type in rem (1rem = 16 px at 1080p, 32 px at 4K), dark theme.

Everything but the map is plain HTML so it scales with the root font size; the map carries no text.
"""
from __future__ import annotations

import logging

import dash
import pandas as pd
from dash import dcc, html

from config.thresholds import STATUS_COLORS, STATUS_LABELS
from dashboard import labels
from dashboard.catalogue import Kpi, is_missing
from dashboard.components.drill import GRAPH_CONFIG
from dashboard.components.kpi import format_value
from dashboard.figures import FONT, status_choropleth
from dashboard import boundaries
from dashboard.screen.geo import label_points, spread_labels
from dashboard.screen.model import AreaPanel, FlagsPanel, MapPanel, RankingPanel

log = logging.getLogger("vetdash.screen")
BAR_ROWS = 12                   # children rows that fit a panel at 24 px; longer lists show both ends
MORE_TILES = 10
FLAG_CARDS = 12
NEUTRAL = "#4f8fe6"             # bars of a figure without a 红黄绿 target
LEGEND = ["green", "amber", "red", "none"]
LEGEND_TEXT = {"green": "达标", "amber": "关注", "red": "预警", "none": "无目标或暂无数据"}


def panel_head(title: str, region_name: str, period_label: str, extra: str = "") -> html.Div:
    parts = [html.H2([html.Span(region_name, className="sp-region"), html.Span(" · "), title],
                     className="sp-title"),
             html.Span(period_label, className="sp-period")]
    if extra:
        parts.append(html.Span(extra, className="sp-extra"))
    return html.Div(parts, className="sp-head")


def message_body(text: str, title: str = "") -> html.Div:
    return html.Div([html.Div(title, className="sp-title") if title else None,
                     html.Div(text, className="sp-message")], className="sp-body sp-body-message")


def status_badge(status: str):
    label = STATUS_LABELS.get(status, "")
    if not label or status == "none":
        return None
    return html.Span(label, className=f"sp-badge badge-{status}")


def _delta(k: Kpi):
    if k.value_label:
        return html.Div(k.value_label, className="sp-delta sp-standin")
    if k.status == "abnormal" or is_missing(k.value) or is_missing(k.prev):
        return html.Div("较上期 —", className="sp-delta")
    delta = float(k.value) - float(k.prev)
    good = (delta >= 0) == k.indicator.higher_is_better
    cls = "flat" if abs(delta) < 1e-9 else ("good" if good else "bad")
    return html.Div([html.Span("较上期 "), html.Span(labels.fmt_delta(delta, k.indicator.unit),
                                                    className=f"delta-{cls}")], className="sp-delta")


def kpi_tile(k: Kpi, big: bool = True) -> html.Div:
    """A tile: name, value (headline size when big), status, change against the previous period."""
    value = "—" if k.status == "abnormal" else format_value(k.indicator, k.value)
    body = [html.Div([html.Span(k.indicator.name, className="sp-kpi-name"), status_badge(k.status)],
                     className="sp-kpi-head"),
            html.Div(html.Span(value, className="sp-kpi-value headline" if big else "sp-kpi-value"),
                     className="sp-kpi-main")]
    if big:
        body.append(_delta(k))
    elif k.value_label:
        body.append(html.Div(k.value_label, className="sp-delta sp-standin"))
    return html.Div(body, className=f"sp-kpi {'sp-kpi-big' if big else 'sp-kpi-small'} status-edge-{k.status}")


def bar_rows(frame: pd.DataFrame, unit: str, limit: int = BAR_ROWS) -> list:
    """Children as horizontal bars, best first; a long list shows its first and last rows."""
    data = frame.assign(sort_value=pd.to_numeric(frame["value"], errors="coerce"))
    rows = data.sort_values("sort_value", ascending=False, na_position="last").to_dict("records")
    hidden = 0
    if len(rows) > limit:
        half = limit // 2
        hidden = len(rows) - 2 * half
        rows = rows[:half] + [None] + rows[-half:]
    values = [r["sort_value"] for r in rows if r is not None and not is_missing(r["sort_value"])]
    top = max(values + [100.0 if unit == "%" else 1e-9])
    out = []
    for r in rows:
        if r is None:
            out.append(html.Div(f"…… 中间另有{hidden}个 ……", className="sp-bar-gap"))
            continue
        v = r["sort_value"]
        width = 0 if is_missing(v) else max(0.0, v) / top * 100
        color = STATUS_COLORS[r["status"]] if r["status"] in ("green", "amber", "red") else NEUTRAL
        out.append(html.Div([
            html.Span(r["name"], className="sp-bar-name"),
            html.Div(html.Div(className="sp-bar-fill", style={"width": f"{width:.1f}%", "background": color}),
                     className="sp-bar-track"),
            html.Span(r["text"], className="sp-bar-value")], className="sp-bar-row"))
    return out


def map_figure(panel: MapPanel) -> dict:
    """The desk's status map, restyled for a dark wall: no title, no hover, thicker borders."""
    fig = status_choropleth(panel.children, boundaries.url(panel.geojson), "", height=600)
    trace = fig["data"][0]
    trace["marker"] = {"line": {"color": "#0a1a33", "width": 2.5}}
    trace["hoverinfo"] = "skip"
    trace.pop("hovertemplate", None)
    layout = fig["layout"]
    layout.pop("height", None)
    layout.update(autosize=True, margin={"l": 0, "r": 0, "t": 0, "b": 0}, hovermode=False,
                  paper_bgcolor="rgba(0,0,0,0)", dragmode=False)
    layout["geo"].update(bgcolor="rgba(0,0,0,0)")
    points = label_points(panel.geojson)
    rows = [r for r in panel.children.to_dict("records") if r["location"] in points]
    spots = spread_labels([points[r["location"]] for r in rows])
    fig["data"].append({   # names and values on the shapes; CSS sizes them in rem (×2 at 4K)
        "type": "scattergeo", "mode": "text", "hoverinfo": "skip", "showlegend": False,
        "lon": [p[0] for p in spots], "lat": [p[1] for p in spots],
        "text": [f"{r['name']}<br>{r['text']}" for r in rows],
        "textfont": {"size": 24, "color": "#ffffff", "family": FONT}})
    return fig


def map_body(panel: MapPanel) -> html.Div:
    m = panel.metric
    counts = panel.children["status"].value_counts().to_dict()
    legend = [html.Div([html.Span(className="sp-swatch", style={"background": STATUS_COLORS[s]}),
                        html.Span(LEGEND_TEXT[s]), html.Span(f"{int(counts.get(s, 0))}个", className="sp-count")],
                       className="sp-legend-item") for s in LEGEND if counts.get(s) or s != "none"]
    if panel.geojson:
        left = dcc.Graph(id="screen-map", figure=map_figure(panel), className="sp-map",
                         config={**GRAPH_CONFIG, "staticPlot": True, "displayModeBar": False, "responsive": True,
                                 "topojsonURL": dash.get_asset_url("topojson/")},
                         style={"height": "100%", "width": "100%"})
    else:
        left = html.Div([html.Div(f"{m.name} · 各{panel.child_level}", className="sp-card-title")]
                        + (bar_rows(panel.children, m.unit) if len(panel.children) else
                           [html.Div("本级为最末一级，无下级区划", className="sp-message")]), className="sp-bars")
    right = html.Div([
        html.Div(m.name, className="sp-card-title"),
        html.Div([html.Span(panel.value_text, className="sp-hero headline"), status_badge(panel.status)],
                 className="sp-hero-row"),
        html.Div(f"{panel.region.name}本级 · {m.kind}指标", className="sp-sub"),
        html.Div(legend, className="sp-legend"),
        html.Div(bar_rows(panel.children, m.unit), className="sp-bars sp-bars-compact") if panel.geojson else None,
    ], className="sp-card sp-map-side")
    return html.Div([panel_head("区域态势", panel.region.name, panel.period.label),
                     html.Div([html.Div(left, className="sp-card sp-map-card"), right], className="sp-map-grid")],
                    className="sp-body")


def area_body(panel: AreaPanel) -> html.Div:
    m = panel.metric
    bars = html.Div([html.Div(f"{m.name} · 各{panel.child_level}", className="sp-card-title")]
                    + (bar_rows(panel.children, m.unit) if len(panel.children) and panel.children["value"].notna().any()
                       else [html.Div("下级区划暂无该指标数据" if len(panel.children) else "本级为最末一级，无下级区划",
                                      className="sp-message")]),
                    className="sp-card sp-bars")
    more = html.Div([html.Div("其他指标", className="sp-card-title"),
                     html.Div([kpi_tile(k, big=False) for k in panel.more[:MORE_TILES]], className="sp-more-grid")],
                    className="sp-card sp-more")
    return html.Div([
        panel_head(panel.area, panel.region.name, panel.period.label),
        html.Div([kpi_tile(k) for k in panel.kpis], className="sp-kpi-row"),
        html.Div([bars, more], className="sp-area-grid"),
    ], className="sp-body")


def ranking_body(panel: RankingPanel) -> html.Div:
    ind = panel.indicator
    values = [r.value for r in panel.rows if r.value is not None]
    top = max(values + [100.0 if ind.unit == "%" else 1e-9])
    rows = []
    for r in panel.rows:
        if r.pinned and panel.pinned_outside:
            rows.append(html.Div("⋯", className="sp-rank-gap"))
        width = 0 if r.value is None else max(0.0, r.value) / top * 100
        color = STATUS_COLORS[r.status] if r.status in ("green", "amber", "red") else NEUTRAL
        medal = f" medal-{r.rank}" if r.rank in (1, 2, 3) else ""
        rows.append(html.Div([
            html.Span("—" if r.rank is None else str(r.rank), className=f"sp-rank-no{medal}"),
            html.Span([r.name, html.Span("本区县", className="sp-pin-tag") if r.pinned else None],
                      className="sp-rank-name"),
            html.Div(html.Div(className="sp-bar-fill", style={"width": f"{width:.1f}%", "background": color}),
                     className="sp-bar-track"),
            html.Span(r.text, className="sp-rank-value"),
            html.Span(STATUS_LABELS.get(r.status, "") if r.status != "none" else "", className=f"sp-rank-status text-{r.status}"),
        ], className="sp-rank-row" + (" is-pinned" if r.pinned else "")))
    top = len(panel.rows) - int(panel.pinned_outside)
    note = f"共{panel.total}个{panel.unit_label}；无数据或数据异常者不排名"
    if panel.total > top:
        note += f"；显示前{top}名" + ("及本区县" if panel.pinned_outside else "")
    return html.Div([
        panel_head(f"{ind.name}排名", panel.parent_name, panel.period.label, ind.direction_text),
        html.Div([html.Div([html.Span("名次"), html.Span(panel.unit_label), html.Span(ind.name),
                            html.Span("数值"), html.Span("状态")], className="sp-rank-row sp-rank-header")]
                 + rows + [html.Div(note, className="sp-note")], className="sp-card sp-rank-table"),
    ], className="sp-body")


def flags_body(panel: FlagsPanel, region_name: str) -> html.Div:
    total = sum(len(u.flags) for u in panel.units)
    head = panel_head("红色预警", region_name, panel.period.label)
    if not panel.units:
        return html.Div([head, html.Div(f"本周各{panel.unit_label}无红色预警指标", className="sp-all-clear")],
                        className="sp-body")
    cards = []
    for unit in panel.units[:FLAG_CARDS]:
        lines = unit.flags if len(unit.flags) <= panel.per_unit else unit.flags[:panel.per_unit - 1]
        items = [html.Div([html.Span(name, className="sp-flag-name"), html.Span(text, className="sp-flag-value")],
                          className="sp-flag") for name, text in lines]
        if len(lines) < len(unit.flags):
            items.append(html.Div(f"另有{len(unit.flags) - len(lines)}项", className="sp-flag sp-flag-more"))
        cards.append(html.Div([html.Div([html.Span(unit.name), html.Span(f"{len(unit.flags)}项", className="sp-flag-count")],
                                        className="sp-flag-head")] + items, className="sp-card sp-flag-card"))
    summary = f"{panel.checked}个{panel.unit_label}中{len(panel.units)}个有红色预警指标，共{total}项"
    if len(panel.units) > FLAG_CARDS:
        summary += f"（显示预警最多的{FLAG_CARDS}个）"
    return html.Div([head, html.Div(summary, className="sp-summary"), html.Div(cards, className="sp-flag-grid")],
                    className="sp-body")


def panel_body(panel_id: str, model, title: str) -> html.Div:
    """The body of one panel from the screen model (or its error message; a rendering bug stays in its panel)."""
    if panel_id in model.errors:
        return message_body(model.errors[panel_id], title)
    try:
        return _render(panel_id, model)
    except Exception:      # noqa: BLE001 — one broken panel must not blank the wall
        log.exception("screen panel %s failed to render", panel_id)
        return message_body("本屏生成出错，详情已记入服务器日志", title)


def _render(panel_id: str, model) -> html.Div:
    panel = model.panels[panel_id]
    if panel_id == "map":
        return map_body(panel)
    if panel_id == "ranking":
        return ranking_body(panel)
    if panel_id == "flags":
        return flags_body(panel, model.region.name)
    return area_body(panel)
