"""服务网络: coverage, 五有, grades, staff and whether the stations really run (挂牌未运行), city → village."""
from __future__ import annotations

from datetime import timedelta

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import labels
from dashboard.cache import cached_model
from dashboard.components.export import export_link
from dashboard.components.chrome import message, page_head
from dashboard.components.drill import GRAPH_CONFIG, child_level_name, drill_panel
from dashboard.components.kpi import card
from dashboard.components.safe import safe_layout
from dashboard.components.station import station_card
from dashboard.context import get_context
from dashboard.network.figures import activity_trend, idle_bars
from dashboard.network.model import (BY_ID, FIVE_ITEMS, MAP_METRICS, NetworkModel, build_network)
from queries.network import RUNNING_DAYS

PATH = "/network"
METRIC_SELECT = {"type": "nav", "name": "metric-select"}
IDLE_BARS = {"type": "drill", "name": "network-idle"}
FIVE_GRID, GRADE_GRID, IDLE_GRID = "network-five-grid", "network-grade-grid", "network-idle-grid"
TREND, EMPTY, KPI_ROW = "network-trend", "network-empty", "kpi-row"

dash.register_page(__name__, path=PATH, name="服务网络", title="服务网络 · 领导驾驶舱")

PCT = {"function": "params.value == null ? '—' : d3.format('.1f')(params.value) + '%'"}
DAYS = {"function": "params.value == null ? '—' : d3.format(',d')(params.value)"}
THEME = {"function": "themeQuartz.withParams({spacing: 5, fontSize: 15, headerFontSize: 14, "
                     "fontFamily: 'Noto Sans CJK SC, Microsoft YaHei, sans-serif'})"}
GRID_OPTIONS = {"localeText": {"noRowsToShow": "无数据"}, "suppressMovableColumns": True,
                "tooltipShowDelay": 300, "theme": THEME}
DEFAULT_COL = {"sortable": True, "resizable": True, "minWidth": 56, "wrapHeaderText": True,
               "autoHeaderHeight": True}
AUTO_HEIGHT_ROWS = 14            # shorter lists size to their rows; longer ones scroll inside 440 px


def count_pct(count_field: str, den_field: str | None = None) -> dict:
    """Cell text "13 · 81.3%" (or "1/2 · 50.0%"); the cell's value, used for sorting, is the percentage.
    Field names come from the fixed lists in this module, never from input."""
    count = f"d3.format(',d')(params.data.{count_field})"
    if den_field:
        count += f" + '/' + d3.format(',d')(params.data.{den_field})"
    return {"function": f"params.value == null ? {count} + ' · —' : {count} + ' · ' + "
                        f"d3.format('.1f')(params.value) + '%'"}


@safe_layout(PATH, cache_view=True)
def layout(region: str | None = None, period: str | None = None, metric: str | None = None, **_):
    ctx = get_context()
    model = cached_model("network", build_network, ctx, region, period, metric)
    as_of_text = (f"数据截至 {labels.fmt_date(ctx.as_of)}；时点指标取 {labels.fmt_date(model.period.last_day)}，"
                  f"期间指标为 {model.period.label}")
    body = [page_head(model.lineage, PATH, model.period, model.metric.id), export_link("network", model),
            html.Div(f"{model.region.name} · 服务网络 · {model.period.label}", className="view-title", id="view-title")]
    if model.no_station:
        body.append(html.Div(message(f"该区划尚未建站：应建 {model.expected:,} 个中心(站)，已建成挂牌 0 个。",
                                     "warning"), id=EMPTY))
    body.append(_kpi_row(model, as_of_text))
    body += _leaf(model) if model.is_leaf else _branch(model, ctx)
    return html.Div(body, className="page page-network")


# ------------------------------------------------------------------------------------------- KPIs
def _kpi_row(model: NetworkModel, as_of_text: str) -> html.Div:
    cards = [_card(k, as_of_text) for k in model.kpis]
    columns = 7 if len(cards) > 7 else len(cards)
    return html.Div(cards, className="kpi-row", id=KPI_ROW, style={"gridTemplateColumns": f"repeat({columns}, 1fr)"})


def _card(kpi, as_of_text: str) -> html.Div:
    return card(kpi, as_of_text)


# ------------------------------------------------------------------------------------------- region with children
def _branch(model: NetworkModel, ctx) -> list:
    child = child_level_name(model.region.level)
    options = [{"label": BY_ID[m].name, "value": m} for m in MAP_METRICS]
    selector = html.Div([html.Span("着色指标：", className="me-2"),
                         dcc.Dropdown(id=METRIC_SELECT, options=options, value=model.metric.id,
                                      clearable=False, searchable=False, className="metric-select")],
                        className="d-flex align-items-center mb-1")
    drill = drill_panel("network", model.region.level, model.children, f"{model.metric.name} · 各{child}",
                        model.metric.unit, selector=selector)
    out = [drill]
    if not model.no_station:
        out.append(dbc.Row([dbc.Col(_five_table(model, child, ctx), lg=7),
                            dbc.Col(_grade_table(model, child, ctx), lg=5)], className="g-2 mb-2"))
        out.append(_idle_section(model, child))
    out.append(_trend(model))
    return out


def _section(title, body, note=None, id=None) -> dbc.Card:
    head = [html.H5(title, className="mb-1 fw-bold")]
    if note:
        head.append(html.Div(note, className="text-muted small mb-1"))
    extra = {"id": id} if id else {}
    return dbc.Card(dbc.CardBody(head + [body]), className="h-100 network-section", **extra)


def _grid(grid_id: str, rows: list[dict], columns: list[dict], total: dict | None = None,
          fixed_height: bool = False) -> dag.AgGrid:
    options = dict(GRID_OPTIONS)
    if total is not None:
        options["pinnedBottomRowData"] = _clean([total])
    if not fixed_height:
        options["domLayout"] = "autoHeight"
    return dag.AgGrid(id=grid_id, rowData=_clean(rows), columnDefs=columns, defaultColDef=DEFAULT_COL,
                      columnSize="responsiveSizeToFit", dashGridOptions=options,
                      style={"height": "440px"} if fixed_height else {"height": None})


def _clean(rows: list[dict]) -> list[dict]:
    """NaN is not JSON: missing values go to the grid as null (shown as —)."""
    return [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in rows]


def _num_col(name: str, field: str, **kw) -> dict:
    return {"headerName": name, "field": field, "type": "numericColumn", **kw}


def _status_style(threshold) -> dict:
    """The same 红黄绿 as the KPI cards (thresholds file), never the data's range."""
    return {"styleConditions": [
        {"condition": f"params.value != null && params.value < {threshold.amber}",
         "style": {"color": "#d64541", "fontWeight": "600"}},
        {"condition": f"params.value != null && params.value < {threshold.green}",
         "style": {"color": "#b07d00", "fontWeight": "600"}}]}


def _pct_col(name: str, field: str, formatter=PCT, threshold=None, **kw) -> dict:
    col = _num_col(name, field, valueFormatter=formatter, **kw)
    if threshold is not None:
        col["cellStyle"] = _status_style(threshold)
    return col


def _five_table(model: NetworkModel, child: str, ctx) -> dbc.Card:
    columns = [{"headerName": child, "field": "name", "pinned": "left", "minWidth": 100},
               _num_col("已建", "built", minWidth=60)]
    for key, label in FIVE_ITEMS:
        columns.append(_pct_col(label, key + "_pct", count_pct(key), minWidth=122))
    columns.append(_pct_col("五项全达标", "five_ok_pct", count_pct("five_ok"), ctx.thresholds.get("five_have"),
                            minWidth=126))
    return _section("“五有”达标情况", _grid(FIVE_GRID, model.five_rows, columns, model.five_total),
                    note="每格：达标站数 · 占已建中心(站)比例；点击列头排序。")


def _grade_table(model: NetworkModel, child: str, ctx) -> dbc.Card:
    columns = [{"headerName": child, "field": "name", "pinned": "left", "minWidth": 112, "tooltipField": "name"},
               {"headerName": "示范型", "children": [_num_col(g, k, minWidth=50) for g, k in (
                   ("国家级", "model_national"), ("省级", "model_province"), ("市级", "model_city"),
                   ("县级", "model_county"))]},
               _num_col("标杆型", "benchmark", minWidth=50),
               _pct_col("示范/标杆占比", "model_share", threshold=ctx.thresholds.get("network_model_share"),
                        minWidth=66),
               _num_col("红色站", "red", minWidth=50),
               _pct_col("一部一站（已融合/乡镇站）", "yibu_pct", count_pct("yibu_yizhan", "built_town"),
                        ctx.thresholds.get("network_yibu"), minWidth=138)]
    return _section("创建等级与“一部一站”", _grid(GRADE_GRID, model.grade_rows, columns, model.grade_total),
                    note="示范型按验收级别；同一站可同时为示范、标杆、红色站。“一部一站”仅计乡镇(街道)站。")


def _idle_section(model: NetworkModel, child: str) -> dbc.Row:
    end = model.period.last_day
    start = end - timedelta(days=RUNNING_DAYS - 1)
    share = labels.fmt_pct(model.idle_total / model.built * 100) if model.built else "—"
    title = f"挂牌未运行：{start.month}月{start.day}日—{end.month}月{end.day}日无服务记录的中心(站)共 {model.idle_total:,} 个"
    note = f"占已建 {share}。从未有服务记录的排在最前，其次按最近服务日期由远到近。"
    if model.idle_total > len(model.idle):
        note += f"列表显示前 {len(model.idle):,} 个，其余请下钻到下级查看。"
    columns = [{"headerName": "站点名称", "field": "station", "minWidth": 260, "tooltipField": "station"},
               {"headerName": "层级", "field": "level", "minWidth": 100},
               {"headerName": "县(市、区)", "field": "county", "minWidth": 90},
               {"headerName": "乡镇(街道)", "field": "township", "minWidth": 100},
               {"headerName": "村(社区)", "field": "village", "minWidth": 100},
               {"headerName": "建成挂牌", "field": "founded", "minWidth": 140},
               {"headerName": "最近服务", "field": "last", "minWidth": 140},
               _num_col("未服务天数", "days", valueFormatter=DAYS, minWidth=90)]
    rows = model.idle.to_dict("records")
    grid = (_grid(IDLE_GRID, rows, columns, fixed_height=len(rows) > AUTO_HEIGHT_ROWS) if rows
            else html.Div("本级所有中心(站)近30日均有服务记录。", className="text-success fs-5 p-3", id=IDLE_GRID))
    bars = dcc.Graph(id=IDLE_BARS, figure=idle_bars(model.idle_by_child, f"各{child}挂牌未运行站数"),
                     config=GRAPH_CONFIG, className="bars-graph")
    return dbc.Row([dbc.Col(bars, lg=4), dbc.Col(_section(title, grid, note=note, id="network-idle"), lg=8)],
                   className="g-2 mb-2")


def _trend(model: NetworkModel) -> html.Div:
    graph = dcc.Graph(id=TREND, figure=activity_trend(model.trend, f"{model.region.name} 近36个月服务办件量与站点运行"),
                      config=GRAPH_CONFIG, className="trend-graph")
    note = html.Div(model.trend_note, className="text-muted small mt-1") if model.trend_note else None
    return html.Div([graph, note] if note else [graph], className="mb-2")


# ------------------------------------------------------------------------------------------- village
def _leaf(model: NetworkModel) -> list:
    return [dbc.Row([dbc.Col(station_card(model.station, model.region.name), lg=5),
                     dbc.Col(_trend(model), lg=7)], className="g-2 mb-2")]
