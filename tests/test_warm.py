"""`vetdash warm --counties`: after a refresh the first views of every county are already drawn — the root's
leader drilling into a county and the county's own director opening the dashboard get them from the cache."""
from __future__ import annotations

import logging

from dashboard.cache import cache
from dashboard.warm import warm
from queries import codes
from tests.auth_support import render, required_app, sign_in  # noqa: F401  (fixture)
from tests.fixtures import REGION_CODES

COUNTIES = sorted(c for c in REGION_CODES if codes.level_of(c) == 3)
PATHS = ("/", "/petitions")


def _served_from_cache(client, path: str, search: str, caplog) -> tuple[bool, list[str]]:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="vetdash"):
        status, text = render(client, path, search)
    assert status == 200 and "page-error" not in text, text[:300]
    messages = [r.getMessage() for r in caplog.records]
    return f"cache hit view {path}" in messages, [m for m in messages if m.startswith("sql ")]


def test_warm_counties_draws_every_countys_first_views(required_app, caplog):
    app, _ = required_app
    with app.server.app_context():
        cache.clear()
    done = warm(app, paths=PATHS, counties=True)
    assert len(COUNTIES) >= 2
    # the root's views, then per county the leader's drill into it and its director's own view
    assert len(done) == len(PATHS) * (1 + 2 * len(COUNTIES))
    assert all(ok for *_, ok in done), [d for d in done if not d[2]]
    assert sum(f"region={codes.short_code(COUNTIES[0])}" in label for label, *_ in done) == len(PATHS)

    director = app.server.test_client()
    sign_in(director, "t-director")                   # 宜章县 (431022) 县局局长
    hit, sql = _served_from_cache(director, "/petitions", "", caplog)
    assert hit and not sql, sql

    leader = app.server.test_client()
    sign_in(leader, "t-leader")
    hit, sql = _served_from_cache(leader, "/", "?region=431022", caplog)
    assert hit and not sql, sql
    hit, _ = _served_from_cache(leader, "/", "?region=431022&period=2026-10", caplog)   # not warmed: drawn now
    assert not hit


def test_warm_root_only_by_default(required_app):
    app, _ = required_app
    done = warm(app, paths=PATHS)
    assert [label for label, *_ in done] == list(PATHS)
