"""周例会: the week's KPIs against last week and last year, red flags with persistence, 本周要点."""
from __future__ import annotations

import dash
from dash import Input, Output, dcc, html

from config.thresholds import STATUS_COLORS
from dashboard import labels
from dashboard.cache import cached_model
from dashboard.components.chrome import PERIOD_SELECT, breadcrumb, shown
from dashboard.components.kpi import card
from dashboard.components.safe import safe_layout
from dashboard.context import get_context
from dashboard.urls import href
from dashboard.weekly.flags import AREA_KEYS
from dashboard.weekly import brief_panel
from dashboard.weekly.model import PATH, WeeklyModel, build_weekly, flag_order

CARD = "bg-white rounded shadow-sm p-2 mb-2"
AREA_FILTER = "weekly-area"

dash.register_page(__name__, path=PATH, name="周例会", title="周例会 · 领导驾驶舱")


@safe_layout(PATH)
def layout(region: str | None = None, period: str | None = None, **_):
    ctx = get_context()
    # the rendered week is cached like the models (the city's 周例会 is the costliest page to draw); the list
    # of issued briefs changes without a new data version, so it is drawn fresh on every view
    body, region_code = cached_model("weekly-view", _render_week, ctx, region, period)
    return html.Div(body + [brief_panel.list_panel(region_code)], className="page page-weekly")


def _render_week(ctx, region: str | None, period: str | None) -> tuple[list, str]:
    model = cached_model("weekly", build_weekly, ctx, region, period)
    as_of_text = f"数据截至 {labels.fmt_date(ctx.as_of)}"
    return [
        html.Div([breadcrumb(model.lineage, PATH, model.week.key), week_bar(model)],
                 className="page-head d-flex justify-content-between align-items-center flex-wrap"),
        brief_panel.actions(model),
        html.Div(f"{model.region.name} · 周例会 · {model.week.label}", className="view-title", id="view-title"),
        html.Div([card(k, as_of_text, prev_label="较上周", ly_label="较去年同周") for k in model.kpis],
                 className="kpi-row", id="kpi-row"),
        html.Div([html.H5("本周要点", className="weekly-h"),
                  html.Div([html.P(p) for p in model.narrative], id="weekly-narrative", className="weekly-narrative")],
                 className=CARD),
        flag_panel(model),
    ], model.region.code


dash.clientside_callback(
    "function(value) { return 'show-' + (value || 'all'); }",
    Output("weekly-flags-body", "className"), Input(AREA_FILTER, "value"))


def week_bar(model: WeeklyModel) -> html.Div:
    """◂ ▸ links and a dropdown of the weeks with data (complete weeks, newest first)."""
    w, short = model.week, model.region.short
    prev_w, next_w = w.shifted(-1), w.shifted(1)
    arrows = [dcc.Link("◂", href=href(PATH, region=short, period=prev_w.key), id="weekly-prev",
                       className="btn btn-sm btn-outline-secondary", title=f"上一周：{prev_w.label}")]
    if next_w.key in {p.key for p in model.weeks}:
        arrows.append(dcc.Link("▸", href=href(PATH, region=short, period=next_w.key), id="weekly-next",
                               className="btn btn-sm btn-outline-secondary", title=f"下一周：{next_w.label}"))
    else:
        arrows.append(html.Span("▸", className="btn btn-sm btn-outline-secondary disabled"))
    options = [{"label": p.label, "value": p.key} for p in model.weeks]
    if w.key not in {o["value"] for o in options}:
        options.insert(0, {"label": w.label, "value": w.key})
    return html.Div([html.Div(arrows, className="btn-group me-2"),
                     dcc.Dropdown(id=PERIOD_SELECT, options=options, value=w.key, clearable=False,
                                  searchable=False, className="period-select weekly-select"),
                     shown(PERIOD_SELECT["name"], w.key)],
                    className="period-bar d-flex align-items-center")


def _badge(flag) -> html.Span:
    if flag.resolved:
        return html.Span("已解除", className="flag-badge", style={"backgroundColor": STATUS_COLORS["green"]})
    return html.Span("预警", className="flag-badge", style={"backgroundColor": STATUS_COLORS["red"]})


def _persist_cls(flag) -> str:
    if flag.resolved:
        return "persist-resolved"
    if flag.from_first:
        return "persist-first"
    return "persist-new" if flag.weeks <= 1 else "persist-long"


def _row(flag) -> html.Tr:
    rule = [html.Div(flag.rule_text)]
    if flag.detail:
        rule.append(html.Div(flag.detail, className="flag-detail"))
    return html.Tr([
        html.Td(_badge(flag)),
        html.Td(flag.region_name, className="flag-region"),
        html.Td(flag.area, className="flag-area"),
        html.Td(flag.name, className="flag-name"),
        html.Td(flag.value_text, className="flag-value"),
        html.Td(rule, className="flag-rule"),
        html.Td(html.Span(flag.persistence, className=f"persist {_persist_cls(flag)}")),
        html.Td(dcc.Link("查看 ›", href=flag.href, className="flag-link",
                         title=f"打开{flag.region_name}{flag.name}所在页面")),
    ], className=f"flag-row area-{AREA_KEYS.get(flag.area, 'other')}" + (" flag-resolved" if flag.resolved else ""),
        **{"data-key": flag.key})


HEAD = ["状态", "区划", "领域", "指标/规则", "本周数值", "预警规则", "持续", ""]


_order = flag_order          # the brief's flag table uses the same order


def _table(rows, table_id: str) -> html.Div:
    return html.Div(html.Table([html.Thead(html.Tr([html.Th(h) for h in HEAD])),
                                html.Tbody([_row(f) for f in rows])],
                               className="table table-sm weekly-flags", id=table_id),
                    className="weekly-flags-wrap")


def flag_panel(model: WeeklyModel) -> html.Div:
    rows = _order(model)
    counts = (f"预警 {len(model.flags)} 项（新 {sum(1 for f in model.flags if f.weeks <= 1 and not f.from_first)} 项）"
              f"，已解除 {len(model.resolved)} 项")
    head = html.Div([html.H5("预警事项", className="weekly-h me-3"), html.Span(counts, id="weekly-flag-count")],
                    className="d-flex align-items-baseline")
    if not rows:
        body = html.Div("本周无预警事项。", className="text-muted p-2", id="weekly-flags-empty")
    else:
        # one table; the area filter only toggles a class (a client-side callback, no round trip).
        # dbc.Tabs with a table per area took ~60 s to first paint in headless Chromium on the demo.
        options = [{"label": f"全部（{len(rows)}）", "value": "all"}]
        for area, key in AREA_KEYS.items():
            n = sum(1 for f in rows if f.area == area)
            if n:
                options.append({"label": f"{area}（{n}）", "value": key})
        body = html.Div([dcc.RadioItems(id=AREA_FILTER, options=options, value="all", inline=True,
                                        className="weekly-area-filter", inputClassName="me-1"),
                         _table(rows, "weekly-flags")], id="weekly-flags-body", className="show-all")
    note = html.Div(model.snapshot_note, className="weekly-note", id="weekly-snapshot-note")
    legend = html.Div("持续周数：按历史数据逐周回溯同一规则（信访、资金、服务记录、安置等）；"
                      "“新”为本周首次出现，“已解除”为上周预警、本周不再触发。", className="weekly-note")
    return html.Div([head, body, note, legend], className=CARD, id="weekly-flag-panel")
