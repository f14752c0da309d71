"""Warm the shared cache after a refresh: the default views a leader opens first, built once, not per worker.

`vetdash warm` (and the end of `vetdash refresh` / `vetdash load` when VETDASH_REDIS_URL is set) renders the
总览, the four area pages, 排名 and 周例会 at the root for the current period as a 领导 at the root sees them.
`vetdash warm --counties` also renders them for every county: the leader's drill into it and the county
director's own first view (a county 局长 opening the dashboard the morning after a refresh). The page
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
DEFAULT_PATHS = ("/", "/placement", "/funds", "/petitions", "/network", "/rankings", "/weekly")
WARM_VIEWER = "预热"


def leader_viewer(root: str) -> Viewer:
    """A 领导 at the root: the same viewer key as every leader account at the root."""
    return Viewer(WARM_VIEWER, WARM_VIEWER, roles.LEADER, codes.code12(root))


def director_viewer(county: str) -> Viewer:
    """A 县局局长 of the county: the same viewer key as every director account of that county."""
    return Viewer(WARM_VIEWER, WARM_VIEWER, roles.DIRECTOR, codes.code12(county))


def warm(app: dash.Dash, paths=DEFAULT_PATHS, counties: bool = False,
         progress=None) -> list[tuple[str, float, bool]]:
    """Render each default page once; returns (view, seconds, ok) per page (ok False: the page showed an error).

    counties: also each county's views, as the root's leader drilled into it and as its own director."""
    ctx = get_context()
    ctx.follow_data()                          # the data version just written, not one read 5 s ago
    layouts = {page["path"]: page["layout"] for page in dash.page_registry.values()}
    root = ctx.tree.resolve(ctx.base_scope)
    leader = leader_viewer(ctx.base_scope)
    views = [(leader, None)]
    if counties:
        for county in _counties(ctx.tree, root):
            views += [(leader, county.short), (director_viewer(county.code), None)]
    done = []
    for viewer, region in views:
        for path in paths:
            layout = layouts.get(path)
            if layout is None:
                continue
            label = f"{path}?region={region}" if region else path
            if viewer is not leader:
                label += f"（{viewer.region[:6]} 县局局长）"
            with app.server.test_request_context(path):
                g.viewer = viewer
                start = time.perf_counter()
                page = layout(region=region) if region else layout()
                ok = "page-error" not in str(getattr(page, "className", "") or "")
                done.append((label, time.perf_counter() - start, ok))
                if not ok:
                    log.warning("warm: %s rendered an error page", label)
                if progress:
                    progress(*done[-1])
    return done


def _counties(tree, region) -> list:
    """The counties (level 3) under the region, in code order (none when the region is a county or below)."""
    if region.level >= 3:
        return []
    out = []
    for child in tree.children(region.code):
        out += [child] if child.level == 3 else _counties(tree, child)
    return out
