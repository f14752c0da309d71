"""排名: where each child region stands on the composite score and on every catalogue indicator."""
from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from config.thresholds import STATUS_COLORS
from dashboard.auth.viewer import enter_page
from dashboard.cache import cached_model
from dashboard.catalogue import AREAS, BY_ID, PACE_TEXT
from dashboard.components.export import export_link
from dashboard.components.chrome import message, page_head
from dashboard.components.drill import GRAPH_CONFIG, child_level_name
from dashboard.components.safe import safe_layout
from dashboard.context import get_context
from dashboard.rankings.build import HighlightCard, RankingsView, build_rankings, highlight_history
from dashboard.rankings.figures import history_line, rank_bars
from dashboard.rankings.model import BASE, COMPOSITE_ID, SPAN, RankRow
from dashboard.urls import href, with_changes
from queries import codes
from queries.regions import OutOfScope

PATH = "/rankings"
METRIC_SELECT = {"type": "nav", "name": "metric-select"}
BARS = {"type": "drill", "name": "rankings-bars"}
GRID, CARD, HISTORY, HISTORY_ARGS = "rankings-grid", "rank-card", "rank-history", "rank-history-args"

dash.register_page(__name__, path=PATH, name="排名", title="排名 · 领导驾驶舱")

THEME = {"function": "themeQuartz.withParams({spacing: 5, fontSize: 15, headerFontSize: 14, "
                     "fontFamily: 'Noto Sans CJK SC, Microsoft YaHei, sans-serif'})"}
LOCALE = {"noRowsToShow": "无数据", "filterOoo": "筛选…", "contains": "包含", "notContains": "不包含",
          "equals": "等于", "notEqual": "不等于", "startsWith": "开头是", "endsWith": "结尾是",
          "blank": "为空", "notBlank": "不为空", "lessThan": "小于", "greaterThan": "大于",
          "lessThanOrEqual": "小于或等于", "greaterThanOrEqual": "大于或等于", "inRange": "介于",
          "inRangeStart": "从", "inRangeEnd": "到", "andCondition": "且", "orCondition": "或",
          "applyFilter": "应用", "resetFilter": "重置", "clearFilter": "清除", "cancelFilter": "取消",
          "empty": "请选择", "textFilter": "文本筛选", "numberFilter": "数值筛选"}
STATUS_STYLE = {"styleConditions": [
    {"condition": f"params.data.status == '{key}'",
     "style": {"backgroundColor": STATUS_COLORS[key], "color": "#fff", "fontWeight": "600"}}
    for key in ("green", "amber", "red", "abnormal")] + [
    {"condition": "params.data.status == 'red-count'", "style": {"color": STATUS_COLORS["red"], "fontWeight": "600"}}]}
CHANGE_STYLE = {"styleConditions": [
    {"condition": "params.value > 0", "style": {"color": STATUS_COLORS["green"], "fontWeight": "600"}},
    {"condition": "params.value < 0", "style": {"color": STATUS_COLORS["red"], "fontWeight": "600"}}]}
TEXT = lambda field: {"function": f"params.data.{field}"}  # noqa: E731 — fields fixed in this module
COLUMNS = [
    {"headerName": "名次", "field": "rank", "valueFormatter": TEXT("rank_text"), "width": 118, "minWidth": 100,
     "filter": "agNumberColumnFilter", "pinned": "left"},
    {"headerName": "单位", "field": "name", "minWidth": 120, "filter": "agTextColumnFilter", "pinned": "left"},
    {"headerName": "数值", "field": "value", "valueFormatter": TEXT("text"), "type": "numericColumn",
     "filter": "agNumberColumnFilter", "minWidth": 100},
    {"headerName": "状态", "field": "status_label", "cellStyle": STATUS_STYLE, "filter": "agTextColumnFilter",
     "minWidth": 90},
    {"headerName": "名次变化", "field": "change", "valueFormatter": TEXT("change_text"), "cellStyle": CHANGE_STYLE,
     "filter": "agNumberColumnFilter", "minWidth": 96},
    {"headerName": "与上一名差距", "field": "gap", "valueFormatter": TEXT("gap_text"), "filter": "agNumberColumnFilter",
     "minWidth": 130},
    {"headerName": "说明", "field": "note", "filter": "agTextColumnFilter", "minWidth": 200, "flex": 2,
     "tooltipField": "note"},
]


@safe_layout(PATH, cache_view=True)
def layout(region: str | None = None, period: str | None = None, metric: str | None = None,
           highlight: str | None = None, **_):
    ctx = get_context()
    view = cached_model("rankings", build_rankings, ctx, region, period, metric, highlight)
    extra = {"highlight": codes.short_code(view.highlight_code)} if view.highlight_code else {}
    metric_key = None if view.metric.id == COMPOSITE_ID else view.metric.id
    level_name = child_level_name(view.region.level)
    head = [export_link("rankings", view),
            page_head(view.lineage, PATH, view.period, metric_key, extra),
            html.Div(f"{view.region.name} · 各{level_name}排名 · {view.period.label}", className="view-title",
                     id="view-title")]
    if not view.rows:
        return html.Div(head + [message(f"{view.region.name}没有下级区划，无可排名的单位。", "info",
                                        ("返回上一级", href(PATH, region=view.lineage[-2].short, period=view.period.key)
                                         if len(view.lineage) > 1 else PATH))], className="page page-rankings")
    body = [message(n, "info") for n in view.notes]
    if view.highlight is not None:
        state = {"region": region, "period": period, "metric": metric, "highlight": highlight}
        body.append(rank_card(view, view.highlight, state))
    body += [_selector(view),
             dbc.Row([dbc.Col(_table(view), lg=7, className="mb-2"),
                      dbc.Col(dcc.Graph(id=BARS, figure=rank_bars(view), config=GRAPH_CONFIG,
                                        className="bars-graph"), lg=5, className="mb-2")], className="g-2"),
             _zones(view), _method(view)]
    return html.Div(head + body, className="page page-rankings")


# ------------------------------------------------------------------ pieces
def rank_card(view: RankingsView, card: HighlightCard, state: dict) -> html.Div:
    """第3/11名 ↑1, the rank line, gap to the leader, best/worst and red indicators."""
    row = card.row
    rank = _of(row, card.total) if row.rank is not None else "不排名"
    change = row.change_text if row.change_text not in ("", "无上期") else ""
    change_cls = "rank-up" if (row.change or 0) > 0 else "rank-down" if (row.change or 0) < 0 else "rank-flat"
    lead = []
    if card.leader is not None and row.rank is not None and row.rank > 1:
        lead = [html.Div(f"与第1名{card.leader.unit.name}（{card.leader.text}）{card.gap_to_leader}", className="rank-lead")]
    elif row.rank == 1:
        lead = [html.Div("位列第1名", className="rank-lead")]
    if row.rank is None:
        lead = [html.Div(row.reason, className="rank-lead")]
    facts = []
    if card.best:
        facts.append(_fact("最好", [f"{i.name} {_of(r, n)}" for i, r, n in card.best]))
    if card.worst:
        facts.append(_fact("最差", [f"{i.name} {_of(r, n)}" for i, r, n in card.worst]))
    red = html.Div([html.Span("预警指标", className="rank-fact-label")] +
                   ([html.Span(f"{i.name} {r.text}", className="red-chip") for i, r in card.red]
                    or [html.Span("无", className="text-muted")]), className="rank-red", id="rank-red")
    hist_title = "近12个月名次" if view.period.kind == "month" else "近12期名次"
    return html.Div([
        html.Div([
            html.Div([html.Span(card.unit.name, className="rank-unit"),
                      html.Span(view.metric.name, className="rank-metric")]),
            html.Div([html.Span(rank, className="rank-big", id="rank-card-rank"),
                      html.Span(change, className=f"rank-change {change_cls}")], className="rank-main"),
            html.Div(row.text, className="rank-value"),
            *lead,
        ], className="rank-card-head"),
        html.Div([red, *facts], className="rank-card-facts"),
        html.Div([html.Div(hist_title, className="rank-fact-label"),
                  dcc.Loading(dcc.Graph(figure=history_line([], card.total), id=HISTORY,
                                        config={**GRAPH_CONFIG, "displayModeBar": False}, className="rank-history"),
                              type="dot", color="#1f5fa5"),
                  dcc.Store(id=HISTORY_ARGS, data=state)], className="rank-card-line"),
    ], className="rank-card", id=CARD)


def _of(row: RankRow, total: int) -> str:
    """并列第3/11名."""
    return f"{'并列' if row.tied else ''}第{row.rank}/{total}名"


def _fact(label: str, items: list[str]) -> html.Div:
    return html.Div([html.Span(label, className="rank-fact-label"), html.Span("；".join(items))], className="rank-fact")


def _selector(view: RankingsView) -> html.Div:
    options = [{"label": view.config.name, "value": COMPOSITE_ID}]
    for area in AREAS:
        options += [{"label": f"{area} · {i.name}", "value": i.id} for i in view.standing.offered if i.area == area]
    return html.Div([html.Span("排名指标：", className="me-2"),
                     dcc.Dropdown(id=METRIC_SELECT, options=options, value=view.metric.id, clearable=False,
                                  searchable=False, className="metric-select rank-metric-select")],
                    className="d-flex align-items-center mb-2 flex-wrap", id="rank-selector")


def grid_rows(view: RankingsView) -> list[dict]:
    """One dict per shown row (functional zones go in their own list below)."""
    rows = [_row(r, view.highlight_code) for r in view.shown if not r.unit.functional]
    if view.metric.id == COMPOSITE_ID:            # the composite has no 红黄绿 of its own: count its red parts
        for row, r in zip(rows, [r for r in view.shown if not r.unit.functional]):
            n = view.red_count(r.unit.code) if r.rank is not None else 0
            row["status"], row["status_label"] = ("red-count", f"预警{n}项") if n else ("none", "无预警")
    return rows


def _row(r: RankRow, highlight: str | None) -> dict:
    return {"code": r.unit.short, "rank": r.rank, "rank_text": r.rank_text, "name": r.unit.name,
            "value": r.value, "text": r.text, "status": r.status, "status_label": r.status_label,
            "change": r.change, "change_text": r.change_text, "gap": r.gap,
            "gap_text": r.gap_text or ("—" if r.rank is not None else ""),
            "note": r.reason or r.note, "highlight": bool(highlight and r.unit.code == highlight)}


def _table(view: RankingsView) -> html.Div:
    rows = grid_rows(view)
    options = {"localeText": LOCALE, "suppressMovableColumns": True, "theme": THEME, "tooltipShowDelay": 300,
               "rowClassRules": {"rank-row-highlight": "params.data.highlight"},
               "getRowId": {"function": "params.data.code"}}
    tall = len(rows) > 14
    if not tall:
        options["domLayout"] = "autoHeight"
    grid = dag.AgGrid(id=GRID, rowData=rows, columnDefs=COLUMNS,
                      defaultColDef={"sortable": True, "resizable": True, "filter": True, "wrapHeaderText": True,
                                     "autoHeaderHeight": True},
                      columnSize="responsiveSizeToFit", dashGridOptions=options,
                      style={"height": "560px"} if tall else {"height": None}, className="rank-grid")
    return html.Div([grid, html.Div("点击行进入该单位的下级排名；点击列标题排序，列标题菜单可筛选。",
                                    className="text-muted small mt-1")], className="rank-table")


def _zones(view: RankingsView):
    """功能区 (开发区、林场…) listed under the ranking with their value, never ranked."""
    zones = [r for r in view.rows if r.unit.functional]
    if not zones:
        return html.Div()
    if view.metric.id == COMPOSITE_ID:
        items = [html.Li(f"{r.unit.name}：不计{view.config.name}（可在“排名指标”中选择单项指标查看其数值）")
                 for r in zones]
    else:
        items = [html.Li(f"{r.unit.name}：{r.text}" + (f"（{r.status_label}）" if r.status_label else ""))
                 for r in zones]
    return html.Div([html.H6("功能区（开发区、林场等，单列，不参与排名）"), html.Ul(items, className="mb-0")],
                    className="rank-zones", id="rank-zones")


def _method(view: RankingsView) -> html.Div:
    """The weights and the formula actually used, in Chinese."""
    weights = view.standing.weights
    items = [html.Li(f"{BY_ID[k].name}（{_direction(BY_ID[k])}）：{w * 100:.1f}%") for k, w in weights.items()]
    dropped = [BY_ID[k].name for k in view.config.weights if k not in weights and k in BY_ID]
    text = [
        html.P(f"{view.config.name}采用功效系数法：单项得分 = {BASE:g} + {SPAN:g} × (本单位值 − 最差值) ÷ (最好值 − 最差值)，"
               f"最好值、最差值取本级参与排名单位中的值（越低越好的指标方向相反；各单位相同时均为{BASE + SPAN:g}分）；"
               "与序时进度比较的指标按“本单位值 − 序时进度”计分（" + PACE_TEXT + "）。"
               "综合得分 = 各单项得分按下列权重加权平均；某单位缺少某项（暂无数据或数据异常）时，该项不计，其余权重按比例放大。"),
        html.P("名次按页面显示的数值排列，显示值相同者并列（如并列第3名，下一名为第5名）；"
               "数据异常或暂无数据的单位不参与排名并注明原因；功能区（开发区、林场等）单列，不参与排名。"
               "名次变化与上一期比较。"),
        html.Div("本级使用的指标与权重（运维人员可在 config/rankings.toml 中调整）：", className="fw-semibold"),
        html.Ul(items, className="rank-weights"),
    ]
    if dropped:
        text.append(html.P(f"本级不计入：{'、'.join(dropped)}（本级无此指标或均无数据）。", className="text-muted"))
    return html.Details([html.Summary("评分方法与权重"), *text], className="rank-method", id="rank-method", open=True)


def _direction(ind) -> str:
    """How the score reads the indicator (the catalogue's direction; pace ones on value − 序时进度)."""
    if ind.pace:
        return "按“本单位值 − 序时进度”计分，越高越好"
    return ind.direction_text


@callback(Output(HISTORY, "figure"), Input(HISTORY_ARGS, "data"))
def fill_history(state):
    """The rank line needs 12 periods of numbers: drawn after the card shows, not before."""
    if not state:
        return no_update
    try:
        enter_page(PATH, state.get("region"), state.get("highlight"))     # same scope rule as the page
    except OutOfScope:
        return no_update
    ctx = get_context()
    history, total = cached_model("rank-history", highlight_history, ctx, state.get("region"), state.get("period"),
                                  state.get("metric"), state.get("highlight"))
    return history_line(history, total)


@callback(Output("url", "search", allow_duplicate=True), Input(GRID, "cellClicked"), State("url", "search"),
          prevent_initial_call=True)
def drill_from_row(cell, search):
    """Clicking a table row goes one level down, like a bar click."""
    code = (cell or {}).get("rowId")
    if not code or len(code) == 12:               # a village has nothing below it to rank
        return no_update
    try:
        return with_changes(search, region=codes.short_code(code))
    except codes.RegionCodeError:
        return no_update
