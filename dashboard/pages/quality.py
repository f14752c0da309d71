"""数据质量: what the refresh's sanity checks found, per county, and how fresh each source table is."""
from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import labels
from dashboard.components.chrome import breadcrumb
from dashboard.components.safe import safe_layout
from dashboard.context import get_context
from dashboard.urls import href
from queries import codes
from queries import quality as q
from queries.load.specs import AS_OF_TABLES, FRESHNESS
from queries.periods import day_key, from_day_key

PATH = "/quality"
STALE_DAYS = 31              # a continuous table whose latest date is older than this before the as-of date

dash.register_page(__name__, path=PATH, name="数据质量", title="数据质量 · 领导驾驶舱")


class QualityModel(NamedTuple):      # not a dataclass: Dash Pages loads this module outside sys.modules
    lineage: list
    region: object
    findings: pd.DataFrame
    fresh: pd.DataFrame
    as_of: object


def build_quality(ctx, region: str | None) -> QualityModel:
    """Plain data for the page (no Dash)."""
    node = ctx.tree.resolve(region)
    return QualityModel(ctx.tree.lineage(node.code), node, q.findings(ctx.db, ctx.scope, node.code),
                        q.freshness(ctx.db, ctx.scope, node.code), ctx.as_of)


def place_label(code: str, name) -> str:
    return name if isinstance(name, str) and name else f"{codes.short_code(code)}（不在区划树中）"


def finding_note(kind: str, worst) -> str:
    if kind == "rate":
        if worst is None or pd.isna(worst):
            return "本年度预算合计不大于0(含负数预算)，执行率无法计算"
        return f"资金执行率 {labels.fmt_pct(float(worst) * 100)}，超出合理范围(≤150%)"
    return q.CHECKS.get(kind, (kind, ""))[1]


@safe_layout(PATH)
def layout(region: str | None = None, **_):
    model = build_quality(get_context(), region)
    return html.Div([
        html.Div(breadcrumb(model.lineage, PATH, None), className="page-head"),
        html.Div(f"{model.region.name} · 数据质量", className="view-title", id="view-title"),
        _summary(model),
        html.H5("异常清单", className="mt-3"),
        _findings(model),
        html.H5("各县数据新鲜度（已导入的最新日期）", className="mt-4"),
        _freshness(model),
        _rules(),
    ], className="page page-quality")


def _summary(model: QualityModel) -> html.Div:
    checked = f"按数据截至 {labels.fmt_date(model.as_of)} 检查（每次导入数据、刷新汇总后更新）。"
    if model.findings.empty:
        return dbc.Alert(f"未发现数据质量问题。{checked}", color="success", id="quality-summary")
    kinds = model.findings["check_kind"].nunique()
    places = model.findings["place_code"].nunique()
    rows = int(model.findings["cases"].sum())
    return dbc.Alert(f"发现 {kinds} 类数据异常，涉及 {places} 个县(区)、{labels.fmt_int(rows)} 行数据。"
                     f"受影响的指标在各页显示为“数据异常”。{checked}", color="warning", id="quality-summary")


def _findings(model: QualityModel):
    if model.findings.empty:
        return html.Div("无", className="text-muted", id="quality-findings")
    head = html.Thead(html.Tr([html.Th(h, className="text-nowrap") for h in ("县(区)", "问题", "来源表", "涉及行数", "示例编号", "说明")]))
    body = []
    for r in model.findings.itertuples(index=False):
        example = "—" if r.example_id is None or pd.isna(r.example_id) else codes.mask_id(int(r.example_id))
        body.append(html.Tr([
            html.Td(place_label(r.place_code, r.place_name), className="text-nowrap"),
            html.Td(q.CHECKS.get(r.check_kind, (r.check_kind,))[0], className="fw-bold text-danger text-nowrap"),
            html.Td(q.SOURCES.get(r.source, r.source), className="text-nowrap"),
            html.Td(labels.fmt_int(r.cases), className="text-end"),
            html.Td(example, className="text-nowrap"),
            html.Td(finding_note(r.check_kind, r.worst), style={"minWidth": "16em"}),
        ]))
    return html.Div(dbc.Table([head, html.Tbody(body)], size="sm", striped=True, hover=True, className="mb-0"),
                    id="quality-findings", className="table-responsive")


def _freshness(model: QualityModel):
    if model.fresh.empty:
        return html.Div(labels.NO_DATA, className="text-muted", id="quality-freshness")
    sources = [s for s in FRESHNESS if s in set(model.fresh["source"])]
    stale_before = day_key(model.as_of - timedelta(days=STALE_DAYS))
    head = html.Thead(html.Tr([html.Th("县(区)")] + [html.Th(q.SOURCES[s]) for s in sources]))
    body = []
    for (code, name), part in model.fresh.groupby(["place_code", "place_name"], sort=True):
        latest = dict(zip(part["source"], part["latest_day"]))
        cells = [html.Td(dcc.Link(name, href=href(PATH, region=codes.short_code(code))), className="text-nowrap")]
        for s in sources:
            day = latest.get(s)
            if day is None or pd.isna(day):
                cells.append(html.Td("—", className="text-muted"))
                continue
            stale = s in AS_OF_TABLES and int(day) < stale_before
            cells.append(html.Td(labels.fmt_date(from_day_key(int(day))),
                                 className="text-nowrap" + (" text-warning fw-bold" if stale else ""),
                                 title=f"超过{STALE_DAYS}天未更新" if stale else None))
        body.append(html.Tr(cells))
    return html.Div(dbc.Table([head, html.Tbody(body)], size="sm", striped=True, className="mb-0"),
                    id="quality-freshness", className="table-responsive")


def _rules() -> html.Details:
    items = [html.Li([html.B(name), "：", meaning]) for name, meaning in q.CHECKS.values()]
    return html.Details([html.Summary("检查规则"), html.Ul(items),
                         html.P("导入时不合格的行不会写入(见导入拒收文件)；本页列出的是已在数据库中的问题数据。"
                                "服务中心(站)办件、资金到账、信访、“311”服务超过一个月没有新数据时，日期以醒目颜色显示。")],
                        className="mt-3")
