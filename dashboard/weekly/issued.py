"""Issued weekly briefs in the state database (dashboard/state_db.py `issued_brief`): keep, list, fetch.

A brief is stored once, as issued (bytes + sha256 + the data version it was made from); a download reads
those bytes back, so what a meeting was handed can be reproduced after the data changed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, insert, select
from sqlalchemy.exc import SQLAlchemyError

from dashboard.state_db import issued_brief, state_engine
from dashboard.weekly.snapshots import StateError
from queries import codes

LIST_LIMIT = 50            # the /weekly list shows the newest this many


@dataclass(frozen=True)
class IssuedBrief:
    """One stored brief without its bytes (the list)."""
    id: int
    region_code: str
    week: str
    data_version: str
    issued_by: str
    issued_at: datetime
    file_name: str
    sha256: str
    size: int


_META = [c for c in issued_brief.c if c.name != "content"]


def _engine(url: str):
    try:
        return state_engine(url)
    except SQLAlchemyError as exc:
        raise StateError("无法连接状态库") from exc


def store(url: str, region_code: str, week: str, data_version: str, issued_by: str, file_name: str,
          content: bytes, issued_at: datetime | None = None) -> IssuedBrief:
    """Keep one issued brief; returns its row (with the new id)."""
    row = {"region_code": codes.code12(region_code), "week": week, "data_version": data_version[:40],
           "issued_by": (issued_by or "")[:64], "issued_at": (issued_at or datetime.now()).replace(microsecond=0),
           "file_name": file_name[:200], "content": content, "sha256": hashlib.sha256(content).hexdigest(),
           "size": len(content)}
    try:
        with _engine(url).begin() as conn:
            new_id = conn.execute(insert(issued_brief).values(**row)).inserted_primary_key[0]
    except SQLAlchemyError as exc:
        raise StateError("保存简报失败") from exc
    return IssuedBrief(int(new_id), **{k: v for k, v in row.items() if k != "content"})


def listing(url: str, region_code: str, limit: int = LIST_LIMIT) -> list[IssuedBrief]:
    """Briefs of this region and the regions below it (the city's list shows its counties' briefs), newest first."""
    lo, hi = codes.subtree_range(region_code)
    stmt = (select(*_META).where(and_(issued_brief.c.region_code >= lo, issued_brief.c.region_code <= hi))
            .order_by(issued_brief.c.issued_at.desc(), issued_brief.c.id.desc()).limit(limit))
    try:
        with _engine(url).connect() as conn:
            return [IssuedBrief(**dict(r._mapping)) for r in conn.execute(stmt)]
    except SQLAlchemyError as exc:
        raise StateError("读取已签发简报失败") from exc


def fetch(url: str, brief_id: int) -> tuple[IssuedBrief, bytes] | None:
    """(row, the stored .docx bytes) or None."""
    try:
        with _engine(url).connect() as conn:
            r = conn.execute(select(issued_brief).where(issued_brief.c.id == int(brief_id))).first()
    except SQLAlchemyError as exc:
        raise StateError("读取已签发简报失败") from exc
    if r is None:
        return None
    m = dict(r._mapping)
    content = bytes(m.pop("content"))
    return IssuedBrief(**m), content
