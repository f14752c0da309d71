"""/weekly's 周例会简报 pieces: the 生成简报(Word) / 各县简报 buttons with job progress, and the list of
briefs issued for the region (期次, 签发时间, 签发人, 数据版本, download)."""
from __future__ import annotations

import logging

from dash import ALL, Input, Output, State, callback, dcc, html, no_update
from dash import ctx as dash_ctx

from dashboard.exports.jobs import runner
from dashboard.weekly import issued
from dashboard.weekly.brief_routes import download_url, may_see, start_issue
from dashboard.weekly.snapshots import StateError
from queries.codes import RegionCodeError
from queries.periods import Period, PeriodError
from queries.regions import OutOfScope

log = logging.getLogger("vetdash.weekly")
TARGET, JOB, POLL, PROGRESS, LIST, RESULT = ("weekly-brief-target", "weekly-brief-job", "weekly-brief-poll",
                                             "weekly-brief-progress", "weekly-brief-list", "weekly-brief-result")
BUTTON = "weekly-brief-btn"
POLL_MS = 700


def actions(model) -> html.Div:
    """The buttons (a city also gets 各县简报), the progress line and the job's stores."""
    buttons = [html.Button("生成简报(Word)", id={"type": BUTTON, "mode": "one"}, n_clicks=0,
                           className="btn btn-sm btn-primary me-1",
                           title=f"生成并签发{model.region.name}{model.week.label}周例会简报（Word，内部资料）")]
    if model.region.level == 2:
        buttons.append(html.Button("各县简报", id={"type": BUTTON, "mode": "each"}, n_clicks=0,
                                   className="btn btn-sm btn-outline-primary me-1",
                                   title="为每个县(市、区)各生成一份简报，打包下载（zip）"))
    return html.Div(buttons + [
        html.Span(id=PROGRESS, className="brief-progress ms-1"),
        html.Span(id=RESULT, className="ms-1"),
        dcc.Store(id=TARGET, data={"region": model.region.short, "week": model.week.key}),
        dcc.Store(id=JOB),
        dcc.Interval(id=POLL, interval=POLL_MS, disabled=True),
    ], className="export-bar no-print weekly-brief-actions")


def _week_label(key: str, as_of) -> str:
    try:
        return Period.parse(key, as_of).label
    except PeriodError:
        return key


def brief_table(region_code: str) -> html.Div:
    """The briefs issued for this region and the regions below it, newest first, with download links."""
    from dashboard.context import get_context
    ctx = get_context()
    try:
        rows = [r for r in issued.listing(ctx.settings.state_db_url, region_code) if may_see(r.region_code)]
    except StateError as exc:
        return html.Div(f"{exc}，暂时无法列出已签发简报。", className="text-danger", id="weekly-brief-empty")
    if not rows:
        return html.Div("本区划尚未签发简报。", className="text-muted p-1", id="weekly-brief-empty")
    names = {}
    for r in rows:
        if r.region_code not in names:
            region = ctx.tree.get(r.region_code)
            names[r.region_code] = region.name if region else r.region_code
    head = html.Thead(html.Tr([html.Th(h) for h in ("期次", "区划", "签发时间", "签发人", "数据版本", "")]))
    body = html.Tbody([html.Tr([
        html.Td(_week_label(r.week, ctx.as_of), className="brief-week"),
        html.Td(names[r.region_code], className="brief-region"),
        html.Td(r.issued_at.strftime("%Y-%m-%d %H:%M"), className="brief-at"),
        html.Td(r.issued_by, className="brief-by"),
        html.Td(r.data_version, className="brief-version"),
        html.Td(html.A("下载", href=download_url(r.id), download="", className="brief-download",
                       title=f"{r.file_name}（原样下载签发时的文件）")),
    ], className="brief-row", **{"data-id": str(r.id)}) for r in rows])
    return html.Div(html.Table([head, body], className="table table-sm weekly-briefs mb-0", id="weekly-briefs"),
                    className="weekly-flags-wrap")


def list_panel(region_code: str) -> html.Div:
    return html.Div([html.H5("已签发简报", className="weekly-h"),
                     html.Div(brief_table(region_code), id=LIST),
                     html.Div("下载为签发时保存的原文件，数据更新后内容不变。", className="weekly-note")],
                    className="bg-white rounded shadow-sm p-2 mb-2", id="weekly-brief-panel")


def _refusal(exc: Exception) -> str:
    if isinstance(exc, (RegionCodeError, OutOfScope, PeriodError)):
        return str(exc)
    log.exception("weekly brief failed")
    return "简报生成出错，详情已记入服务器日志。请稍后重试或联系管理员。"


@callback(Output(JOB, "data"), Output(POLL, "disabled"), Output(PROGRESS, "children"), Output(RESULT, "children"),
          Input({"type": BUTTON, "mode": ALL}, "n_clicks"), State(TARGET, "data"), prevent_initial_call=True)
def start(clicks, target):
    """A click submits the job (checked in this request, as this viewer) and starts polling."""
    trigger = dash_ctx.triggered_id
    if not trigger or not any(clicks or []) or not target:
        return no_update, no_update, no_update, no_update
    try:
        job_id = start_issue(target.get("region"), target.get("week"), each=trigger["mode"] == "each")
    except Exception as exc:                   # noqa: BLE001 — always a Chinese message on the page
        return None, True, html.Span(_refusal(exc), className="text-danger"), ""
    return {"id": job_id, "region": target.get("region")}, False, "正在生成… 0%", ""


@callback(Output(PROGRESS, "children", allow_duplicate=True), Output(POLL, "disabled", allow_duplicate=True),
          Output(LIST, "children"), Output(RESULT, "children", allow_duplicate=True),
          Input(POLL, "n_intervals"), State(JOB, "data"), prevent_initial_call=True)
def poll(_n, job):
    """Progress while the job runs; when done, the list shows the new brief and a link to the file."""
    if not job:
        return no_update, True, no_update, no_update
    status = runner().store.read(job["id"])
    if status is None:
        return html.Span("任务不存在或已过期，请重新生成", className="text-danger"), True, no_update, ""
    if status.get("status") == "error":
        return html.Span(status.get("message") or "生成失败", className="text-danger"), True, no_update, ""
    if status.get("status") != "done":
        return f"{status.get('message') or '正在生成'} {status.get('progress', 0)}%", False, no_update, no_update
    from dashboard.context import get_context
    region = get_context().tree.resolve(job.get("region"))
    link = html.A(f"下载 {status.get('filename')}", href=f"/export/jobs/{job['id']}/file", download="",
                  id="weekly-brief-file", className="brief-file")
    return "已签发", True, brief_table(region.code), link
