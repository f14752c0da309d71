"""Weekly flag snapshots in the state database (dashboard/state_db.py): write one week, read back."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.exc import SQLAlchemyError

from dashboard.state_db import state_engine, weekly_flag, weekly_snapshot


class StateError(RuntimeError):
    """The state database could not be read or written (message in Chinese)."""


class SnapshotStore:
    """Snapshots of one state database; the run list of a view is read once per store."""

    def __init__(self, url: str):
        try:
            self.engine = state_engine(url)
        except SQLAlchemyError as exc:
            raise StateError("无法连接状态库") from exc
        self._rows: dict[tuple[str, str], dict[tuple[str, str], tuple]] = {}

    def record(self, week: str, view_region: str, flags) -> None:
        """Replace the snapshot of (week, view) with these flags (the latest computation of the week wins)."""
        rows = [{"week": week, "view_region": view_region, "rule": f.rule, "region_code": f.region_code,
                 "value": f.value, "value_text": f.value_text[:80]} for f in flags]
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(weekly_flag).where(and_(weekly_flag.c.week == week,
                                                            weekly_flag.c.view_region == view_region)))
                conn.execute(delete(weekly_snapshot).where(and_(weekly_snapshot.c.week == week,
                                                                weekly_snapshot.c.view_region == view_region)))
                conn.execute(insert(weekly_snapshot), [{"week": week, "view_region": view_region, "flags": len(rows),
                                                        "taken_at": datetime.now(UTC).replace(tzinfo=None)}])
                if rows:
                    conn.execute(insert(weekly_flag), rows)
        except SQLAlchemyError as exc:
            raise StateError("写入周快照失败") from exc
        self._rows.pop((week, view_region), None)

    def runs(self, view_region: str) -> set[str]:
        """Week keys with a snapshot for this view."""
        try:
            with self.engine.connect() as conn:
                return {r[0] for r in conn.execute(select(weekly_snapshot.c.week)
                                                   .where(weekly_snapshot.c.view_region == view_region))}
        except SQLAlchemyError as exc:
            raise StateError("读取周快照失败") from exc

    def _week(self, week: str, view_region: str) -> dict[tuple[str, str], tuple]:
        key = (week, view_region)
        if key not in self._rows:
            try:
                with self.engine.connect() as conn:
                    result = conn.execute(select(weekly_flag.c.rule, weekly_flag.c.region_code, weekly_flag.c.value,
                                                 weekly_flag.c.value_text)
                                          .where(and_(weekly_flag.c.week == week,
                                                      weekly_flag.c.view_region == view_region)))
                    self._rows[key] = {(r[0], r[1]): (r[2], r[3]) for r in result}
            except SQLAlchemyError as exc:
                raise StateError("读取周快照失败") from exc
        return self._rows[key]

    def has(self, week: str, view_region: str, rule: str, region_code: str) -> bool:
        return (rule, region_code) in self._week(week, view_region)

    def flags(self, week: str, view_region: str, rules: set[str], make) -> dict:
        """The snapshot's flags of these rules as Flag objects (make(rule, code, value, text) -> Flag)."""
        out = {}
        for (rule, code), (value, text) in self._week(week, view_region).items():
            if rule in rules:
                f = make(rule, code, value, text)
                if f is not None:
                    out[f.key] = f
        return out
