"""create_app(settings) -> Dash: one app per process (Dash Pages keeps a global registry)."""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlparse

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx as dash_ctx, dcc, html, no_update
from flask import Flask, jsonify, request
from werkzeug.middleware.proxy_fix import ProxyFix

from config.settings import Settings
from dashboard import delivery, labels, runtime, security
from dashboard.auth.web import init_auth
from dashboard.auth.watermark import watermark
from dashboard.cache import cache, cache_config
from dashboard.components.chrome import navbar
from dashboard.context import get_context, make_context, set_context
from dashboard.exports.routes import register_exports
from dashboard import boundaries
from dashboard.screen import version
from dashboard.urls import parse_search, with_changes, href
from queries import codes

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("vetdash")
URL = "url"
SCREEN_PATH = "/screen"


def create_app(settings: Settings | None = None) -> dash.Dash:
    settings = settings or Settings.from_env()
    context = make_context(settings)
    set_context(context)
    server = Flask(__name__)
    if settings.proxies:     # behind nginx: the client's address (audit log, loopback-only detail) and scheme
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=settings.proxies, x_proto=settings.proxies)
    cache.init_app(server, config=cache_config(settings))
    app = dash.Dash(__name__, server=server, use_pages=True,
                    pages_folder=str(ROOT / "dashboard" / "pages"), assets_folder=str(ROOT / "assets"),
                    title=labels.APP_TITLE, update_title=None, suppress_callback_exceptions=True,
                    serve_locally=True)
    app.layout = _shell
    _routes(server)
    security.install(app)
    delivery.install(app)
    runtime.install_deadline(server, settings.request_deadline_s)
    init_auth(server, settings)
    register_exports(server)
    boundaries.install(server, settings.boundary_dir)
    return app


def _shell():
    """Evaluated per page load, so the as-of date and root name follow the database."""
    if _for_screen():       # the wall screen (/screen) is its own full canvas: no desk navbar
        return html.Div([dcc.Location(id=URL, refresh="callback-nav"), dash.page_container], className="app-root")
    ctx = get_context()
    try:
        root_name, as_of_text = ctx.tree.root.name, f"数据截至 {labels.fmt_date(ctx.as_of)}"
    except Exception as exc:  # noqa: BLE001 — database down: the shell still renders, pages show the error
        log.warning("shell without database: %s", exc)
        root_name, as_of_text = "", "数据库暂不可用"
    return html.Div([
        dcc.Location(id=URL, refresh="callback-nav"),
        navbar(root_name, as_of_text),
        dbc.Container(dash.page_container, fluid=True, className="page-container"),
        watermark(),
    ], className="app-root")


def _for_screen() -> bool:
    """True when the layout is requested by the /screen page (the browser sends its URL as the referrer)."""
    try:
        return urlparse(request.referrer or "").path.rstrip("/").endswith(SCREEN_PATH)
    except RuntimeError:    # outside a request
        return False


def _routes(server: Flask) -> None:
    @server.route(SCREEN_PATH + "/build")
    def screen_build():     # the wall screen reloads itself when this changes (after an upgrade)
        return jsonify({"build": version.build_id()})

    @server.route("/healthz")
    def healthz():
        """Anonymous callers learn only ok / not ok; detail (dialect, as-of, root, why) for loopback."""
        ok, body = get_context().health()
        if not security.is_loopback():
            body = {"status": body["status"]}
        return jsonify(body), (200 if ok else 503)


def clicked_region(click: dict | None) -> str | None:
    """Region code of a clicked bar (customdata[0]) or map shape (its adcode)."""
    if not click or not click.get("points"):
        return None
    point = click["points"][0]
    custom = point.get("customdata")
    code = custom[0] if isinstance(custom, (list, tuple)) and custom else point.get("location")
    try:
        return codes.short_code(str(code)) if code else None
    except codes.RegionCodeError:
        return None


@callback(Output(URL, "search"),
          Input({"type": "drill", "name": ALL}, "clickData"),
          Input({"type": "nav", "name": ALL}, "value"),
          State(URL, "search"), State({"type": "nav-shown", "name": ALL}, "data"), prevent_initial_call=True)
def navigate(_clicks, _values, search, _shown):
    """Bar/map click -> one level down; period or metric choice -> same view, other period/metric."""
    trigger = dash_ctx.triggered_id
    if not trigger or not dash_ctx.triggered or dash_ctx.triggered[0]["value"] is None:
        return no_update
    value = dash_ctx.triggered[0]["value"]
    # Dash fires ALL-pattern inputs when a page inserts its controls (prevent_initial_call does not stop
    # it): several props at once, or a control still showing the value it was rendered with (chrome.shown).
    # The URL must not change then — writing the default period into it fetched the same page twice.
    rendered = {s["id"]["name"]: s.get("value") for s in (dash_ctx.states_list[1] or [])}
    if len(dash_ctx.triggered) > 1 or (trigger["type"] == "nav" and rendered.get(trigger["name"]) == value):
        return no_update
    if trigger["type"] == "drill":
        code = clicked_region(value)
        return with_changes(search, region=code) if code else no_update
    key = {"period-select": "period", "metric-select": "metric"}.get(trigger["name"])
    if key is None or parse_search(search).get(key) == value:
        return no_update
    return with_changes(search, **{key: value})


@callback(Output({"type": "page-tab", "path": ALL}, "href"), Input(URL, "search"))
def keep_state_in_tabs(search):
    """Switching page keeps the region and period."""
    state = parse_search(search)
    return [href(o["id"]["path"], region=state.get("region"), period=state.get("period"))
            for o in dash_ctx.outputs_list]
