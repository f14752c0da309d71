"""Per-process application context: settings, database, region tree, thresholds, as-of date."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date

from config.settings import Settings
from config.thresholds import Threshold, load_thresholds
from queries import codes
from dashboard.auth.viewer import request_scope, viewer_key
from queries.db import Database, QueryError
from queries.codes import RegionCodeError
from queries.meta import coverage
from queries.regions import RegionTree

log = logging.getLogger("vetdash")
HEALTH_TIMEOUT_MS = 2000       # /healthz answers within ~2 s even when a rollup table is locked
# meta rows written by `vetdash build-demo` / `vetdash refresh` while they work (removed when done)
IN_PROGRESS = {"build_in_progress": "演示数据库尚未生成完成（生成过程被中断或仍在进行），数据不完整，暂不显示。"
                                    "请重新运行 vetdash build-demo。",
               "refresh_in_progress": "汇总数据正在更新（或上次更新中断），数据可能不完整，暂不显示。请稍后刷新页面。"}


VERSION_CHECK_S = 5.0      # how often a running server looks for new data (one tiny meta read)


@dataclass
class AppContext:
    """What every page needs, following the database's data version: when `meta` changes (a load +
    refresh), the as-of date, the region tree, the coverage dates and the page-cache key change with it."""
    settings: Settings
    db: Database
    thresholds: dict[str, Threshold]
    _as_of: date | None = None
    _meta: dict | None = None
    _checked_at: float = field(default=-1e9)
    _root: str | None = None          # meta.root, read on first use

    _trees: dict = field(default_factory=dict)     # scope -> RegionTree (one per viewer scope in use)

    @property
    def scope(self) -> str:
        """The signed-in viewer's scope for this request (dashboard/auth/viewer.py); outside a request the
        base scope: VETDASH_SCOPE, else VETDASH_ROOT, else the database's meta.root (docs/loading.md §3)."""
        return request_scope(self.base_scope)

    @property
    def base_scope(self) -> str:
        if self.settings.scope:
            return self.settings.scope
        if self._root is None:
            self._root = self.meta().get("root")
            if not self._root:
                raise RegionCodeError("数据库未配置根区划(meta.root)：请用 vetdash load --root 代码 写入，或设置 VETDASH_ROOT")
        return self._root

    @property
    def viewer_key(self) -> str:
        """Role, region and effective scope of this request's viewer (part of every page-cache key)."""
        return viewer_key(self.base_scope)

    def _sync(self, force: bool = False) -> dict:
        """Re-read meta at most every VERSION_CHECK_S seconds (or now); drop what depends on it when it changed."""
        now = time.monotonic()
        if force or self._meta is None or now - self._checked_at >= VERSION_CHECK_S:
            try:
                meta = self.meta()
            except QueryError:
                if self._meta is None or force:       # force: the caller (the wall screen) shows the fault
                    raise
                # database down: keep the version last seen (pages can still serve their last good
                # models) and do not ask again for VERSION_CHECK_S
                self._checked_at = now
                log.warning("meta unreadable: keeping data version %s", _stamp(self._meta))
                return self._meta
            self._checked_at = now
            if self._meta is not None and _stamp(meta) != _stamp(self._meta):
                log.info("data version changed (%s -> %s): reloading as-of date and region tree",
                         _stamp(self._meta), _stamp(meta))
                self._trees, self._as_of, self._root = {}, None, None
            self._meta = meta
        return self._meta

    def follow_data(self) -> dict:
        """Read meta now (a fault raises QueryError at once) and follow a new data version; returns meta."""
        return self._sync(force=True)

    @property
    def data_version(self) -> str:
        """data_version/as_of as one string (part of every cache key)."""
        return _stamp(self._sync())

    @property
    def coverage(self) -> dict:
        """source -> (first day, last day) of the loaded data (queries/meta.py)."""
        return coverage(self._sync())

    @property
    def tree(self) -> RegionTree:
        """Loaded on first use (not at import), so the app starts even if the database is down."""
        self._sync()
        scope = self.scope
        if scope not in self._trees:
            self._trees[scope] = RegionTree.load(self.db, scope)
        return self._trees[scope]

    @property
    def as_of(self) -> date:
        if self.settings.as_of:
            return date.fromisoformat(self.settings.as_of)
        meta = self._sync()
        if self._as_of is None:
            self._as_of = date.fromisoformat(meta["as_of"]) if "as_of" in meta else date.today()
        return self._as_of

    @property
    def data_start(self) -> date | None:
        """First day of the first month with payments or petitions (meta coverage), for the period selectors;
        None when the data does not say (then every period is offered)."""
        cov = self.coverage
        firsts = [cov[source][0] for source in ("payment", "petition") if source in cov]
        return min(firsts).replace(day=1) if firsts else None

    def meta(self) -> dict[str, str]:
        frame = self.db.frame("meta_values", timeout_ms=HEALTH_TIMEOUT_MS)     # a tiny read: a short limit
        return dict(zip(frame["meta_key"], frame["meta_value"]))

    def data_problem(self) -> str | None:
        """Chinese text when the data must not be shown (interrupted build, refresh running), else None.

        From the meta rows _sync re-reads every VERSION_CHECK_S seconds (no query of its own)."""
        return meta_problem(set(self._sync()))

    def health(self) -> tuple[bool, dict]:
        """What the pages need, within a short deadline: `meta` complete and a rollup that answers."""
        base = {"dialect": self.db.dialect, "as_of": None}
        try:
            meta = dict(self.db.frame("meta_values", timeout_ms=HEALTH_TIMEOUT_MS).values.tolist())
            base.update(as_of=meta.get("as_of"), root=meta.get("root"))
            problem = meta_problem(set(meta))
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


def _stamp(meta: dict) -> str:
    return f"{meta.get('data_version', '0')}/{meta.get('as_of', '')}"


_CONTEXT: AppContext | None = None


def set_context(ctx: AppContext) -> None:
    global _CONTEXT
    _CONTEXT = ctx


def get_context() -> AppContext:
    if _CONTEXT is None:
        raise RuntimeError("create_app() has not been called")
    return _CONTEXT


def make_context(settings: Settings) -> AppContext:
    """The app only reads the operational database: a SQLite file is opened query_only (queries/db.py)."""
    return AppContext(settings, Database(settings.database_url, settings.statement_timeout_ms, read_only=True),
                      load_thresholds())
