"""驾驶舱首页: KPI cards for the four areas, map and ranked bars of the children, 36-month trends."""
from __future__ import annotations

from datetime import timedelta

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import labels
from dashboard.cache import cached_model
from dashboard.components.export import export_link
from dashboard.components.chrome import page_head
from dashboard.components.kpi import card
from dashboard.components.safe import safe_layout
from dashboard.components.station import station_card
from dashboard.context import get_context
from dashboard.components.drill import GRAPH_CONFIG, child_level_name, drill_panel
from dashboard.figures import TREND_PANELS, trend_small
from dashboard.catalogue import BY_ID
from dashboard.overview_model import MAP_METRICS, build_overview

PATH = "/"
METRIC_SELECT = {"type": "nav", "name": "metric-select"}

dash.register_page(__name__, path=PATH, name="总览", title="总览 · 领导驾驶舱")


@safe_layout(PATH, cache_view=True)
def layout(region: str | None = None, period: str | None = None, metric: str | None = None, **_):
    ctx = get_context()
    model = cached_model("overview", build_overview, ctx, region, period, metric)
    as_of_text = f"数据截至 {labels.fmt_date(ctx.as_of)}"
    kpis = html.Div([card(k, as_of_text)
                     for k in model.kpis], className="kpi-row", id="kpi-row")
    return html.Div([
        page_head(model.lineage, PATH, model.period, model.metric.id), export_link("overview", model),
        html.Div(f"{model.region.name} · {model.period.label}", className="view-title", id="view-title"),
        kpis,
        _middle(model),
        _trends(model),
    ], className="page page-overview")


def _trends(model) -> dbc.Row:
    """36 months of the four areas: four small figures, side by side on a desk, stacked on a phone."""
    day = _partial_day(model.period)
    graphs = [dbc.Col(dcc.Graph(id=f"overview-trend-{i}", config=GRAPH_CONFIG, className="trend-graph",
                                figure=trend_small(model.trend, model.trend_months, i, partial_day=day)),
                      xs=12, md=6, xl=3) for i in range(len(TREND_PANELS))]
    return dbc.Row(graphs, id="overview-trend", className="g-2 trend-row")


def _partial_day(period) -> int | None:
    """The as-of day when the trend's last month is not over (month-to-date), else None."""
    d = period.last_day
    return d.day if (d + timedelta(days=1)).month == d.month else None


def _middle(model):
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
    title = f"{model.metric.name} · 各{child_level_name(model.region.level)}"
    pace = model.extras["pace"] if model.metric.id == "execution" else None
    empty = (f"{model.metric.name}为县级指标，乡镇(街道)及以下按县统计，见上方卡片"
             if model.metric.county_only else "下级区划暂无该指标数据")
    return drill_panel("overview", model.region.level, model.children, title, model.metric.unit,
                       reference=pace, reference_label="序时进度" if pace else "", selector=selector,
                       bar_height=300 if model.metric.county_only and model.region.level >= 3 else None,
                       empty_message=empty)
