"""The audit log (state database): sign-ins, exports, account and role changes; kept ≥ 180 days.

Others call `record(event, detail)` — e.g. an export route: `audit.record("export", "资金发放 明细 4310 2026-11")`.
Who and from where are taken from the current request.
"""
from __future__ import annotations

import io
import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select

from dashboard.state_db import audit_log, current_state_engine

log = logging.getLogger("vetdash.audit")

EVENTS = {
    "login": "登录", "login_failed": "登录失败", "locked": "账号锁定", "logout": "退出",
    "export": "导出", "account_add": "新建账号", "account_disable": "停用账号", "account_enable": "启用账号",
    "password_reset": "重置密码", "password_change": "修改密码", "role_change": "角色变更",
    "token_add": "新建大屏令牌", "token_revoke": "吊销大屏令牌", "denied": "越权访问被拒", "audit_download": "下载审计日志",
    "brief_issue": "签发简报", "brief_download": "下载简报",
}
PURGE_EVERY = 500          # purge old rows once per this many writes (cheap, no scheduler needed)
_writes = {"n": 0}


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def record(event: str, detail: str = "", *, account: str | None = None, ok: bool = True, ip: str | None = None,
           engine=None) -> None:
    """Append one row; never lets a logging failure break the request (it is logged instead)."""
    try:
        if account is None or ip is None:
            req_account, req_ip = _request_identity()
            account = req_account if account is None else account
            ip = req_ip if ip is None else ip
        engine = engine or current_state_engine()
        with engine.begin() as conn:
            conn.execute(insert(audit_log).values(at=now(), account=account or "", event=event, ok=ok,
                                                  ip=ip or "", detail=detail[:2000]))
        _writes["n"] += 1
        if _writes["n"] % PURGE_EVERY == 1:
            purge(engine)
    except Exception:  # noqa: BLE001 — the audit trail must not take the page down; the server log keeps it
        log.exception("audit write failed: %s %s", event, detail)


def _request_identity() -> tuple[str, str]:
    try:
        from flask import has_request_context, request
        if not has_request_context():
            return "命令行", "local"
        from dashboard.auth.viewer import current_viewer
        viewer = current_viewer()
        return (viewer.name if viewer else ""), (request.remote_addr or "")
    except Exception:  # noqa: BLE001
        return "", ""


def purge(engine, retention_days: int | None = None) -> int:
    """Delete rows older than the retention (config/auth.toml, never below 180 days)."""
    from dashboard.auth.config import load_rules
    days = retention_days or load_rules().retention_days
    with engine.begin() as conn:
        return conn.execute(delete(audit_log).where(audit_log.c.at < now() - timedelta(days=days))).rowcount


def query(engine, *, account: str = "", event: str = "", start: datetime | None = None,
          end: datetime | None = None, limit: int = 2000) -> list[dict]:
    """Newest first, filtered by account (exact), event key and time range."""
    stmt = select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
    if account:
        stmt = stmt.where(audit_log.c.account == account)
    if event:
        stmt = stmt.where(audit_log.c.event == event)
    if start:
        stmt = stmt.where(audit_log.c.at >= start)
    if end:
        stmt = stmt.where(audit_log.c.at < end)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


def to_xlsx(rows: list[dict]) -> bytes:
    """The filtered rows as an Excel workbook (Chinese headers)."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "审计日志"
    ws.append(["时间", "账号", "事件", "结果", "来源地址", "详情"])
    for r in rows:
        ws.append([r["at"].strftime("%Y-%m-%d %H:%M:%S"), r["account"], EVENTS.get(r["event"], r["event"]),
                   "成功" if r["ok"] else "失败", r["ip"], r["detail"]])
    for col, width in zip("ABCDEF", (20, 14, 14, 8, 16, 60)):
        ws.column_dimensions[col].width = width
    # who downloaded it and when (the rows start at A1 for filtering: the printed header and the file's
    # properties carry it, as on every export — dashboard/exports/stamp.py)
    from dashboard.exports.stamp import current_stamp
    stamp = current_stamp()
    ws.oddHeader.left.text = stamp.text.replace("&", "&&")
    ws.oddHeader.left.size, ws.oddHeader.left.color = 8, "A6A6A6"
    ws.oddHeader.right.text = "内部资料"
    wb.properties.creator = wb.properties.lastModifiedBy = stamp.account
    wb.properties.description = stamp.text
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
