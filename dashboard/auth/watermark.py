"""The faint watermark on every desk page: the viewer's account name and the time, so a photographed
screen can be traced (pointer-events: none — it never blocks a click)."""
from __future__ import annotations

from datetime import datetime

from dash import html

from dashboard.auth.viewer import current_viewer

TILES = 24          # enough copies to cover a 4K screen at the tile spacing in assets/20-auth.css


def watermark_text() -> str:
    viewer = current_viewer()
    who = viewer.name if viewer else "未登录"
    return f"{who} {datetime.now():%Y-%m-%d %H:%M}"


def watermark() -> html.Div:
    """A fixed overlay of rotated text tiles plus the account menu (修改密码 / 退出)."""
    text = watermark_text()
    viewer = current_viewer()
    if viewer is not None and viewer.via_token:
        return html.Div(id="watermark")     # the wall screen names its display account in its title bar
    links = []
    if viewer is not None and not viewer.via_token:
        links = [html.Span(viewer.full_name, className="account-name"),
                 html.A("修改密码", href="/password", className="account-link") if not viewer.demo else
                 html.A("登录其他账号", href="/login", className="account-link"),
                 html.A("退出", href="/logout", className="account-link")]
    return html.Div([
        html.Div([html.Span(text, className="watermark-tile") for _ in range(TILES)],
                 className="watermark", id="watermark", **{"aria-hidden": "true"}),
        html.Div(links, className="account-menu", id="account-menu"),
    ])
