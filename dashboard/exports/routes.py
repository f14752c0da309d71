"""Download routes: GET /export/<name>.xlsx?region=&period=&metric= — every table of a page as Excel.

Registered from dashboard/app.py with `register_exports(server)`. Region and period go through the
same RegionTree / Period parsing as the pages (bad input → HTTP 400 with a Chinese message).

Adding a page's tables (the rankings and weekly pages do this):

    from dashboard.exports.routes import register_table_export
    from dashboard.exports.page_tables import PageTables
    from dashboard.exports.xlsx import Table

    def rankings_tables(ctx, region, period, metric) -> PageTables:
        model = cached_model("rankings", build_rankings, ctx, region, period, metric)
        return PageTables("排名", model.region.name, model.period.label,
                          [Table("各县排名", frame, units={"得分": "0.0"}, status_column="状态")])

    register_table_export("rankings", rankings_tables)      # → /export/rankings.xlsx

`fn(ctx, region, period, metric)` gets the raw URL values (already validated) and may raise the
same errors as a page model (RegionCodeError, OutOfScope, PeriodError → 400; QueryError → 503).
The page's link is `dashboard.components.export.export_link("rankings", model)`.

Word documents the same way: `register_docx_export("weekly", fn)` with fn(ctx, region, period, metric)
-> (docx bytes, file name) serves /export/weekly.docx (build it with dashboard.exports.docx_brief).

Background: POST /export/jobs/<name>.<xlsx|docx>?… starts the same export in the job pool (202 {id,
status_url}); GET /export/jobs/<id> gives {status, progress, message, file_url}; GET …/<id>/file
downloads it. The pages' export links (class export-link) go this way through assets/16-export-jobs.js.
"""
from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Callable

from flask import Blueprint, Response, current_app, jsonify, request

from dashboard.context import get_context
from dashboard.exports.jobs import report_progress, runner
from dashboard.exports.page_tables import PAGES, PageTables
from dashboard.exports.stamp import current_stamp, pinned
from dashboard.exports.xlsx import Header, write_workbook
from queries.codes import RegionCodeError
from queries.db import QueryError
from queries.periods import Period, PeriodError
from queries.regions import OutOfScope

log = logging.getLogger("vetdash.exports")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
METRIC_RE = re.compile(r"^[a-z0-9_]{1,40}$")

bp = Blueprint("exports", __name__)
_TABLE_EXPORTS: dict[str, Callable[..., PageTables]] = dict(PAGES)


class BadRequest(ValueError):
    """Bad URL state: its message is shown to the user."""


def register_table_export(name: str, fn: Callable[..., PageTables]) -> None:
    """Make /export/<name>.xlsx serve fn(ctx, region, period, metric)'s tables."""
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,30}", name):
        raise ValueError(f"export name {name!r}: lower-case letters, digits, - and _ only")
    _TABLE_EXPORTS[name] = fn


def table_exports() -> list[str]:
    return sorted(_TABLE_EXPORTS)


def url_state(args) -> tuple[str | None, str | None, str | None]:
    """region, period, metric from the query string, checked the way the pages check them."""
    ctx = get_context()
    region = args.get("region") or None
    period = args.get("period") or None
    metric = args.get("metric") or None
    try:
        ctx.tree.resolve(region)
        Period.parse(period, ctx.as_of)
    except (RegionCodeError, OutOfScope, PeriodError) as exc:
        raise BadRequest(str(exc)) from exc
    if metric is not None and not METRIC_RE.match(metric):
        raise BadRequest(f"指标“{metric[:40]}”无法识别")
    return region, period, metric


def page_workbook(name: str, region, period, metric) -> tuple[bytes, str]:
    """(xlsx bytes, file name) for a registered page."""
    fn = _TABLE_EXPORTS.get(name)
    if fn is None:
        raise BadRequest(f"没有名为“{name[:40]}”的导出")
    ctx = get_context()
    report_progress(10, "读取数据")
    try:
        pack = fn(ctx, region, period, metric)
    except (RegionCodeError, OutOfScope, PeriodError) as exc:
        raise BadRequest(str(exc)) from exc
    report_progress(70, "写入Excel")
    header = Header(pack.region_name, pack.period_label, ctx.as_of, datetime.now(), pack.source)
    stem = pack.file_stem or f"{pack.region_name}_{pack.source}_{pack.period_label}"
    return write_workbook(pack.tables, header), f"{stem}.xlsx"


def attachment(data: bytes, filename: str, mimetype: str, audit_event: str | None = "export") -> Response:
    """A download with a Chinese file name (RFC 5987 filename*, ASCII fallback); audit_event None: the
    caller writes its own audit row."""
    from urllib.parse import quote
    resp = Response(data, mimetype=mimetype)
    if audit_event:
        from dashboard.auth.audit import record
        record(audit_event, f"{filename}（{request.full_path if request else ''}）")   # who, what, when: the audit log
    resp.headers["Content-Disposition"] = (f"attachment; filename=\"export{filename[filename.rfind('.'):]}\"; "
                                           f"filename*=UTF-8''{quote(filename)}")
    resp.headers["Cache-Control"] = "no-store"
    return resp


def error(message: str, status: int) -> Response:
    return Response(message, status=status, mimetype="text/plain; charset=utf-8")


def guarded(fn):
    """Bad input → 400, database trouble → 503, anything else → 500; always a Chinese message."""
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except BadRequest as exc:
            return error(str(exc), 400)
        except QueryError as exc:
            return error(f"数据库暂不可用：{exc.message}", 503)
        except Exception:                     # noqa: BLE001 — log the traceback, show a Chinese message
            log.exception("export failed: %s", request.full_path)
            return error("导出出错，详情已记入服务器日志。请稍后重试或联系管理员。", 500)
    run.__name__ = fn.__name__
    return run


@bp.route("/export/<name>.xlsx")
@guarded
def export_xlsx(name: str):
    region, period, metric = url_state(request.args)
    data, filename = page_workbook(name, region, period, metric)
    return attachment(data, filename, XLSX_MIME)


def yearly_document(ctx, region, period, metric) -> tuple[bytes, str]:
    from dashboard.cache import cached_model
    from dashboard.exports.yearly_docx import yearly_docx
    from dashboard.yearly_model import build_yearly
    model = cached_model("yearly", build_yearly, ctx, region, period)
    return yearly_docx(model), f"{model.region.name}_{model.year_label}_年度工作情况.docx"


_DOCX_EXPORTS: dict[str, Callable[..., tuple[bytes, str]]] = {"yearly": yearly_document}


def register_docx_export(name: str, fn: Callable[..., tuple[bytes, str]]) -> None:
    """Make /export/<name>.docx serve fn(ctx, region, period, metric) -> (docx bytes, file name)."""
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,30}", name):
        raise ValueError(f"export name {name!r}: lower-case letters, digits, - and _ only")
    _DOCX_EXPORTS[name] = fn


def page_document(name: str, region, period, metric) -> tuple[bytes, str]:
    fn = _DOCX_EXPORTS.get(name)
    if fn is None:
        raise BadRequest(f"没有名为“{name[:40]}”的Word导出")
    try:
        return fn(get_context(), region, period, metric)
    except (RegionCodeError, OutOfScope, PeriodError) as exc:
        raise BadRequest(str(exc)) from exc


@bp.route("/export/<name>.docx")
@guarded
def export_docx(name: str):
    region, period, metric = url_state(request.args)
    data, filename = page_document(name, region, period, metric)
    return attachment(data, filename, DOCX_MIME)


# ------------------------------------------------------------------------------------ background jobs
EXPORT_KINDS = {"xlsx": (lambda: _TABLE_EXPORTS, page_workbook, XLSX_MIME),
                "docx": (lambda: _DOCX_EXPORTS, page_document, DOCX_MIME)}


@bp.route("/export/jobs/<name>.<ext>", methods=["POST"])
@guarded
def start_job(name: str, ext: str):
    """Start /export/<name>.<ext> in the background: 202 {id, status_url}; the page polls the status."""
    if ext not in EXPORT_KINDS:
        raise BadRequest(f"不支持的文件类型“{ext[:10]}”")
    registry, make, mimetype = EXPORT_KINDS[ext]
    if name not in registry():
        raise BadRequest(f"没有名为“{name[:40]}”的导出")
    region, period, metric = url_state(request.args)          # bad input fails now, not in the job
    stamp = current_stamp()                                   # the job's thread has no request: who asked, now

    def work():
        with pinned(stamp):
            data, filename = make(name, region, period, metric)
        return data, filename, mimetype

    job_id = runner().submit(f"{name}.{ext}", work, current_app._get_current_object())
    return jsonify(id=job_id, status_url=f"/export/jobs/{job_id}"), 202


@bp.route("/export/jobs/<job_id>")
def job_status(job_id: str):
    status = runner().store.read(job_id)
    if status is None:
        return jsonify(status="missing", message="导出任务不存在或已过期，请重新导出"), 404
    if status.get("status") == "done":
        status["file_url"] = f"/export/jobs/{job_id}/file"
    return jsonify(status)


@bp.route("/export/jobs/<job_id>/file")
def job_file(job_id: str):
    status = runner().store.read(job_id)
    if status is None:
        return error("导出任务不存在或已过期，请重新导出", 404)
    if status.get("status") != "done":
        return error("文件尚未生成完毕，请稍候", 409)
    data = runner().store.result(job_id)
    if data is None:
        return error("导出文件已过期，请重新导出", 404)
    return attachment(data, status["filename"], status["mimetype"])


try:
    from redis.exceptions import RedisError
except ImportError:                 # redis not installed: no Redis job store either
    RedisError = None

if RedisError is not None:
    @bp.errorhandler(RedisError)
    def _store_down(exc):           # the job store is Redis (VETDASH_REDIS_URL) and it is unreachable
        log.warning("export job store unreachable: %s", exc)
        return error("导出服务暂不可用（任务存储无法连接），请稍后重试", 503)


def register_exports(server) -> None:
    """Called once from create_app."""
    server.register_blueprint(bp)
    from dashboard.weekly.brief_routes import bp as brief_bp      # issued weekly briefs (/weekly/brief/<id>.docx)
    server.register_blueprint(brief_bp)
