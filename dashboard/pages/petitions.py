"""信访热点: spike alerts, X1–X9 cards, hotspot map and rankings, volume by channel/category/type, overdue list."""
from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import labels
from dashboard.petitions import figures as pf
from dashboard.cache import cached_model
from dashboard.components.export import export_link
from dashboard.components.chrome import page_head
from dashboard.components.drill import GRAPH_CONFIG, child_level_name, drill_panel
from dashboard.components.kpi import card
from dashboard.components.safe import safe_layout
from dashboard.context import get_context
from dashboard.petitions import model as pm
from dashboard.petitions.model import MAP_METRICS, PATH, build_petitions_model
from queries.petitions import OVERDUE_LIST_MAX

METRIC_SELECT = {"type": "nav", "name": "metric-select"}
HOT_TOWNS = {"type": "drill", "name": "petitions-hot-towns"}
HOT_VILLAGES = {"type": "drill", "name": "petitions-hot-villages"}
KPI_GRID = {"gridTemplateColumns": "repeat(5, minmax(0, 1fr))"}
OVERDUE_GRID = "petitions-overdue-grid"
CARD = "bg-white rounded shadow-sm p-2 mb-2"
# the overdue list as grid rows (≈ 8× smaller in the response than an html table of 200 rows)
DAY_KEY = {"function": "params.value == null ? '—' : Math.floor(params.value / 10000) + '年' + "
                       "(Math.floor(params.value / 100) % 100) + '月' + (params.value % 100) + '日'"}
THEME = {"function": "themeQuartz.withParams({spacing: 5, fontSize: 15, headerFontSize: 14, "
                     "fontFamily: 'Noto Sans CJK SC, Microsoft YaHei, sans-serif'})"}
OVERDUE_COLUMNS = [
    {"headerName": "编号", "field": "id", "maxWidth": 120},
    {"headerName": "收到日期", "field": "received_day", "valueFormatter": DAY_KEY, "maxWidth": 160},
    {"headerName": "乡镇 · 村(社区)", "field": "place", "minWidth": 260},
    {"headerName": "问题类别", "field": "category", "maxWidth": 140},
    {"headerName": "渠道", "field": "channel", "maxWidth": 140},
    {"headerName": "超期天数", "field": "days_overdue", "type": "numericColumn", "maxWidth": 130,
     "cellStyle": {"color": "#d64541", "fontWeight": 700}},
    {"headerName": "已延期", "field": "extended", "maxWidth": 110},
]
SPIKES_SHOWN = 10

dash.register_page(__name__, path=PATH, name="信访热点", title="信访热点 · 领导驾驶舱")


@safe_layout(PATH, cache_view=True)
def layout(region: str | None = None, period: str | None = None, metric: str | None = None, **_):
    ctx = get_context()
    model = cached_model("petitions", build_petitions_model, ctx, region, period, metric)
    as_of_text = f"数据截至 {labels.fmt_date(ctx.as_of)}"
    return html.Div([
        page_head(model.lineage, PATH, model.period, model.metric.id), export_link("petitions", model),
        html.Div(f"{model.region.name} · {model.period.label} · 信访热点", className="view-title", id="view-title"),
        _spike_alert(model),
        html.Div([_card(k, as_of_text) for k in model.volume_kpis], className="kpi-row mb-2", id="kpi-volume",
                 style=KPI_GRID),
        html.Div([_card(k, as_of_text) for k in model.handling_kpis], className="kpi-row", id="kpi-handling",
                 style=KPI_GRID),
        _middle(model),
        _hot_places(model),
        _volume(model),
        _overdue(model),
    ], className="page page-petitions")


def _card(k, as_of_text: str):
    return card(k, as_of_text)


def _spike_alert(model):
    week = model.spike_week
    rule = f"规则：本周≥{pm.SPIKE_MIN_CASES}件且≥前4周周均的{pm.SPIKE_RATIO:g}倍"
    if model.region.level == 5:
        return html.Div(id="petitions-spikes")
    if not model.spikes:
        return html.Div(f"{week.label}：各乡镇(街道)信访量无异动（{rule}）。",
                        className="text-muted mb-2", id="petitions-spikes")
    items = []
    for s in model.spikes[:SPIKES_SHOWN]:
        avg = f"{s['avg_4w']:.2f}".rstrip("0").rstrip(".")
        base = f"前4周周均 {avg} 件（{s['ratio']:.1f}倍）" if s["ratio"] else "前4周无信访件"
        items.append(html.Li([dcc.Link(f"{s['county']} {s['name']}", href=s["href"], className="alert-link"),
                              f"：本周 {s['this_week']} 件，{base}"]))
    if len(model.spikes) > SPIKES_SHOWN:
        items.append(html.Li(f"……另有 {len(model.spikes) - SPIKES_SHOWN} 个乡镇(街道)同样异动（按超出周均的件数排序，仅列前{SPIKES_SHOWN}个）。"))
    return dbc.Alert([html.B(f"信访异动 · {week.label}（{rule}）"), html.Ul(items, className="mb-0 mt-1")],
                     color="danger", className="mb-2", id="petitions-spikes")


def _middle(model):
    if model.region.level == 5 or model.children.empty:
        return _village_summary(model)
    options = [{"label": m.name, "value": m.id} for m in MAP_METRICS]
    selector = html.Div([html.Span("着色指标：", className="me-2"),
                         dcc.Dropdown(id=METRIC_SELECT, options=options, value=model.metric.id, clearable=False,
                                      searchable=False, className="metric-select")],
                        className="d-flex align-items-center mb-1")
    title = f"{model.metric.name} · 各{child_level_name(model.region.level)}（点击下钻）"
    return drill_panel("petitions", model.region.level, model.children, title, model.metric.unit,
                       selector=selector)


def _village_summary(model):
    """At a village: its own petitions of the period by channel, category and type — or the empty state."""
    cur = model.period_mix[model.period_mix["span"] == "cur"]
    head = html.H5(f"{model.region.name} · 本期信访概况", className="mb-2")
    if cur.empty:
        total = int(model.monthly_mix["received"].sum()) if not model.monthly_mix.empty else 0
        return html.Div([head, dbc.Alert("本期无信访件", color="info", className="mb-1", id="petitions-village-empty"),
                         html.Div(f"近{len(model.months)}个月共收到 {total} 件。", className="text-muted")],
                        className=CARD, id="petitions-village")
    rows = []
    for column, label in (("channel", "渠道"), ("category", "问题类别"), ("item_type", "事项类型")):
        counts = cur.groupby(column)["received"].sum().sort_values(ascending=False)
        rows.append(html.Tr([html.Th(label), html.Td("，".join(f"{k} {int(v)}件" for k, v in counts.items()))]))
    group = int(cur["group_cnt"].sum())
    rows.append(html.Tr([html.Th("集体访"), html.Td(f"{group} 批，{int(cur['group_persons'].sum())} 人次")]))
    return html.Div([head, html.Table(html.Tbody(rows), className="table table-sm mb-0")],
                    className=CARD, id="petitions-village")


def _hot_places(model):
    level = model.region.level
    if level >= 5:
        return html.Div()
    rule_v = f"村(社区)：退役军人≥{pm.HOT_MIN_VETERANS[5]}人且本期≥{pm.HOT_MIN_CASES[5]}件"
    rule_t = f"乡镇(街道)：退役军人≥{pm.HOT_MIN_VETERANS[4]}人且本期≥{pm.HOT_MIN_CASES[4]}件"
    villages = dcc.Graph(id=HOT_VILLAGES, config=GRAPH_CONFIG, className="bars-graph", figure=pf.hot_bars(
        model.hot_villages, "热点村(社区) · 每万名退役军人信访量（前10）", "本期没有达到门槛的热点村(社区)"))
    if level == 4:
        cols = [dbc.Col(villages, lg=12)]
        rule = rule_v
    else:
        towns = dcc.Graph(id=HOT_TOWNS, config=GRAPH_CONFIG, className="bars-graph", figure=pf.hot_bars(
            model.hot_towns, "热点乡镇(街道) · 每万名退役军人信访量（前10）", "本期没有达到门槛的热点乡镇(街道)"))
        cols = [dbc.Col(towns, lg=6), dbc.Col(villages, lg=6)]
        rule = f"{rule_t}；{rule_v}"
    return html.Div([dbc.Row(cols, className="g-2"),
                     html.Div(f"入选门槛（避免小基数失真）— {rule}。点击条形进入该地。",
                              className="text-muted small mt-1")], className="mb-2", id="petitions-hot")


def _graph(gid: str, figure):
    return dcc.Graph(id=gid, figure=figure, config=GRAPH_CONFIG, className="trend-graph")


def _volume(model):
    months, mix = model.months, model.monthly_mix
    prev_label = "上期（同天数）" if model.period.is_partial else "上期"
    return html.Div([
        html.H5("信访量变化", className="mt-2"),
        dbc.Row([dbc.Col(_graph("petitions-rates", pf.rates_trend(model.trend, months)), lg=6),
                 dbc.Col(_graph("petitions-by-channel", pf.stacked_months(mix, months, "channel")), lg=6)],
                className="g-2"),
        dbc.Row([dbc.Col(_graph("petitions-by-category", pf.stacked_months(mix, months, "category")), lg=6),
                 dbc.Col(_graph("petitions-by-type", pf.stacked_months(mix, months, "item_type")), lg=6)],
                className="g-2"),
        dbc.Row([dbc.Col(_graph("petitions-period-category", pf.period_breakdown(
                     model.period_mix, "category", "本期", prev_label)), lg=6),
                 dbc.Col(_graph("petitions-period-channel", pf.period_breakdown(
                     model.period_mix, "channel", "本期", prev_label)), lg=6)], className="g-2"),
    ], id="petitions-volume")


def _overdue(model):
    end = model.period.last_day
    title = f"超期未办结信访件（截至{end.month}月{end.day}日，共 {model.overdue_total} 件"
    title += f"，显示超期最久的 {OVERDUE_LIST_MAX} 件）" if model.overdue_total > OVERDUE_LIST_MAX else "）"
    if not model.overdue:
        return html.Div([html.H5(title), dbc.Alert("截至期末无超期未办结信访件。", color="success")],
                        className=CARD + " mt-2", id="petitions-overdue")
    tall = len(model.overdue) > 12
    grid = dag.AgGrid(id=OVERDUE_GRID, rowData=model.overdue, columnDefs=OVERDUE_COLUMNS,
                      defaultColDef={"sortable": True, "resizable": True}, columnSize="responsiveSizeToFit",
                      dashGridOptions={"localeText": {"noRowsToShow": "无数据"}, "suppressMovableColumns": True,
                                       "theme": THEME, **({} if tall else {"domLayout": "autoHeight"})},
                      style={"height": "460px"} if tall else {"height": None})
    return html.Div([html.H5(title), grid,
                     html.Div("编号为内部编号掩码，不含姓名等个人信息；点击列标题排序。", className="text-muted small mt-1")],
                    className=CARD + " mt-2", id="petitions-overdue")
