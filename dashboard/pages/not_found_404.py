"""Chinese 404 page (Dash Pages uses the module named not_found_404 for unknown paths)."""
from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import labels

dash.register_page(__name__, path="/404", title="页面不存在 · 领导驾驶舱")


def layout(**_):
    links = [dcc.Link(label, href=path, className="btn btn-outline-primary me-2") for path, label in labels.PAGES]
    return html.Div([
        html.H3("页面不存在", className="mb-3"),
        html.P("您访问的地址不存在，可能是链接有误或页面已调整。请从下列页面进入："),
        html.Div(links, className="mt-2"),
    ], className="page page-404 page-error", id="not-found")
