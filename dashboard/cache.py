"""The flask-caching instance (initialised in create_app before Dash imports the pages).

Page models are cached per (page, database, as-of date, URL state): a wall screen rotating through the
same views re-renders them without touching the database until the data version (meta) changes.
A second, long-lived copy ("last good") is served when a rebuild fails on the database, and the page
then carries the wall screen's marker "数据更新中断 · 最后更新 HH:MM" (see stale_since).

With VETDASH_REDIS_URL the cache is flask-caching's RedisCache, shared by every worker and instance (models
are pickled); otherwise an in-process SimpleCache. When Redis is unreachable the pages are built without a
cache (one warning line per outage, retried every RETRY_S) — nothing on screen changes.

A miss is built once (`flight`): while one request builds a key, other requests for it in this process
wait for that build, and with Redis other processes and instances do too (a lock key with a timeout), so
a room of users opening the same view after a refresh costs one build, not one per user.
"""
from __future__ import annotations

import copy
import hashlib
import logging
import pickle
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager, nullcontext
from datetime import datetime

from flask_caching import Cache

from queries.db import QueryError, request_seconds_left

log = logging.getLogger("vetdash.cache")
cache = Cache()
_stale = threading.local()
KEY_PREFIX = "vetdash:"          # Redis keys (one Redis database may hold other programs' keys)
LAST_GOOD_S = 7 * 86400          # Redis: last good copies of old data versions go away by themselves
LAST_GOOD_LOCAL_MAX = 300        # without Redis: last good copies kept per process (least recently used out)
RETRY_S = 30.0                   # after a Redis failure, build without the cache this long before trying again
REDIS_TIMEOUT_S = 0.5            # connect/read limit: a dead Redis costs a request at most this
FLIGHT_WAIT_S = 10.0             # a request waits at most this for another one's build of the same key …
FLIGHT_LOCK_S = 30               # … and a build's Redis lock lapses after this (a killed builder)
FLIGHT_POLL_S = 0.05             # how often a waiter in another process looks for the finished entry


def cache_config(settings) -> dict:
    """flask-caching config: RedisCache when settings.redis_url is set, else the configured in-process type."""
    if getattr(settings, "redis_url", None):
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.redis_url, "CACHE_KEY_PREFIX": KEY_PREFIX,
                "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s,
                "CACHE_OPTIONS": {"socket_timeout": REDIS_TIMEOUT_S, "socket_connect_timeout": REDIS_TIMEOUT_S,
                                  "health_check_interval": 30}}
    return {"CACHE_TYPE": settings.cache_type, "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s}


def is_shared() -> bool:
    """True when the cache is Redis (shared by workers and instances)."""
    try:
        return type(cache.cache).__name__ == "RedisCache"
    except (RuntimeError, AttributeError):
        return False


def shared_cache_ok() -> bool:
    """Redis configured and its last use in this process worked."""
    return is_shared() and not _Breaker.down


class _Breaker:
    """Redis outage state for this process: skip the cache until `until`, log once per outage."""
    until = 0.0
    down = False
    lock = threading.Lock()


def _backend_errors() -> tuple:
    try:
        from redis.exceptions import RedisError
        return (RedisError, OSError)
    except ImportError:                      # redis not installed: SimpleCache only
        return (OSError,)


def _failed(exc: Exception) -> None:
    with _Breaker.lock:
        _Breaker.until = time.monotonic() + RETRY_S
        if not _Breaker.down:
            _Breaker.down = True
            log.warning("shared cache unreachable, serving without cache: %s", exc)


def _ok() -> None:
    if _Breaker.down:
        with _Breaker.lock:
            if _Breaker.down:
                _Breaker.down = False
                log.warning("shared cache reachable again")


def cache_get(key: str):
    """cache.get that treats an unreachable Redis as a miss. RuntimeError/AttributeError: no app bound."""
    if time.monotonic() < _Breaker.until:
        return None
    try:
        value = cache.get(key)
    except _backend_errors() as exc:
        _failed(exc)
        return None
    except (ImportError, pickle.UnpicklingError, EOFError) as exc:
        # an entry written by another version of the program (a class moved or renamed since): a miss
        log.warning("cache entry %s unreadable, rebuilding it: %s", key[:80], exc)
        return None
    _ok()
    return value


def cache_set(key: str, value, timeout: int | None = None) -> None:
    """cache.set that never fails the request (Redis down, or a value that does not pickle: logged)."""
    if time.monotonic() < _Breaker.until:
        return
    try:
        cache.set(key, value, timeout=timeout)
    except _backend_errors() as exc:
        _failed(exc)
    except (TypeError, AttributeError, pickle.PicklingError) as exc:
        log.error("cache entry %s does not pickle: %s", key[:80], exc)


def thresholds_stamp(thresholds: dict) -> str:
    """A short fingerprint of the 红黄绿 thresholds in force: models built under other thresholds never mix."""
    text = "|".join(f"{k}:{t.direction}:{t.green:g}:{t.amber:g}" for k, t in sorted(thresholds.items()))
    return hashlib.blake2s(text.encode(), digest_size=6).hexdigest()


def model_key(page: str, ctx, *state) -> str:
    # the viewer's role, region and effective scope (viewer_key) — two viewers never share a model
    return (f"model:{page}:{ctx.db!r}:{getattr(ctx, 'viewer_key', ctx.scope)}:{ctx.data_version}:{ctx.as_of.isoformat()}:"
            f"{thresholds_stamp(ctx.thresholds)}:{'|'.join(str(s) for s in state)}")


def cached_model(page: str, build, ctx, *state, once: bool = True):
    """build(ctx, *state), memoised and built once at a time; errors are never cached (the next request
    tries again). once=False: no waiting for another request's build and no last good copy — for the small
    parts of a model that is itself built once and kept (周例会's week-by-week values): the lock would cost
    more than it saves, and when a part fails the whole model's last good copy stands in."""
    key = model_key(page, ctx, *state)
    try:
        hit = cache_get(key)
    except (RuntimeError, AttributeError):   # cache not bound to a Flask app (plain use in tests, scripts)
        return build(ctx, *state)
    if hit is not None:
        log.debug("cache hit %s", page)
        return hit
    with flight(key) if once else nullcontext(NO_FLIGHT) as f:
        if f.hit is not None:
            log.debug("cache hit %s (built by another request meanwhile)", page)
            return f.hit
        try:
            if f.error is not None:
                raise f.error                   # the build this request waited for failed on the database
            model = build(ctx, *state)
        except QueryError as exc:
            f.failed(exc)
            last = _last_good_get(key) if once else None
            if last is None:
                raise
            _stale.since = last[1]              # the page shows the marker with this time
            return last[0]
        if stale_since() is not None:           # built on a last-good part (a nested model): never kept as fresh
            return model
        cache_set(key, model)
        if once:                                # a part (once=False) falls back on its whole model's copy
            _last_good_set(key, (model, datetime.now()))
        f.done(model)
        return model


# ------------------------------------------------------------------------------ last good copies
class _LocalLastGood:
    """Last good copies without Redis: a bounded store of its own, least recently used out first. In the
    SimpleCache they were pruned with everything else — a random third of all entries whenever it passed
    500 — so a wall screen could lose the copy it needs when the database goes away."""

    def __init__(self, size: int):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: str):
        with self.lock:
            data = self.items.get(key)
            if data is not None:
                self.items.move_to_end(key)
        return None if data is None else pickle.loads(data)

    def set(self, key: str, value) -> None:
        data = pickle.dumps(value)              # a copy: what the page does with its model never changes it
        with self.lock:
            self.items[key] = data
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


LOCAL_LAST_GOOD = _LocalLastGood(LAST_GOOD_LOCAL_MAX)


def _last_good_get(key: str):
    return cache_get("last-good:" + key) if is_shared() else LOCAL_LAST_GOOD.get(key)


def _last_good_set(key: str, value) -> None:
    if is_shared():
        cache_set("last-good:" + key, value, timeout=LAST_GOOD_S)
    else:
        try:
            LOCAL_LAST_GOOD.set(key, value)
        except (TypeError, AttributeError, pickle.PicklingError) as exc:
            log.error("last good copy of %s does not pickle: %s", key[:80], exc)


# ------------------------------------------------------------------------------ one build per key at a time
class _Flight:
    """One request's build of a key, as the requests waiting for it in this process see it."""

    def __init__(self):
        self.event = threading.Event()          # set when the build ends
        self.value = None                       # what it built (None: nothing usable)
        self.error: QueryError | None = None    # the database error it ended with


class Outcome:
    """What a `with flight(key) as f` block starts from: f.hit (another request built it: use it), f.error
    (the build waited for failed on the database: raise it, as that request did), or neither (build it, then
    f.done(value) — or f.failed(error) — so the requests waiting for this one get the same)."""

    def __init__(self, hit=None, error: QueryError | None = None, record: _Flight | None = None):
        self.hit, self.error, self._record = hit, error, record

    def done(self, value) -> None:
        if self._record is not None:
            self._record.value = value

    def failed(self, error: QueryError) -> None:
        if self._record is not None:
            self._record.error = error


NO_FLIGHT = Outcome()
_flights: dict[str, _Flight] = {}             # key -> this process's build of it in progress
_flights_lock = threading.Lock()


def _wait_limit() -> float:
    """Seconds a request may wait for another's build: FLIGHT_WAIT_S, less near its own deadline (it keeps
    a second to build the entry itself when the other build took too long)."""
    left = request_seconds_left()
    return FLIGHT_WAIT_S if left is None else max(0.0, min(FLIGHT_WAIT_S, left - 1.0))


def _redis():
    return getattr(cache.cache, "_write_client", None) if is_shared() and not _Breaker.down else None


@contextmanager
def flight(key: str):
    """Around building a cache entry (see Outcome). Other threads of this process asking for the key wait
    for this build and get its value or its database error; with Redis, other processes and instances wait
    for the entry (or a short-lived failure mark). A waiter whose builder took too long builds it itself."""
    with _flights_lock:
        record = _flights.get(key)
        mine = record is None
        if mine:
            record = _flights[key] = _Flight()
    if not mine:                                  # another thread of this process is building it
        record.event.wait(_wait_limit())
        if record.value is not None:
            yield Outcome(hit=record.value)
        elif record.error is not None:
            yield Outcome(error=copy.copy(record.error))
        else:
            yield Outcome(hit=cache_get(key))
        return
    outcome = Outcome(record=record)
    lock, client = None, _redis()
    try:
        if client is not None:
            lock = _redis_claim(client, key)
            if lock is False:                     # another process is building it
                lock = None
                hit, message = _wait_for_entry(client, key)
                outcome.hit = record.value = hit
                if hit is None and message:
                    outcome.error = QueryError(message)
        yield outcome
    except QueryError as exc:
        record.error = exc
        raise
    finally:
        if lock is not None:
            _release(client, lock, key, record.error)
        with _flights_lock:
            _flights.pop(key, None)
        record.event.set()


def _release(client, lock, key: str, error: QueryError | None) -> None:
    """End this process's build: a failure mark first (waiters elsewhere raise the same message), then the lock."""
    try:
        if error is not None:
            client.set(KEY_PREFIX + "failed:" + key, error.message.encode(), ex=max(1, int(FLIGHT_WAIT_S)))
        lock.release()
    except Exception:                             # noqa: BLE001 — lapsed or Redis gone: the lock expires anyway
        pass


def _redis_claim(client, key: str):
    """A held Redis lock for building key, False when another process holds it, None when Redis failed."""
    try:
        lock = client.lock(KEY_PREFIX + "building:" + key, timeout=FLIGHT_LOCK_S, blocking=False)
        return lock if lock.acquire() else False
    except _backend_errors() as exc:
        _failed(exc)
        return None


def _wait_for_entry(client, key: str) -> tuple[object, str | None]:
    """(entry, None) once another process has built it; (None, message) when its build failed on the
    database; (None, None) when the wait runs out or Redis fails (build it here)."""
    until = time.monotonic() + _wait_limit()
    lock_name = KEY_PREFIX + "building:" + key
    while time.monotonic() < until:
        time.sleep(FLIGHT_POLL_S)
        hit = cache_get(key)
        if hit is not None:
            return hit, None
        try:
            if not client.exists(lock_name):      # the build ended without an entry
                failed = client.get(KEY_PREFIX + "failed:" + key)
                return cache_get(key), failed.decode() if failed else None
        except _backend_errors() as exc:
            _failed(exc)
            return None, None
    return None, None


def reset_stale() -> None:
    _stale.since = None


def stale_since() -> datetime | None:
    """When the model served in this request was built, if it is a last-good copy (else None)."""
    return getattr(_stale, "since", None)
