"""Who is asking (set per request by the sign-in guard) and which regions that viewer may see.

`AppContext.scope` asks `request_scope()`: the viewer's detail scope, or — for a 县局局长 on the city-level
总览 and 排名 (the peer view: county-level values of every county) — the city, set by `enter_page`.
Outside a request (scripts, tests calling models directly) the settings' scope applies.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from queries import codes
from queries.regions import OutOfScope

from dashboard.auth import roles

PEER_PAGES = {"/", "/rankings"}     # pages whose city view shows only county-level values of the counties


@dataclass(frozen=True)
class Viewer:
    name: str
    full_name: str
    role: str
    region: str | None              # 12-digit code (None for administrators)
    demo: bool = False              # the loopback demo session of `vetdash demo`
    via_token: bool = False         # a wall screen signed in by its display token

    @property
    def sees_data(self) -> bool:
        return roles.can(self.role, "data")

    @property
    def scope(self) -> str:
        """Short code of the subtree this viewer sees in detail."""
        return codes.short_code(self.region) if self.region else ""

    @property
    def peer_scope(self) -> str | None:
        """The city whose county-level comparisons a 县局局长 may see (the parent of his county)."""
        if self.role != roles.DIRECTOR or not self.region:
            return None
        return codes.short_code(self.region)[:4]

    @property
    def cache_key(self) -> str:
        return f"{self.role}:{self.scope}"


def current_viewer() -> Viewer | None:
    from flask import g, has_request_context
    return g.get("viewer") if has_request_context() else None


def request_scope(default: str) -> str:
    """The scope for the queries of this request (see module doc)."""
    from flask import g, has_request_context
    if not has_request_context():
        return default
    if g.get("scope"):
        return g.scope
    viewer = g.get("viewer")
    if viewer is None:
        return default                          # unguarded request (e.g. /healthz): settings' scope
    if not viewer.sees_data:
        raise OutOfScope("您的账号没有查看业务数据的权限")
    return viewer.scope


def viewer_key(default: str) -> str:
    """Part of every page-cache key: role, region and the effective scope of this request."""
    viewer = current_viewer()
    scope = request_scope(default)
    return f"{viewer.cache_key}:{scope}" if viewer else f"-:{scope}"


def county_figures_scope(scope: str, county: str) -> str:
    """The scope for a county-only (按县统计) figure: the county itself when the viewer's scope lies below it."""
    return codes.short_code(county) if codes.is_within(scope, county) and scope != codes.short_code(county) \
        else scope


@contextmanager
def county_figures(county):
    """Widen this request's scope to the county while its county-level (按县统计) figures are read."""
    from flask import g, has_request_context
    if county is None or not has_request_context() or g.get("viewer") is None:
        yield
        return
    scope = request_scope("")
    wider = county_figures_scope(scope, county.code)
    if wider == scope:
        yield
        return
    before = g.get("scope")
    g.scope = wider
    try:
        yield
    finally:
        if before is None:
            g.pop("scope", None)
        else:
            g.scope = before


def enter_page(path: str, region: str | None, highlight: str | None = None) -> None:
    """Fix this request's scope before a page or a page's callback reads data.

    A 县局局长 asking for his city on a PEER_PAGES page gets the city scope (county-level children only);
    the city on any other page is refused with a message saying where the peer view is."""
    from flask import g, has_request_context
    if not has_request_context():
        return
    g.pop("scope", None)
    viewer = g.get("viewer")
    if viewer is None or viewer.peer_scope is None or not region:
        return
    try:
        asked = codes.short_code(region)
    except codes.RegionCodeError:
        return                                  # the page itself reports the malformed code
    if asked == viewer.peer_scope:
        if path not in PEER_PAGES:
            raise OutOfScope("县局局长可在“总览”和“排名”页查看全市各县的县级数值；"
                             "本页全市视图含县以下明细，仅可查看本县")
        if highlight and not _county_level_or_own(highlight, viewer):
            raise OutOfScope("县局局长在全市视图中只能查看各县的县级数值")
        g.scope = viewer.peer_scope


def _county_level_or_own(code: str, viewer: Viewer) -> bool:
    try:
        return codes.level_of(code) <= 3 or codes.is_within(code, viewer.scope)
    except codes.RegionCodeError:
        return False
