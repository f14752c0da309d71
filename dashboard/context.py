"""Per-process application context: settings, database, region tree, thresholds, as-of date."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from config.settings import Settings
from config.thresholds import Threshold, load_thresholds
from queries import codes
from queries.db import Database, QueryError
from queries.regions import RegionTree

log = logging.getLogger("vetdash")
HEALTH_TIMEOUT_MS = 2000       # /healthz answers within ~2 s even when a rollup table is locked
STATE_TTL_S = 5.0              # how long a page trusts the last look at the build/refresh markers
# meta rows written by `vetdash build-demo` / `vetdash refresh` while they work (removed when done)
IN_PROGRESS = {"build_in_progress": "演示数据库尚未生成完成（生成过程被中断或仍在进行），数据不完整，暂不显示。"
                                    "请重新运行 vetdash build-demo。",
               "refresh_in_progress": "汇总数据正在更新（或上次更新中断），数据可能不完整，暂不显示。请稍后刷新页面。"}


@dataclass
class AppContext:
    settings: Settings
    db: Database
    thresholds: dict[str, Threshold]
    _tree: RegionTree | None = None
    _as_of: date | None = None
    _state: tuple[float, str | None] = field(default=(0.0, None), repr=False)
    _start: date | None = None

    @property
    def scope(self) -> str:
        return self.settings.scope

    @property
    def tree(self) -> RegionTree:
        """Loaded on first use (not at import), so the app starts even if the database is down."""
        if self._tree is None:
            self._tree = RegionTree.load(self.db, self.scope)
        return self._tree

    @property
    def as_of(self) -> date:
        if self.settings.as_of:
            return date.fromisoformat(self.settings.as_of)
        if self._as_of is None:
            meta = self.meta()
            self._as_of = date.fromisoformat(meta["as_of"]) if "as_of" in meta else date.today()
        return self._as_of

    @property
    def data_start(self) -> date | None:
        """First day of the first month with facts (payments or petitions), for the period selectors."""
        if self._start is None:
            row = self.db.frame("data_start", {"root": codes.code12(self.scope)}).iloc[0]
            months = [int(row["first_month"]) if pd.notna(row["first_month"]) else None,
                      int(row["first_day"]) // 100 if pd.notna(row["first_day"]) else None]      # yyyymm
            months = [m for m in months if m]
            if not months:
                return None
            first = min(months)
            self._start = date(first // 100, first % 100, 1)
        return self._start

    def meta(self) -> dict[str, str]:
        frame = self.db.frame("meta_values")
        return dict(zip(frame["meta_key"], frame["meta_value"]))

    def data_problem(self, fresh: bool = False) -> str | None:
        """Chinese text when the data must not be shown (interrupted build, refresh running), else None.

        Read from `meta` at most every STATE_TTL_S seconds per process (a page load costs one tiny query)."""
        checked_at, problem = self._state
        if fresh or time.monotonic() - checked_at > STATE_TTL_S:
            try:
                meta = self.db.frame("meta_values", timeout_ms=HEALTH_TIMEOUT_MS)
            except QueryError:
                self._state = (time.monotonic(), None)    # a down database is not asked again on every page
                raise
            problem = meta_problem(set(meta["meta_key"]))
            self._state = (time.monotonic(), problem)
        return problem

    def health(self) -> tuple[bool, dict]:
        """What the pages need, within a short deadline: `meta` complete and a rollup that answers."""
        base = {"dialect": self.db.dialect, "as_of": None}
        try:
            meta = dict(self.db.frame("meta_values", timeout_ms=HEALTH_TIMEOUT_MS).values.tolist())
            base.update(as_of=meta.get("as_of"), root=meta.get("root"))
            problem = meta_problem(set(meta))
            self._state = (time.monotonic(), problem)
            if problem:
                return False, {"status": "error", "database": "incomplete", **base, "message": problem}
            rows = self.db.frame("health_rollup", {"root": codes.code12(self.scope)}, timeout_ms=HEALTH_TIMEOUT_MS)
            if rows.empty:
                return False, {"status": "error", "database": "incomplete", **base,
                               "message": "汇总表中没有本级数据，请运行 vetdash refresh。"}
            return True, {"status": "ok", "database": "ok", **base}
        except QueryError as exc:
            return False, {"status": "error", "database": "unreachable", **base, "message": exc.message}
        except codes.RegionCodeError as exc:
            return False, {"status": "error", "database": "ok", **base, "message": str(exc)}


def meta_problem(keys: set[str]) -> str | None:
    """Why data with these meta keys must not be shown (a build or refresh marker, no as-of date), or None."""
    problem = next((text for key, text in IN_PROGRESS.items() if key in keys), None)
    if problem is None and "as_of" not in keys:
        problem = "数据库中没有数据日期(meta.as_of)，可能尚未生成完成，暂不显示。"
    return problem


_CONTEXT: AppContext | None = None


def set_context(ctx: AppContext) -> None:
    global _CONTEXT
    _CONTEXT = ctx


def get_context() -> AppContext:
    if _CONTEXT is None:
        raise RuntimeError("create_app() has not been called")
    return _CONTEXT


def make_context(settings: Settings) -> AppContext:
    return AppContext(settings, Database(settings.database_url, settings.statement_timeout_ms), load_thresholds())
