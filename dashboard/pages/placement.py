"""安置就业: placement and employment KPI cards with 口径, drill panel, 清零 weekly line, cohort trends."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import labels
from dashboard.cache import cached_model
from dashboard.components.export import export_link
from dashboard.components.chrome import page_head
from dashboard.components.drill import GRAPH_CONFIG, child_level_name, drill_panel
from dashboard.components.kpi import card
from dashboard.components.safe import safe_layout
from dashboard.context import get_context
from dashboard.placement.figures import clear_figure, cohort_rate_figure, mix_figure, service_figure
from dashboard.placement.model import DRILL_METRICS, E4, build_placement, year_pace
from queries.placement import TREND_YEARS

PATH = "/placement"
METRIC_SELECT = {"type": "nav", "name": "metric-select"}
KPI_ROW, VILLAGE_PANEL = "placement-kpis", "placement-village"
MIX_GRAPH, CLEAR_GRAPH, COHORT_GRAPH, SERVICE_GRAPH = ("placement-mix", "placement-clear",
                                                       "placement-cohorts", "placement-311")
STATUS_COLUMNS = ["待就业", "城镇就业", "返乡务农", "创业", "复学", "考试入学"]

dash.register_page(__name__, path=PATH, name="安置就业", title="安置就业 · 领导驾驶舱")


@safe_layout(PATH, cache_view=True)
def layout(region: str | None = None, period: str | None = None, metric: str | None = None, **_):
    ctx = get_context()
    model = cached_model("placement", build_placement, ctx, region, period, metric)
    as_of_text = f"数据截至 {labels.fmt_date(ctx.as_of)}"
    year, end = model.period.last_day.year, model.period.last_day
    left = _village_panel(model) if model.region.level == 5 else _drill(model)
    status_all = next(k.status for k in model.kpis if k.indicator.id == E4.id)
    return html.Div([
        page_head(model.lineage, PATH, model.period, model.metric.id), export_link("placement", model),
        html.Div(f"{model.region.name} · {model.period.label}", className="view-title", id="view-title"),
        html.Div([_kpi(k, as_of_text) for k in model.kpis], id=KPI_ROW, className="kpi-row",
                 style={"gridTemplateColumns": "repeat(6, minmax(0, 1fr))"}),
        dbc.Row([dbc.Col(left, lg=7),
                 dbc.Col(_graph(CLEAR_GRAPH, clear_figure(model.weekly, year, year_pace)), lg=5)], className="g-2 mb-2"),
        dbc.Row([
            dbc.Col(_graph(MIX_GRAPH, mix_figure(model.mix, year, TREND_YEARS, _mix_name(model))), lg=6),
            dbc.Col(_graph(COHORT_GRAPH, cohort_rate_figure(model.cohorts, f"{end.month}月{end.day}日")), lg=3),
            dbc.Col(_graph(SERVICE_GRAPH, service_figure(model.service311, model.pace, status_all)), lg=3),
        ], className="g-2"),
    ], className="page page-placement")


def _kpi(k, as_of_text: str):
    return card(k, as_of_text)


def _graph(graph_id: str, figure):
    return dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG, className="bars-graph")


def _mix_name(model) -> str:
    if model.county is None:
        return model.region.name
    return f"{model.county.name}（{labels.COUNTY_ONLY}）"


def _drill(model):
    options = [{"label": m.name, "value": m.id} for m in DRILL_METRICS]
    hint = []
    if model.metric.county_only and model.region.level >= 3:
        hint = [html.Span(f"{model.metric.name}为县级指标，乡镇、村显示“{labels.COUNTY_ONLY}”",
                          className="text-muted ms-3 small")]
    selector = html.Div([html.Span("排名指标：", className="me-2"),
                         dcc.Dropdown(id=METRIC_SELECT, options=options, value=model.metric.id, clearable=False,
                                      searchable=False, className="metric-select"), *hint],
                        className="d-flex align-items-center mb-1")
    title = f"{model.metric.name} · 各{child_level_name(model.region.level)}"
    pace = model.pace if model.metric.id in ("employment_clear_rate", "employment_311_rate") else None
    return drill_panel("placement", model.region.level, model.children, title, model.metric.unit,
                       reference=pace, reference_label="序时进度" if pace else "", selector=selector)


def _village_panel(model):
    """A village has no children: its own veterans' statuses, the masked 待就业 list, 兵支书/兵老板."""
    v = model.village
    facts = html.Div([
        dbc.Badge("有兵支书" if v["zhishu"] else "无兵支书", color="success" if v["zhishu"] else "secondary",
                  className="me-2 fs-6"),
        html.Span(f"兵老板 {v['laoban']} 人", className="me-3 fs-6"),
    ], className="mb-2")
    if not v["has_records"]:
        body = [facts, dbc.Alert("本村(社区)暂无上年度、本年度退役的自主就业退役士兵就业记录。"
                                 "（新建或人口较少的村(社区)没有记录属正常情况。）", color="light", className="mb-0")]
    else:
        head = html.Thead(html.Tr([html.Th("退役年度"), html.Th("人数")] + [html.Th(s) for s in STATUS_COLUMNS]))
        rows = html.Tbody([html.Tr([html.Td(r["cohort"]), html.Td(r["total"])]
                                   + [html.Td(r[s]) for s in STATUS_COLUMNS]) for r in v["table"]])
        body = [facts, html.H6("自主就业退役士兵当前状态（人）"),
                html.Table([head, rows], className="table table-sm mb-2"), html.H6("待就业清单（一人一档，编号已脱敏）")]
        if v["waiting"]:
            body.append(html.Table([
                html.Thead(html.Tr([html.Th(t) for t in ("编号", "退役年度", "待就业起始", "就业困难", "本年“311”服务")])),
                html.Tbody([html.Tr([html.Td(p["id"]), html.Td(p["cohort"]), html.Td(p["since"]),
                                     html.Td(p["hardship"]), html.Td(p["services"])]) for p in v["waiting"]]),
            ], className="table table-sm mb-0"))
        else:
            body.append(dbc.Alert("本村(社区)待就业人员已清零。", color="success", className="mb-0"))
    return dbc.Card(dbc.CardBody([html.H5(f"{model.region.name} · 本村(社区)情况", className="card-title"), *body]),
                    id=VILLAGE_PANEL, className="station-card")
