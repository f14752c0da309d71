"""Warm the shared cache after a refresh: the default views a leader opens first, built once, not per worker.

`vetdash warm` (and the end of `vetdash refresh` / `vetdash load` when VETDASH_REDIS_URL is set) renders the
总览, the four area pages and 排名 at the root for the current period as a 领导 at the root sees them. The page
layouts themselves are called, so the cache keys are exactly those a real request uses (model_key holds the
viewer key, the data version and the as-of date: the new data version's keys are the ones filled).
"""
from __future__ import annotations

import logging
import time

import dash
from flask import g

from dashboard.auth import roles
from dashboard.auth.viewer import Viewer
from dashboard.context import get_context
from queries import codes

log = logging.getLogger("vetdash.warm")
DEFAULT_PATHS = ("/", "/placement", "/funds", "/petitions", "/network", "/rankings")
WARM_VIEWER = "预热"


def leader_viewer(root: str) -> Viewer:
    """A 领导 at the root: the same viewer key as every leader account at the root."""
    return Viewer(WARM_VIEWER, WARM_VIEWER, roles.LEADER, codes.code12(root))


def warm(app: dash.Dash, paths=DEFAULT_PATHS) -> list[tuple[str, float, bool]]:
    """Render each default page once; returns (path, seconds, ok) per page (ok False: the page showed an error)."""
    ctx = get_context()
    ctx.follow_data()                          # the data version just written, not one read 5 s ago
    layouts = {page["path"]: page["layout"] for page in dash.page_registry.values()}
    done = []
    for path in paths:
        layout = layouts.get(path)
        if layout is None:
            continue
        with app.server.test_request_context(path):
            g.viewer = leader_viewer(ctx.base_scope)
            start = time.perf_counter()
            page = layout()
            ok = "page-error" not in str(getattr(page, "className", "") or "")
            done.append((path, time.perf_counter() - start, ok))
            if not ok:
                log.warning("warm: %s rendered an error page", path)
    return done
