"""Per-process application context: settings, database, region tree, thresholds, as-of date."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date

from config.settings import Settings
from config.thresholds import Threshold, load_thresholds
from queries.db import Database, QueryError
from queries.meta import coverage
from queries.regions import RegionTree

log = logging.getLogger("vetdash")


VERSION_CHECK_S = 5.0      # how often a running server looks for new data (one tiny meta read)


@dataclass
class AppContext:
    """What every page needs, following the database's data version: when `meta` changes (a load +
    refresh), the as-of date, the region tree, the coverage dates and the page-cache key change with it."""
    settings: Settings
    db: Database
    thresholds: dict[str, Threshold]
    _tree: RegionTree | None = None
    _as_of: date | None = None
    _meta: dict | None = None
    _checked_at: float = field(default=-1e9)

    @property
    def scope(self) -> str:
        return self.settings.scope

    def _sync(self) -> dict:
        """Re-read meta at most every VERSION_CHECK_S seconds; drop what depends on it when it changed."""
        now = time.monotonic()
        if self._meta is None or now - self._checked_at >= VERSION_CHECK_S:
            meta = self.meta()
            self._checked_at = now
            if self._meta is not None and _stamp(meta) != _stamp(self._meta):
                log.info("data version changed (%s -> %s): reloading as-of date and region tree",
                         _stamp(self._meta), _stamp(meta))
                self._tree, self._as_of = None, None
            self._meta = meta
        return self._meta

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
        if self._tree is None:
            self._tree = RegionTree.load(self.db, self.scope)
        return self._tree

    @property
    def as_of(self) -> date:
        if self.settings.as_of:
            return date.fromisoformat(self.settings.as_of)
        meta = self._sync()
        if self._as_of is None:
            self._as_of = date.fromisoformat(meta["as_of"]) if "as_of" in meta else date.today()
        return self._as_of

    def meta(self) -> dict[str, str]:
        frame = self.db.frame("meta_values")
        return dict(zip(frame["meta_key"], frame["meta_value"]))

    def health(self) -> tuple[bool, dict]:
        """Database status and the data's as-of date (for /healthz)."""
        try:
            meta = self.meta()
            return True, {"status": "ok", "database": "ok", "dialect": self.db.dialect,
                          "as_of": meta.get("as_of"), "root": meta.get("root")}
        except QueryError as exc:
            return False, {"status": "error", "database": "unreachable", "dialect": self.db.dialect,
                           "as_of": None, "message": exc.message}


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
    return AppContext(settings, Database(settings.database_url, settings.statement_timeout_ms), load_thresholds())
