"""Issuing weekly briefs as background jobs, and downloading an issued brief exactly as it was stored.

- `start_issue(region, week, each)` (called from the /weekly page's callback, inside the request) checks the
  viewer may see the region, then runs the brief in the export job pool as that viewer; the job's file is
  the .docx (or a zip of the county briefs) and its status carries the stored ids.
- GET /weekly/brief/<id>.docx returns the stored bytes (never a regeneration) to a viewer whose scope
  holds the brief's region; anyone else gets a Chinese 403. Issuing and downloading are audit-logged.
"""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, g, request

from dashboard.auth import audit
from dashboard.auth.viewer import current_viewer, enter_page
from dashboard.context import get_context
from dashboard.exports.jobs import runner
from dashboard.exports.routes import DOCX_MIME, attachment, error
from dashboard.weekly import issued
from dashboard.weekly.snapshots import StateError
from dashboard.weekly.model import PATH, parse_week
from queries import codes

log = logging.getLogger("vetdash.weekly")
ZIP_MIME = "application/zip"
bp = Blueprint("weekly_brief", __name__)


def download_url(brief_id: int) -> str:
    return f"/weekly/brief/{int(brief_id)}.docx"


def start_issue(region: str | None, week: str | None, each: bool = False) -> str:
    """Validate in the request (scope, week), then submit the job; returns the job id.
    Raises RegionCodeError / OutOfScope / PeriodError with Chinese messages."""
    from dashboard.weekly.brief import issue, issue_counties
    ctx = get_context()
    enter_page(PATH, region)                                   # the page's own scope rule
    target = ctx.tree.resolve(region)
    week_key = parse_week(week, ctx.as_of).key
    if each and target.level != 2:
        raise codes.RegionCodeError("“各县简报”只能在市级视图中生成")
    viewer = current_viewer()
    name = viewer.name if viewer else "命令行"
    ip = request.remote_addr or ""
    scope = g.get("scope")
    state_url = ctx.settings.state_db_url
    app = current_app._get_current_object()

    def work():
        # the job runs as the viewer who asked: the same scope, the same cache entries as his page
        with app.test_request_context(PATH):
            g.viewer = viewer
            if scope:
                g.scope = scope
            if each:
                rows, data, filename = issue_counties(ctx, state_url, target.code, week_key, name)
                mimetype = ZIP_MIME
            else:
                row, data = issue(ctx, state_url, target.code, week_key, name)
                rows, filename, mimetype = [row], row.file_name, DOCX_MIME
            for row in rows:
                audit.record("brief_issue", f"{row.file_name}（编号{row.id}，数据版本{row.data_version}）",
                             account=name, ip=ip)
            return data, filename, mimetype

    label = f"周例会简报 {target.name} {week_key}" + ("（各县）" if each else "")
    return runner().submit(label, work, app)


def may_see(region_code: str) -> bool:
    """The viewer's scope (request_scope) holds the brief's region."""
    try:
        return codes.is_within(region_code, get_context().scope)
    except Exception:                          # noqa: BLE001 — no data permission: not his to see
        return False


@bp.route("/weekly/brief/<int:brief_id>.docx")
def download(brief_id: int):
    from dashboard.auth.web import refuse
    url = get_context().settings.state_db_url
    try:
        found = issued.fetch(url, brief_id)
    except StateError as exc:
        log.exception("issued brief %s unreadable", brief_id)
        return error(f"{exc}，请稍后重试或联系管理员。", 503)
    if found is None:
        return error("该简报不存在或已删除", 404)
    row, content = found
    if not may_see(row.region_code):
        audit.record("denied", f"下载简报编号{row.id}（{codes.short_code(row.region_code)}）", ok=False)
        return refuse("您无权下载该简报：简报所属区划不在您的查看范围内。")
    audit.record("brief_download", f"{row.file_name}（编号{row.id}，数据版本{row.data_version}）")
    resp = attachment(content, row.file_name, DOCX_MIME, audit_event=None)
    resp.headers["X-Content-SHA256"] = row.sha256
    return resp
