"""驾驶舱首页: KPI cards for the four areas, map and ranked bars of the children, 36-month trends."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import labels
from dashboard.components.chrome import page_head
from dashboard.components.kpi import kpi_card
from dashboard.components.safe import safe_layout
from dashboard.components.station import station_card
from dashboard.context import get_context
from dashboard.figures import empty_figure, ranked_bars, status_choropleth, trend_panel
from dashboard.indicators import BY_ID, MAP_METRICS
from dashboard.overview_model import build_overview

PATH = "/"
MAP = {"type": "drill", "name": "overview-map"}
BARS = {"type": "drill", "name": "overview-bars"}
METRIC_SELECT = {"type": "nav", "name": "metric-select"}
GRAPH_CONFIG = {"locale": "zh-CN", "displaylogo": False,
                "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"]}

dash.register_page(__name__, path=PATH, name="总览", title="总览 · 领导驾驶舱")


def geojson_url(level: int) -> str | None:
    """Boundaries exist for a province's cities and a city's counties only (served once from assets)."""
    return {1: "geo/hunan_cities.geojson", 2: "geo/hunan_counties.geojson"}.get(level)


@safe_layout(PATH)
def layout(region: str | None = None, period: str | None = None, metric: str | None = None, **_):
    ctx = get_context()
    model = build_overview(ctx, region, period, metric)
    as_of_text = f"数据截至 {labels.fmt_date(ctx.as_of)}"
    kpis = html.Div([kpi_card(k.indicator, k.value, k.status, k.prev, k.last_year, k.note, as_of_text)
                     for k in model.kpis], className="kpi-row", id="kpi-row")
    return html.Div([
        page_head(model.lineage, PATH, model.period, model.metric.id),
        html.Div(f"{model.region.name} · {model.period.label}", className="view-title", id="view-title"),
        kpis,
        _middle(model, ctx),
        dcc.Graph(id="overview-trend", figure=trend_panel(model.trend, model.trend_months),
                  config=GRAPH_CONFIG, className="trend-graph"),
    ], className="page page-overview")


def _middle(model, ctx):
    if model.region.level == 5 or model.children.empty:
        return dbc.Row([dbc.Col(station_card(model.station, model.region.name), md=6),
                        dbc.Col(html.Div([html.H5("本级说明"), html.P(
                            "村(社区)为最末一级，无下级区划；上方指标为本村(社区)数据，"
                            "资金执行率、安置完成率为所属县的数据（按县统计）。")], className="village-note"), md=6)],
                       className="mb-3")
    options = [{"label": BY_ID[m].name, "value": m} for m in MAP_METRICS]
    selector = html.Div([html.Span("着色指标：", className="me-2"),
                         dcc.Dropdown(id=METRIC_SELECT, options=options, value=model.metric.id,
                                      clearable=False, searchable=False, className="metric-select")],
                        className="d-flex align-items-center mb-1")
    level_name = {2: "市州", 3: "县(市、区)", 4: "乡镇(街道)", 5: "村(社区)"}[model.region.level + 1]
    title = f"{model.metric.name} · 各{level_name}"
    reference = None
    if model.metric.id == "execution":
        reference = next(k for k in model.kpis if k.indicator.id == "execution")
        reference = float(model.period.last_day.month / 12 * 100)
    unit = "%" if model.metric.unit == "%" else model.metric.unit
    bars = dcc.Graph(id=BARS, figure=ranked_bars(model.children, title, unit, reference=reference,
                                                 reference_label="序时进度" if reference else ""),
                     config=GRAPH_CONFIG, className="bars-graph")
    url = geojson_url(model.region.level)
    if url:
        fig = status_choropleth(model.children, dash.get_asset_url(url), title)
        map_col = dbc.Col(dcc.Graph(id=MAP, figure=fig, config={**GRAPH_CONFIG, "topojsonURL": dash.get_asset_url("topojson/")},
                                    className="map-graph"), lg=5)
        return html.Div([selector, dbc.Row([map_col, dbc.Col(bars, lg=7)])], className="mb-2")
    return html.Div([selector, bars], className="mb-2")
