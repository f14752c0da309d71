"""The region drill panel every page uses: a status map while the children have shapes, ranked bars always.

Clicks on either go one level down through the app's `navigate` callback (ids {"type": "drill", ...}).
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import boundaries, labels
from dashboard.figures import ranked_bars, status_choropleth

# No send-to-cloud / "Share chart" (it offers to upload the chart's data to a public server: never on a
# government intranet); the PNG download stays, labelled in Chinese by the zh-CN locale.
GRAPH_CONFIG = {"locale": "zh-CN", "displaylogo": False, "showSendToCloud": False, "showEditInChartStudio": False,
                "showLink": False, "plotlyServerURL": "",
                "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d", "sendDataToCloud", "editInChartStudio"],
                "toImageButtonOptions": {"format": "png", "filename": "驾驶舱图表", "scale": 2}}
CHILD_LEVEL_NAMES = {2: "市州", 3: "县(市、区)", 4: "乡镇(街道)", 5: "村(社区)"}
CHILD_COLUMNS = ["code", "short", "name", "value", "text", "status", "location"]


def geojson_url(level: int, locations=()) -> str | None:
    """Key of the boundary file holding these children's shapes (boundaries.find): a province's cities and
    a city's counties only, from the shipped files or VETDASH_BOUNDARY_DIR; None = no map."""
    return boundaries.find(level, locations)


def missing_boundary_note(region_level: int, children: pd.DataFrame):
    """In place of the map when a province's or city's children have no shapes: say why, never blank."""
    if region_level not in boundaries.KIND_BY_LEVEL or children.empty:
        return None
    province = str(children["location"].iloc[0])[:2]
    return html.Div([html.Div("暂无该地区的边界数据，地图不显示", className="map-missing-title"),
                     html.Div(f"可用 vetdash regions --province {province} 生成边界文件，"
                              "放入 VETDASH_BOUNDARY_DIR 所指目录后重启驾驶舱。", className="map-missing-hint")],
                    className="map-missing")


def children_frame(children, values: dict, fmt, status_fn, county_only: bool = False) -> pd.DataFrame:
    """Rows for the drill panel. children: list of Region; values: code12 -> value (None = no data);
    fmt(value) -> text; status_fn(value) -> 'green'|'amber'|'red'|'none'."""
    rows = []
    for child in children:
        value = values.get(child.code)
        value = None if value is None or pd.isna(value) else float(value)
        if county_only and child.level >= 4:
            text, value = labels.COUNTY_ONLY, None
        else:
            text = fmt(value) if value is not None else labels.NO_DATA
        status = status_fn(value) if value is not None else "unknown"
        if status == "abnormal":                       # outside the sane range: grey, never a colour of the scale
            text = f"数据异常（{text}）"
        rows.append({"code": child.short, "short": child.short, "name": child.name, "value": value,
                     "text": text, "status": status,
                     "location": child.short if child.level == 3 else child.short + "00"})
    return pd.DataFrame(rows, columns=CHILD_COLUMNS)


def drill_panel(name: str, region_level: int, children: pd.DataFrame, title: str, unit: str,
                reference: float | None = None, reference_label: str = "", selector=None,
                bar_height: int | None = None, empty_message: str = "下级区划暂无该指标数据") -> html.Div:
    """Map (if the children have shapes) + ranked bars. `name` makes the graph ids unique per page."""
    # fits a 1920×1080 wall screen up to ~24 children; longer lists (villages) grow instead of squeezing labels
    height = bar_height or (min(max(300, 22 * len(children) + 90), 440) if len(children) <= 24
                            else min(20 * len(children) + 90, 900))
    bars = dcc.Graph(id={"type": "drill", "name": f"{name}-bars"},
                     figure=ranked_bars(children, title, unit, height=height, reference=reference,
                                        reference_label=reference_label, empty_message=empty_message),
                     config=GRAPH_CONFIG, className="bars-graph")
    head = [selector] if selector is not None else []
    url = geojson_url(region_level, children["location"]) if not children.empty else None
    if url:
        fig = status_choropleth(children, boundaries.url(url), title, height=max(height, 380))
        graph = dcc.Graph(id={"type": "drill", "name": f"{name}-map"}, figure=fig, className="map-graph",
                          config={**GRAPH_CONFIG, "topojsonURL": dash.get_asset_url("topojson/")})
        return html.Div(head + [dbc.Row([dbc.Col(graph, lg=5), dbc.Col(bars, lg=7)])], className="drill-panel mb-2")
    note = missing_boundary_note(region_level, children)
    if note is not None:
        return html.Div(head + [dbc.Row([dbc.Col(note, lg=5), dbc.Col(bars, lg=7)])], className="drill-panel mb-2")
    return html.Div(head + [bars], className="drill-panel mb-2")


def child_level_name(region_level: int) -> str:
    return CHILD_LEVEL_NAMES.get(region_level + 1, "")
