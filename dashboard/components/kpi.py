"""KPI card: value, status, change against previous period and last year, 口径 on hover (and on tap)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from config.thresholds import STATUS_COLORS, STATUS_LABELS
from dashboard import labels
from dashboard.catalogue import Indicator, Kpi, is_missing


def format_value(ind: Indicator, value) -> str:
    """The one display format of an indicator's value (cards, bars, maps, tables, rankings)."""
    if is_missing(value):
        return "—"
    if ind.unit == "%":
        return labels.fmt_pct(value)
    if ind.unit == "元":
        return labels.fmt_yuan(value)
    if ind.unit == "万元":
        return f"{value:,.1f}万元"
    if ind.decimals is not None or "/" in ind.unit:     # ratios (件/万人, 人/站): whole numbers would hide differences
        return f"{value:,.{ind.decimals if ind.decimals is not None else 1}f}{ind.unit}"
    return labels.fmt_int(value, ind.unit)


def _delta_span(ind: Indicator, now, before, label: str):
    if is_missing(now) or is_missing(before):
        return None
    delta = float(now) - float(before)
    good = (delta >= 0) == ind.higher_is_better
    cls = "delta-flat" if abs(delta) < 1e-9 else ("delta-good" if good else "delta-bad")
    return html.Div([html.Span(label, className="delta-label"),
                     html.Span(labels.fmt_delta(delta, ind.unit), className=cls)], className="kpi-delta")


def kpi_card(ind: Indicator, value, status: str | None, prev=None, last_year=None, note: str | None = None,
             as_of_text: str = "", prev_label: str = "较上期", ly_label: str = "较去年同期",
             reason: str | None = None, value_label: str | None = None, quality_href: str = "/quality") -> html.Div:
    """status None or "none": a figure without a target — no badge, neutral border.
    "abnormal": grey 数据异常 badge with the reason; "unknown": "—" with why."""
    card_id = f"kpi-{ind.id}"
    status = status or "none"
    shown = None if status == "abnormal" else value
    main = [html.Span(format_value(ind, shown) if status != "abnormal" else "—", className="kpi-value")]
    if value_label:
        main.append(html.Span(value_label, className="kpi-value-label"))
    if STATUS_LABELS.get(status) and status != "unknown":
        main.append(html.Span(STATUS_LABELS[status], className=f"kpi-status status-{status}",
                              style={"backgroundColor": STATUS_COLORS[status]}))
    body = [
        html.Div([html.Span(ind.name, className="kpi-name"),
                  html.Span(ind.kind, className=f"kpi-kind kind-{ind.kind}")], className="kpi-head"),
        html.Div(main, className="kpi-main"),
    ]
    if status in ("abnormal", "unknown") and reason:
        body.append(html.Div(reason, className=f"kpi-reason reason-{status}"))
    if status == "abnormal":                   # where the leader (or his staff) sees what is wrong
        body.append(dcc.Link("查看数据质量 ›", href=quality_href, className="kpi-quality-link"))
    if status != "abnormal" and not value_label:
        body += [d for d in (_delta_span(ind, value, prev, prev_label),
                             _delta_span(ind, value, last_year, ly_label)) if d is not None]
    if note:
        body.append(html.Div(note, className="kpi-note"))
    source = f"数据来源：queries/sql/{ind.source}" if ind.source else ""
    tooltip = dbc.Tooltip([html.B(f"{ind.code} {ind.name}（{ind.kind}）"), html.Br(),
                           html.Span(f"口径：{ind.formula}"), html.Br(), html.Span(as_of_text),
                           html.Br(), html.Span(source, className="kpi-source")],
                          target=card_id, placement="bottom", className="kpi-tooltip", trigger="hover focus click")
    return html.Div([html.Div(body, id=card_id, className=f"kpi-card border-status-{status}", tabIndex=0), tooltip],
                    className="kpi-col")


def card(k: Kpi, as_of_text: str = "", **kw) -> html.Div:
    """kpi_card for a catalogue Kpi record."""
    from dashboard.urls import href
    region = k.extra.get("quality_region")
    kw.setdefault("quality_href", href("/quality", region=region) if region else "/quality")
    return kpi_card(k.indicator, k.value, k.status, k.prev, k.last_year, k.note, as_of_text,
                    reason=k.reason, value_label=k.value_label, **kw)
