"""Per-process application context: settings, database, region tree, thresholds, as-of date."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from config.settings import Settings
from config.thresholds import Threshold, load_thresholds
from queries.db import Database, QueryError
from queries.codes import RegionCodeError
from queries.regions import RegionTree

log = logging.getLogger("vetdash")


@dataclass
class AppContext:
    settings: Settings
    db: Database
    thresholds: dict[str, Threshold]
    _tree: RegionTree | None = None
    _as_of: date | None = None
    _root: str | None = None          # meta.root, read on first use

    @property
    def scope(self) -> str:
        """VETDASH_SCOPE, else VETDASH_ROOT, else the database's meta.root (docs/loading.md §3)."""
        if self.settings.scope:
            return self.settings.scope
        if self._root is None:
            self._root = self.meta().get("root")
            if not self._root:
                raise RegionCodeError("数据库未配置根区划(meta.root)：请用 vetdash load --root 代码 写入，或设置 VETDASH_ROOT")
        return self._root

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
