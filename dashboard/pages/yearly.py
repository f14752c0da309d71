"""年度工作情况: a city's or county's year in the words of its annual report, each figure with its 口径."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import labels
from dashboard.cache import cached_model
from dashboard.components.chrome import PERIOD_SELECT, breadcrumb, message, shown
from dashboard.components.export import export_href
from dashboard.components.safe import safe_layout
from dashboard.context import get_context
from dashboard.urls import href
from dashboard.yearly_model import YearlyModel, build_yearly, year_options

PATH = "/yearly"
SENTENCE, FIGURES, NOTES, CHILDREN = "yearly-sentence", "yearly-figures", "yearly-notes", "yearly-children"

dash.register_page(__name__, path=PATH, name="年度总结", title="年度工作情况 · 领导驾驶舱")


@safe_layout(PATH, cache_view=True)
def layout(region: str | None = None, period: str | None = None, **_):
    ctx = get_context()
    model = cached_model("yearly", build_yearly, ctx, region, period)
    return html.Div([
        _head(model),
        _links(model),
        html.Div(f"{model.title}", className="view-title", id="view-title"),
        html.Div(f"{model.year_label} · 数据截至 {labels.fmt_date(model.as_of)} · 内部资料", className="text-muted mb-2"),
        message(model.note, "info") if model.note else html.Div(),
        html.Div([html.H5("主要工作数据"), html.P(_sentence(model), id=SENTENCE, className="yearly-sentence")],
                 className="bg-white rounded p-3 mb-2"),
        html.Div([html.H5("数据明细及口径"), _figures(model)], className="bg-white rounded p-3 mb-2", id=FIGURES),
        _children(model),
    ], className="page page-yearly")


def _links(model: YearlyModel) -> html.Div:
    def link(label, ext, style):
        url = export_href("yearly", model.region.short, model.period.key, ext=ext)
        return html.A(label, href=url, download="", id=f"export-yearly-{ext}", className=f"export-link btn btn-sm {style}")
    return html.Div([link("下载Word", "docx", "btn-primary"), link("导出Excel", "xlsx", "btn-outline-secondary")],
                    className="export-bar no-print")


def _head(model: YearlyModel) -> html.Div:
    options = [{"label": f"{y}年" + ("（截至今日）" if y == model.as_of.year else ""), "value": str(y)}
               for y in year_options(model.as_of)]
    selector = html.Div([html.Span("年度：", className="me-2"),
                         dcc.Dropdown(id=PERIOD_SELECT, options=options, value=str(model.year), clearable=False,
                                      searchable=False, className="period-select"),
                          shown(PERIOD_SELECT["name"], str(model.year))],
                        className="period-bar d-flex align-items-center")
    return html.Div([breadcrumb(model.lineage, PATH, model.period.key), selector],
                    className="page-head d-flex justify-content-between align-items-center flex-wrap")


def _sentence(model: YearlyModel) -> list:
    out = []
    for text, key in model.segments:
        if key is None:
            out.append(text)
            continue
        fig = model.figures[key]
        out += [html.Span(text, className="yearly-figure", title=f"{fig.name}：{fig.formula}", id=f"yearly-{key}"),
                html.Sup(str(fig.note), className="yearly-note-mark")]
    return out


def _figures(model: YearlyModel):
    head = html.Thead(html.Tr([html.Th("注"), html.Th("项目"), html.Th("数值", className="text-end"), html.Th("口径")]))
    rows = [html.Tr([html.Td(str(f.note) if f.note else ""), html.Td(f.name),
                     html.Td(f.text, className="text-end fw-bold text-nowrap"), html.Td(f.formula, className="small yearly-formula")])
            for f in model.figures.values()]
    return dbc.Table([head, html.Tbody(rows)], size="sm", striped=True, className="mb-0")


def _children(model: YearlyModel):
    frame = model.children
    if frame is None or frame.empty:
        return html.Div(id=CHILDREN)
    units = {f.name: f.unit for f in model.figures.values()}
    codes = list(frame["区划代码"])
    frame = frame.drop(columns=["区划代码"])
    cols = list(frame.columns)
    head = html.Thead(html.Tr([html.Th(c + (f"（{units[c]}）" if c in units else ""), className="text-end" if i else None)
                               for i, c in enumerate(cols)]))
    body = []
    for code, rec in zip(codes, frame.itertuples(index=False, name=None)):
        cells = [html.Td(dcc.Link(rec[0], href=href(PATH, region=code, period=model.period.key)))]
        for c, v in zip(cols[1:], rec[1:]):
            text = "—" if v is None or v != v else (f"{v:,.2f}" if units.get(c) == "万元" else f"{int(v):,}")
            cells.append(html.Td(text, className="text-end"))
        body.append(html.Tr(cells))
    return html.Div([html.H5("各县(市、区)情况"),
                     html.Div(dbc.Table([head, html.Tbody(body)], size="sm", striped=True, hover=True,
                                        className="mb-0"), style={"overflowX": "auto"})],
                    className="bg-white rounded p-3 mb-2", id=CHILDREN)
