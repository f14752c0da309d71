"""Rollup registry: each module here defines its roll_* tables on queries.schema.metadata and a ROLLUPS list.

A Rollup is rebuilt by `vetdash refresh`: `delete` empties it, then each step runs — a per-level step once
for every level from village (5) up to province (1) with binds level / child_level / asof, a once step a
single time (e.g. a window-function pass over the finished rows); a fill callable inserts rows from Python. Table names and statements are fixed
strings here, never built from input.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Step:
    sql_name: str              # a .sql file under queries/sql/
    per_level: bool = True


@dataclass(frozen=True)
class Rollup:
    table: str
    delete: str                # the literal DELETE statement for the table
    steps: list[Step] = field(default_factory=list)
    # month-local rollups: the literal DELETE of the rows from :since_month on; `refresh --since` then runs
    # the steps with :since_month / :since_day so only those months are rebuilt ("" = always rebuilt whole)
    since_delete: str = ""
    # rows no SQL can generate portably (a calendar): fill(conn, asof_day_key) runs before the steps
    fill: Callable | None = None


def discover() -> list[Rollup]:
    """ROLLUPS of every module in this package, in module-name order."""
    found: list[Rollup] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(getattr(module, "ROLLUPS", []))
    return found
