"""Who exported a file and when — the line every .xlsx and .docx carries, as the desk pages' watermark does,
so a leaked or printed file can be traced to an account.

Inside a request the viewer comes from the sign-in guard; a background export job runs in another thread,
so the route takes the stamp when the person asks (`current_stamp()`) and the job runs `with pinned(stamp)`.
Outside both (scripts, `vetdash` commands) the account is 命令行, as in the audit log.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

COMMAND_LINE = "命令行"
_local = threading.local()


@dataclass(frozen=True)
class Stamp:
    account: str                    # sign-in name (the desk watermark shows the same)
    full_name: str
    at: datetime

    @property
    def who(self) -> str:
        """zhangsan（张三）; the bare name when the account has no other name; the full name when it already
        begins with the account name (the demo session: 演示领导（本机演示）)."""
        if not self.full_name or self.full_name == self.account:
            return self.account
        if self.full_name.startswith(self.account):
            return self.full_name
        return f"{self.account}（{self.full_name}）"

    @property
    def text(self) -> str:
        return f"导出人：{self.who}　导出时间：{self.at:%Y-%m-%d %H:%M}"


def current_stamp(at: datetime | None = None) -> Stamp:
    """The stamp for this thread: the one a background job carries, else the request's viewer, else 命令行."""
    stamp = getattr(_local, "stamp", None)
    if stamp is not None:
        return stamp
    from dashboard.auth.viewer import current_viewer
    viewer = current_viewer()
    at = at or datetime.now()
    if viewer is None:
        return Stamp(COMMAND_LINE, "", at)
    return Stamp(viewer.name, viewer.full_name, at)


@contextmanager
def pinned(stamp: Stamp):
    """Use this stamp for every document written in this thread inside the block (background jobs)."""
    before = getattr(_local, "stamp", None)
    _local.stamp = stamp
    try:
        yield stamp
    finally:
        _local.stamp = before
