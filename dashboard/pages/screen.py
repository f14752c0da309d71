"""大屏: the wall-screen mode — a dark 16:9 canvas rotating through panels, refreshed without a reload.

URL: /screen?region=431022&panel=funds pins a region and/or a panel; ?seconds=2&refresh=10 override the
rotation and refresh intervals of config/screen.toml (rehearsals, tests). Rotation, keys (← → space F) and
the reload on a new build live in assets/30-screen.js; the clock ticks client-side from the server's time.
"""
from __future__ import annotations

import logging

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html, no_update
from dash import ctx as dash_ctx

from dashboard import labels
from dashboard.auth.viewer import current_viewer
from dashboard.context import get_context
from dashboard.screen.config import PANEL_TITLES, ScreenConfigError, load_screen_config
from dashboard.screen.model import cached_screen, now_ms
from dashboard.screen import version
from dashboard.screen.view import message_body, panel_body
from queries.codes import RegionCodeError
from queries.regions import OutOfScope

PATH = "/screen"
BUILD_URL = "/screen/build"
REFRESH, TICK, STATUS, ARGS = "screen-refresh", "screen-tick", "screen-status", "screen-args"
CLOCK, DATE, AS_OF, MARKER = "screen-clock", "screen-date", "screen-as-of", "screen-marker"
RETRY_S = 30                     # after a failed refresh, try again this soon (or sooner if refresh is shorter)
STALE_FACTOR = 2.5               # no successful refresh for this many intervals: the marker shows

log = logging.getLogger("vetdash.screen")
dash.register_page(__name__, path=PATH, name="大屏", title="大屏 · 领导驾驶舱")


def body_id(panel_id: str) -> dict:
    return {"type": "screen-body", "panel": panel_id}


def _status(ok: bool, config, model=None, last_ok=None) -> dict:
    refresh_ms = int(config.refresh_s * 1000)
    return {"ok": ok, "server_ms": now_ms(), "last_ok": now_ms() if ok else last_ok, "build": version.build_id(),
            "data_key": model.data_key if model else None, "built_ms": model.built_ms if model else None,
            "stale_ms": int(refresh_ms * STALE_FACTOR) + 5000}


def _display_account() -> str:
    """The display account's name in the title bar (the wall's watermark: a photographed screen is traceable)."""
    viewer = current_viewer()
    return f"显示账号：{viewer.full_name or viewer.name}" if viewer is not None and not viewer.demo else ""


def _as_of_text(model) -> str:
    return f"数据截至 {labels.fmt_date(model.as_of)}" if model else "数据库暂不可用"


def error_screen(text: str) -> html.Div:
    """Bad URL or config: a Chinese message on the dark canvas, never a traceback."""
    return html.Div(html.Div([
        html.H1("大屏无法显示", className="screen-error-title"),
        html.Div(text, className="screen-error-text"),
        html.Div("示例：/screen 或 /screen?region=431022&panel=funds", className="screen-error-hint"),
    ], className="screen-error"), className="screen-root screen-root-error", id="screen-root")


def layout(region: str | None = None, panel: str | None = None, seconds: str | None = None,
           refresh: str | None = None, **_):
    try:
        config = load_screen_config().with_overrides(seconds, refresh)
        if panel and panel not in config.ids:
            raise ScreenConfigError(f"未知的面板“{panel}”，可选：{'、'.join(config.ids)}")
    except ScreenConfigError as exc:
        return error_screen(str(exc))
    ctx = get_context()
    try:
        model = cached_screen(ctx, region, config)
        title = model.title
    except (RegionCodeError, OutOfScope) as exc:
        return error_screen(str(exc))
    except Exception:           # noqa: BLE001 — database down at load: the canvas shows, refresh fills it in
        log.exception("screen layout without data")
        model, title = None, f"{labels.BUREAU} · {labels.APP_TITLE}"
    active = panel or config.ids[0]
    panels = []
    for conf in config.panels:
        body = (panel_body(conf.id, model, conf.title) if model is not None
                else message_body("数据库暂不可用，正在自动重试……", conf.title))
        panels.append(html.Div(html.Div(body, id=body_id(conf.id), className="screen-panel-inner"),
                               id=f"screen-panel-{conf.id}",
                               className="screen-panel" + (" is-active" if conf.id == active else ""),
                               **{"data-panel": conf.id, "data-seconds": f"{conf.seconds:g}"}))
    pager = [html.Span(conf.title, className="screen-page" + (" is-active" if conf.id == active else ""),
                       **{"data-panel": conf.id}) for conf in config.panels]
    status = _status(model is not None, config, model)
    return html.Div([
        html.Header([
            html.H1(title, id="screen-title", className="screen-title"),
            html.Div([
                html.Span(_display_account(), className="screen-account"),
                html.Span(_as_of_text(model), id=AS_OF, className="screen-as-of"),
                html.Span(id=DATE, className="screen-date"),
                html.Span(id=CLOCK, className="screen-clock"),
                html.Button("全屏", id="screen-fullscreen", className="screen-fullscreen", title="全屏（F）"),
            ], className="screen-title-right"),
        ], className="screen-titlebar"),
        html.Main(panels, className="screen-stage"),
        html.Footer([
            html.Div(pager, className="screen-pager"),
            html.Span("已暂停", className="screen-paused"),
            html.Span(id=MARKER, className="screen-marker"),
            html.Span("← → 切换　空格 暂停　F 全屏", className="screen-hint"),
            html.Div(html.Div(className="screen-progress-bar"), className="screen-progress"),
        ], className="screen-footer"),
        dcc.Store(id=ARGS, data={"region": region, "seconds": seconds, "refresh": refresh}),
        dcc.Store(id=STATUS, data=status),
        dcc.Interval(id=REFRESH, interval=int(config.refresh_s * 1000)),
        dcc.Interval(id=TICK, interval=1000),
    ], className="screen-root", id="screen-root",
        **{"data-build": version.build_id(), "data-build-url": BUILD_URL, "data-pinned": panel or "",
           "data-refresh-ms": str(int(config.refresh_s * 1000))})


@callback(Output(body_id(ALL), "children"), Output(STATUS, "data"), Output(AS_OF, "children"),
          Output(REFRESH, "interval"), Output("screen-title", "children"),
          Input(REFRESH, "n_intervals"), State(ARGS, "data"), State(STATUS, "data"), prevent_initial_call=True)
def refresh(_n, args, status):
    """New data into the panels in place; on any failure keep what is on screen and say so (the marker)."""
    panel_ids = [o["id"]["panel"] for o in dash_ctx.outputs_list[0]]
    keep = [no_update] * len(panel_ids)
    try:
        config = load_screen_config().with_overrides(args.get("seconds"), args.get("refresh"))
    except ScreenConfigError as exc:
        log.error("screen config: %s", exc)
        return keep, {**(status or {}), "ok": False, "server_ms": now_ms(), "build": version.build_id()}, no_update, \
            no_update, no_update
    try:
        model = cached_screen(get_context(), args.get("region"), config)
    except Exception as exc:    # noqa: BLE001 — QueryError (down, slow) or worse: the last good data stays
        log.warning("screen refresh failed: %s", getattr(exc, "message", exc))
        failed = _status(False, config, last_ok=(status or {}).get("last_ok"))
        return keep, failed, no_update, int(min(RETRY_S, config.refresh_s) * 1000), no_update
    fresh = _status(True, config, model)
    same = (status or {}).get("built_ms") == model.built_ms
    bodies = keep if same else [panel_body(pid, model, PANEL_TITLES[pid]) for pid in panel_ids]
    return bodies, fresh, _as_of_text(model), int(config.refresh_s * 1000), no_update if same else model.title


clientside_callback(ClientsideFunction(namespace="screen", function_name="tick"),
                    Output(CLOCK, "children"), Output(DATE, "children"), Output(MARKER, "children"),
                    Output(MARKER, "className"),
                    Input(TICK, "n_intervals"), Input(STATUS, "data"))
