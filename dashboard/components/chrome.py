"""Header, breadcrumb, period bar and messages shared by every page."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx as dash_ctx, dcc, html

from dashboard import labels
from dashboard.urls import href
from queries.periods import Period

BREADCRUMB = "breadcrumb"
PERIOD_SELECT = {"type": "nav", "name": "period-select"}


def shown(name: str, value) -> dcc.Store:
    """The value a nav control was rendered with (app.navigate leaves the URL alone when the control still
    shows it: Dash fires the control once when the page inserts it, and that must not fetch the page again)."""
    return dcc.Store(id={"type": "nav-shown", "name": name}, data=value)


NAV_TOGGLER, NAV_COLLAPSE = "navbar-toggler", "navbar-collapse"


def navbar(root_name: str, as_of_text: str) -> dbc.Navbar:
    """Tabs in a dbc.Collapse: one row on a desktop, a ☰ button on a phone (below 992 px)."""
    tabs = [dbc.NavItem(dbc.NavLink(label, href=path, id={"type": "page-tab", "path": path},
                                    className="page-tab", active="exact"))
            for path, label in labels.PAGES]
    # the wall screen is its own full-screen page (no navbar): a plain link, opened in a new tab
    tabs.append(dbc.NavItem(html.A("大屏", href="/screen", target="_blank", rel="noopener",
                                   className="nav-link screen-tab", id="screen-link", title="在新窗口打开会议室大屏")))
    return dbc.Navbar(dbc.Container([
        html.Div([html.Span(f"{root_name}{labels.BUREAU}", className="brand-org"),
                  html.Span(" · ", className="brand-sep"),
                  html.Span(labels.APP_TITLE, className="brand-app")], className="navbar-brand"),
        dbc.NavbarToggler(id=NAV_TOGGLER, n_clicks=0),
        dbc.Collapse(dbc.Nav(tabs, navbar=True, className="me-auto page-tabs"), id=NAV_COLLAPSE,
                     is_open=False, navbar=True),
        html.Span(as_of_text, id="as-of", className="as-of"),
    ], fluid=True), color="primary", dark=True, expand="lg", className="mb-2 app-navbar")


@callback(Output(NAV_COLLAPSE, "is_open"), Input(NAV_TOGGLER, "n_clicks"), Input("url", "pathname"),
          State(NAV_COLLAPSE, "is_open"), prevent_initial_call=True)
def toggle_navbar(_clicks, _path, is_open):
    """☰ opens and closes the phone menu; choosing a page closes it."""
    return not is_open if dash_ctx.triggered_id == NAV_TOGGLER else False


def breadcrumb(lineage, path: str, period_key: str, metric: str | None = None, extra: dict | None = None) -> html.Nav:
    """郴州市 › 宜章县 › 梅田镇 › 某村; every part but the last links back up. extra: more URL state kept."""
    items = []
    for i, region in enumerate(lineage):
        last = i == len(lineage) - 1
        if i:
            items.append(html.Span("›", className="crumb-sep"))
        if last:
            items.append(html.Span(region.name, className="crumb crumb-current"))
        else:
            items.append(dcc.Link(region.name, className="crumb",
                                  href=href(path, region=region.short, period=period_key, metric=metric,
                                            **(extra or {}))))
    return html.Nav(items, id=BREADCRUMB, className="breadcrumb-bar", **{"aria-label": "区划层级"})


def period_bar(path: str, region_short: str, period: Period, metric: str | None = None,
               extra: dict | None = None) -> html.Div:
    """周|月|季|年 links, ◂ ▸ links and a dropdown of recent periods of the same kind."""
    extra = extra or {}
    kinds = []
    for kind, label in labels.PERIOD_KINDS:
        latest = Period.containing(kind, period.as_of, period.as_of)
        kinds.append(dcc.Link(label, href=href(path, region=region_short, period=latest.key, metric=metric, **extra),
                              className="btn btn-sm " + ("btn-primary" if kind == period.kind else "btn-outline-primary")))
    prev_p, next_p = period.shifted(-1), period.shifted(1)
    first = _data_start()
    if first is None or prev_p.end >= first:
        arrows = [dcc.Link("◂", href=href(path, region=region_short, period=prev_p.key, metric=metric, **extra),
                           className="btn btn-sm btn-outline-secondary", title=f"上一期：{prev_p.label}")]
    else:
        arrows = [html.Span("◂", className="btn btn-sm btn-outline-secondary disabled")]
    if next_p.start <= period.as_of:
        arrows.append(dcc.Link("▸", href=href(path, region=region_short, period=next_p.key, metric=metric, **extra),
                               className="btn btn-sm btn-outline-secondary", title=f"下一期：{next_p.label}"))
    else:
        arrows.append(html.Span("▸", className="btn btn-sm btn-outline-secondary disabled"))
    options = [{"label": p.label, "value": p.key} for p in period.options(36)
               if first is None or p.end >= first]          # only periods with data
    if period.key not in {o["value"] for o in options}:
        options.insert(0, {"label": period.label, "value": period.key})
    return html.Div([
        html.Div(kinds, className="btn-group me-2", role="group", **{"aria-label": "期间类型"}),
        html.Div(arrows, className="btn-group me-2"),
        dcc.Dropdown(id=PERIOD_SELECT, options=options, value=period.key, clearable=False,
                     searchable=False, className="period-select"),
        shown(PERIOD_SELECT["name"], period.key),
    ], className="period-bar d-flex align-items-center")


def _data_start():
    """First month with data (None when unknown: then every period is offered)."""
    from dashboard.context import get_context      # lazily: chrome is imported before the app has a context
    try:
        return get_context().data_start
    except Exception:      # noqa: BLE001 — no context or database down: the selector still renders
        return None


def page_head(lineage, path: str, period: Period, metric: str | None = None, extra: dict | None = None) -> html.Div:
    return html.Div([breadcrumb(lineage, path, period.key, metric, extra),
                     period_bar(path, lineage[-1].short, period, metric, extra)],
                    className="page-head d-flex justify-content-between align-items-center flex-wrap")


def message(text: str, color: str = "warning", link: tuple[str, str] | None = None) -> dbc.Alert:
    body = [html.Span(text)]
    if link:
        body += [" ", dcc.Link(link[0], href=link[1], className="alert-link")]
    return dbc.Alert(body, color=color, className="page-message")
