"""The flask-caching instance (initialised in create_app before Dash imports the pages).

Page models are cached per (page, database, as-of date, URL state): a wall screen rotating through the
same views re-renders them without touching the database until the data version (meta) changes.
"""
from __future__ import annotations

from flask_caching import Cache

cache = Cache()


def cached_model(page: str, build, ctx, *state):
    """build(ctx, *state), memoised; errors are never cached (the next request tries again)."""
    key = f"model:{page}:{ctx.db!r}:{ctx.scope}:{ctx.data_version}:{ctx.as_of.isoformat()}:{'|'.join(str(s) for s in state)}"
    try:
        hit = cache.get(key)
    except (RuntimeError, AttributeError):   # cache not bound to a Flask app (plain use in tests, scripts)
        return build(ctx, *state)
    if hit is not None:
        return hit
    model = build(ctx, *state)
    cache.set(key, model)
    return model
