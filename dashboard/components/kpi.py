"""KPI card: value, status color, change against previous period and last year, 口径 on hover."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from config.thresholds import STATUS_COLORS, STATUS_LABELS
from dashboard import labels
from dashboard.indicators import Indicator


def format_value(ind: Indicator, value) -> str:
    if ind.unit == "%":
        return labels.fmt_pct(value)
    if ind.unit == "元":
        return labels.fmt_yuan(value)
    if "/" in ind.unit and value is not None and value == value:
        return f"{value:.1f}{ind.unit}"             # a ratio (件/万人, 人/站): whole numbers would hide differences
    return labels.fmt_int(value, ind.unit)


def _delta_span(ind: Indicator, now, before, label: str):
    if now is None or before is None or now != now or before != before:
        return None
    delta = float(now) - float(before)
    good = (delta >= 0) == ind.higher_is_better
    cls = "delta-flat" if abs(delta) < 1e-9 else ("delta-good" if good else "delta-bad")
    return html.Div([html.Span(label, className="delta-label"),
                     html.Span(labels.fmt_delta(delta, ind.unit), className=cls)], className="kpi-delta")


def kpi_card(ind: Indicator, value, status: str | None, prev=None, last_year=None, note: str | None = None,
             as_of_text: str = "", prev_label: str = "较上期", ly_label: str = "较去年同期") -> html.Div:
    """status None: a figure without a target (a count) — no badge, neutral border."""
    card_id = f"kpi-{ind.id}"
    main = [html.Span(format_value(ind, value), className="kpi-value")]
    if status is not None:
        main.append(html.Span(STATUS_LABELS[status], className=f"kpi-status status-{status}",
                              style={"backgroundColor": STATUS_COLORS[status]}))
    body = [
        html.Div([html.Span(ind.name, className="kpi-name"),
                  html.Span(ind.kind, className=f"kpi-kind kind-{ind.kind}")], className="kpi-head"),
        html.Div(main, className="kpi-main"),
    ]
    deltas = [d for d in (_delta_span(ind, value, prev, prev_label),
                          _delta_span(ind, value, last_year, ly_label)) if d is not None]
    body += deltas
    if note:
        body.append(html.Div(note, className="kpi-note"))
    tooltip = dbc.Tooltip([html.B(f"{ind.code} {ind.name}（{ind.kind}）"), html.Br(),
                           html.Span(f"口径：{ind.formula}"), html.Br(), html.Span(as_of_text)],
                          target=card_id, placement="bottom", className="kpi-tooltip")
    return html.Div([html.Div(body, id=card_id, className=f"kpi-card border-status-{status or 'none'}", tabIndex=0), tooltip],
                    className="kpi-col")
