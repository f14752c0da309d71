"""资金发放: F1-F5 KPI cards, execution vs 序时进度 per child, amounts by kind and month, audit anomalies."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from config.thresholds import STATUS_COLORS
from dashboard import labels
from dashboard.cache import cached_model
from dashboard.catalogue import evaluate
from dashboard.components.chrome import page_head
from dashboard.components.drill import GRAPH_CONFIG, child_level_name, drill_panel
from dashboard.components.export import export_link
from dashboard.components.grid import number_column, table_grid, text_column
from dashboard.components.kpi import card
from dashboard.components.safe import safe_layout
from dashboard.context import get_context
from dashboard.funds.figures import kind_month_bars
from dashboard.funds.model import (
    ANOMALY_RATE,
    DRILL_HINT,
    FundsModel,
    build_funds_model,
)
from dashboard.urls import href

PATH = "/funds"
METRIC_SELECT = {"type": "nav", "name": "metric-select"}
BARS_ID = {"type": "drill", "name": "funds-bars"}
KIND_GRAPH = "funds-kind-month"
ANOMALY_TABS = "funds-anomaly-tabs"
TABLE_STYLE = {"fontSize": "0.95rem"}

dash.register_page(__name__, path=PATH, name="资金发放", title="资金发放 · 领导驾驶舱")


@safe_layout(PATH, cache_view=True)
def layout(region: str | None = None, period: str | None = None, metric: str | None = None, **_):
    ctx = get_context()
    model = cached_model("funds", build_funds_model, ctx, region, period, metric)
    as_of_text = f"数据截至 {labels.fmt_date(ctx.as_of)}"
    cards = [card(k, as_of_text) for k in model.kpis]
    notes = [html.Div(n, className="text-muted mb-1") for n in model.notes]
    body = _village_rows(model) if model.village is not None else _region_rows(model)
    return html.Div([
        page_head(model.lineage, PATH, model.period, model.metric.id), export_link("funds", model),
        html.Div(f"{model.region.name} · {model.period.label} · 资金发放", className="view-title", id="view-title"),
        *notes,
        html.Div(cards, className="kpi-row", id="kpi-row"),
        *body,
        _anomalies(model, ctx),
    ], className="page page-funds")


# ----------------------------------------------------------------------------- sections
def _region_rows(model: FundsModel) -> list:
    return [_drill(model),
            dbc.Row([dbc.Col(_kind_graph(model), lg=7), dbc.Col(_kind_table(model), lg=5)], className="mb-2 g-2")]


def _village_rows(model: FundsModel) -> list:
    return [dbc.Row([dbc.Col(_village_summary(model), lg=5), dbc.Col(_kind_graph(model), lg=7)], className="mb-2 g-2")]


def _kind_graph(model: FundsModel):
    title = f"{model.region.name} 各类资金月度发放额（近36个月）"
    return dcc.Graph(id=KIND_GRAPH, figure=kind_month_bars(model.kind_month, title), config=GRAPH_CONFIG,
                     className="trend-graph")


def _drill(model: FundsModel):
    options = [{"label": m.name, "value": m.id} for m in model.metric_options]
    selector = html.Div([html.Span("指标：", className="me-2"),
                         dcc.Dropdown(id=METRIC_SELECT, options=options, value=model.metric.id,
                                      clearable=False, searchable=False, className="metric-select")],
                        className="d-flex align-items-center mb-1")
    level_name = child_level_name(model.region.level)
    is_pace = model.metric.id == "execution"
    title = f"{model.metric.name} · 各{level_name}"
    if is_pace:
        title += f"（虚线：序时进度 {labels.fmt_pct(model.pace)}，颜色按落后序时进度的百分点）"
    panel = drill_panel("funds", model.region.level, model.children, title, model.metric.unit,
                        reference=model.pace if is_pace else None,
                        reference_label=f"序时进度 {labels.fmt_pct(model.pace)}" if is_pace else "",
                        selector=selector)
    return panel


def _kind_table(model: FundsModel):
    table = model.kind_table
    title = html.H6(f"各类资金发放额 · {model.period.label}（万元）", className="mt-1")
    if table.empty:
        return html.Div([title, dbc.Alert("本期暂无资金发放记录。", color="light")], className="bg-white rounded p-2 h-100")
    kinds = [c for c in table.columns if c not in ("code", "short", "name")]
    fields = {k: f"k{i}" for i, k in enumerate(kinds)}          # grid field names: no Chinese keys in JS paths
    rows = []
    for i, rec in enumerate(table.to_dict("records")):
        # a child's name links to its view (markdown cell: a plain <a>, same URL as the drill)
        name = rec["name"] if i == 0 else f"[{rec['name']}]({_href(model, rec['short'])})"
        rows.append({"name": name, **{fields[k]: _wan_value(rec.get(k)) for k in kinds}})
    columns = [text_column(child_level_name(model.region.level), "name", cellRenderer="markdown", minWidth=110)]
    columns += [number_column(k, fields[k], ",.1f") for k in kinds]
    # the region's own total stays on top (pinned) while the children sort
    grid = table_grid("funds-kind-grid", rows[1:], columns, max_height=340, pinnedTopRowData=rows[:1],
                      rowClassRules={"fw-bold": "params.node.rowPinned"})
    return html.Div([title, grid], className="bg-white rounded p-2 h-100", id="funds-kind-table")


def _village_summary(model: FundsModel):
    v = model.village
    title = html.H5(f"{model.region.name} · 本级资金发放（{model.period.label}）")
    if v["empty"]:
        return html.Div([title, dbc.Alert("本期本村(社区)无资金发放记录。新设村(社区)或暂无优抚对象属正常情况。",
                                          color="light", id="funds-village-empty")],
                        className="bg-white rounded p-3 h-100", id="funds-village")
    kind_rows = [html.Tr([html.Td(k), html.Td(labels.fmt_yuan(r["amount_due"]), className="text-end"),
                          html.Td(labels.fmt_yuan(r["amount_paid"]), className="text-end")])
                 for k, r in v["by_kind"].iterrows()]
    cat_rows = [html.Tr([html.Td(r["category"]), html.Td(f"{int(r['people'])}人", className="text-end"),
                         html.Td(f"{int(r['payments'])}笔", className="text-end"),
                         html.Td(labels.fmt_yuan(r["amount_paid"]), className="text-end")])
                for _, r in v["categories"].iterrows()]
    return html.Div([
        title,
        html.H6("按资金类别", className="mt-2"),
        dbc.Table([html.Thead(html.Tr([html.Th("资金类别"), html.Th("应发"), html.Th("实发")])),
                   html.Tbody(kind_rows)], size="sm", striped=True, style=TABLE_STYLE),
        html.H6("按优抚对象类别（本期有发放记录的人数）"),
        dbc.Table([html.Thead(html.Tr([html.Th("类别"), html.Th("人数"), html.Th("发放笔数"), html.Th("实发")])),
                   html.Tbody(cat_rows)], size="sm", striped=True, style=TABLE_STYLE),
    ], className="bg-white rounded p-3 h-100", id="funds-village")


def _anomalies(model: FundsModel, ctx):
    head = html.H5(f"审计异常线索（{model.ytd_label}，仅显示脱敏编号）", className="mt-2")
    checks = model.audit.checks
    first = next((c for c in checks if c.total), checks[0])         # open the first check that found something
    wide = model.region.level <= 2
    tabs = dbc.Tabs([dbc.Tab(_anomaly_list(c, wide), label=f"{c.label}（{c.total}）", tab_id=f"tab-{c.key}")
                     for c in checks], id=ANOMALY_TABS, active_tab=f"tab-{first.key}")
    row = dbc.Row([dbc.Col(_anomaly_counts(model, ctx), lg=5), dbc.Col(tabs, lg=7)], className="g-2")
    return html.Div([head, row], className="bg-white rounded p-2 mb-3", id="funds-anomalies")


def _anomaly_counts(model: FundsModel, ctx):
    table = model.anomaly_table
    labels_ = [c.label for c in model.audit.checks]
    head = html.Thead(html.Tr([html.Th("区划")] + [html.Th(x) for x in labels_] + [html.Th("合计"), html.Th("每千笔")]))
    rows, quiet = [], 0
    records = table.to_dict("records")
    for i, rec in enumerate(records):
        if rec["合计"] == 0 and len(records) > 1 and i < len(records) - 1:
            quiet += 1                    # a child without cases: summed up in one line below
            continue
        linked = rec["code"] != model.region.code
        name = dcc.Link(rec["name"], href=_href(model, rec["short"])) if linked else rec["name"]
        rate = rec["每千笔"]
        color = STATUS_COLORS[evaluate(ANOMALY_RATE, rate, ctx.thresholds).key] if rate is not None else None
        rows.append(html.Tr([html.Td(name)] + [html.Td(rec[x], className="text-end") for x in labels_]
                            + [html.Td(rec["合计"], className="text-end fw-bold"),
                               html.Td("—" if rate is None else f"{rate:.2f}", className="text-end",
                                       style={"color": color, "fontWeight": 600} if color else None)]))
    if quiet:
        text = f"{'其余' if len(rows) > 1 else '全部'} {quiet} 个{child_level_name(model.region.level)}未发现异常线索"
        rows.insert(len(rows) - 1, html.Tr(html.Td(text, colSpan=len(labels_) + 3, className="text-muted")))
    rules = html.Ul([html.Li([html.B(c.label + "："), c.rule]) for c in model.audit.checks],
                    className="small text-muted mt-2")
    return html.Div([dbc.Table([head, html.Tbody(rows)], size="sm", striped=True, hover=True, style=TABLE_STYLE,
                               className="mb-1"), rules], id="funds-anomaly-counts")


def _anomaly_list(check, wide: bool):
    """wide: a city or the province, whose list is cut short (funds_model.WIDE_LIST_LIMIT)."""
    if check.total == 0:
        return dbc.Alert(f"本年以来未发现“{check.label}”线索。", color="success", className="mt-2")
    shown = len(check.rows)
    caption = f"共 {check.total} 条，涉及实发 {labels.fmt_yuan(check.amount)}" + (
        f"；显示最近 {shown} 条" + (f"，{DRILL_HINT}" if wide else "") if check.total > shown else "")
    cols = list(check.rows.columns)
    fields = {c: f"c{i}" for i, c in enumerate(cols)}
    numeric = {c: bool(check.rows[c].map(lambda v: isinstance(v, float)).any()) for c in cols}
    rows = [{fields[c]: (_float(v) if numeric[c] else _cell(v)) for c, v in zip(cols, row)}
            for row in check.rows.itertuples(index=False)]
    columns = [number_column(c, fields[c], ",.2f") if numeric[c] else text_column(c, fields[c]) for c in cols]
    return html.Div([html.Div(caption, className="small text-muted my-1"),
                     table_grid(f"funds-grid-{check.key}", rows, columns, max_height=380)],
                    id=f"funds-list-{check.key}")


# ----------------------------------------------------------------------------- helpers
def _href(model: FundsModel, short: str) -> str:
    return href(PATH, region=short, period=model.period.key, metric=model.metric.id)


def _wan_value(v) -> float | None:
    """元 → 万元 for the grid (None: no data, shown as —)."""
    return None if v is None or pd.isna(v) else float(v) / 1e4


def _float(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _cell(v) -> str:
    return f"{v:,.2f}" if isinstance(v, float) else str(v)


