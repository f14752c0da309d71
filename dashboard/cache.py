"""The flask-caching instance (initialised in create_app before Dash imports the pages).

Page models are cached per (page, database, as-of date, URL state): a wall screen rotating through the
same views re-renders them without touching the database until the data version (meta) changes.
A second, non-expiring copy ("last good") is served when a rebuild fails on the database, and the page
then carries the wall screen's marker "数据更新中断 · 最后更新 HH:MM" (see stale_since).
"""
from __future__ import annotations

import threading
from datetime import datetime

from flask_caching import Cache

from queries.db import QueryError

cache = Cache()
_stale = threading.local()


def model_key(page: str, ctx, *state) -> str:
    # the viewer's role, region and effective scope (viewer_key) — two viewers never share a model
    return (f"model:{page}:{ctx.db!r}:{getattr(ctx, 'viewer_key', ctx.scope)}:{ctx.data_version}:{ctx.as_of.isoformat()}:"
            f"{'|'.join(str(s) for s in state)}")


def cached_model(page: str, build, ctx, *state):
    """build(ctx, *state), memoised; errors are never cached (the next request tries again)."""
    key = model_key(page, ctx, *state)
    try:
        hit = cache.get(key)
    except (RuntimeError, AttributeError):   # cache not bound to a Flask app (plain use in tests, scripts)
        return build(ctx, *state)
    if hit is not None:
        return hit
    try:
        model = build(ctx, *state)
    except QueryError:
        last = cache.get("last-good:" + key)
        if last is None:
            raise
        _stale.since = last[1]              # the page shows the marker with this time
        return last[0]
    cache.set(key, model)
    cache.set("last-good:" + key, (model, datetime.now()), timeout=0)
    return model


def reset_stale() -> None:
    _stale.since = None


def stale_since() -> datetime | None:
    """When the model served in this request was built, if it is a last-good copy (else None)."""
    return getattr(_stale, "since", None)
