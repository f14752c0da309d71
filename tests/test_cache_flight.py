"""A cache miss is built once: concurrent requests for the same entry wait for the first one's build, in one
process (threads) and across processes (a lock key in Redis); a failed or stuck build lets waiters build."""
from __future__ import annotations

import threading
import time
from datetime import date
from types import SimpleNamespace

import pytest
from flask import Flask

from dashboard import cache as cache_module
from dashboard.cache import KEY_PREFIX, cache, cache_config, cache_set, cached_model, model_key
from queries.db import QueryError
from tests.redis_support import client, redis_url  # noqa: F401 — fixture

CTX = SimpleNamespace(db="flight-db", scope="4310", viewer_key="leader:4310", data_version="v1",
                      as_of=date(2026, 11, 23), thresholds={})


def _app(redis: str | None = None) -> Flask:
    app = Flask(f"flight-{redis or 'simple'}")
    settings = SimpleNamespace(redis_url=redis, cache_type="SimpleCache", cache_timeout_s=300)
    cache.init_app(app, config=cache_config(settings))
    cache_module._Breaker.until, cache_module._Breaker.down = 0.0, False
    return app


class Builds:
    """A build that takes `seconds`, counts its calls and returns (or raises) what it is told."""
    def __init__(self, seconds: float, fail_first: bool = False):
        self.seconds, self.fail_first, self.calls = seconds, fail_first, 0
        self.lock = threading.Lock()

    def __call__(self, ctx, name):
        with self.lock:
            self.calls += 1
            n = self.calls
        time.sleep(self.seconds)
        if self.fail_first and n == 1:
            raise QueryError("数据库无响应", "q")
        return {"model": name, "built": n}


def _crowd(app, build, n: int, name: str) -> list:
    results = [None] * n

    def one(i):
        with app.app_context():
            try:
                results[i] = cached_model("flight", build, CTX, name)
            except QueryError as exc:
                results[i] = exc
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    return results


@pytest.mark.parametrize("shared", [False, True], ids=["SimpleCache", "Redis"])
def test_a_crowd_on_one_missing_entry_builds_it_once(shared, request):
    url = request.getfixturevalue("redis_url") if shared else None
    app = _app(url)
    build = Builds(0.4)
    results = _crowd(app, build, 8, "root")
    assert build.calls == 1
    assert results == [{"model": "root", "built": 1}] * 8


@pytest.mark.parametrize("shared", [False, True], ids=["SimpleCache", "Redis"])
def test_a_failed_build_gives_its_waiters_the_same_message_at_once(shared, request):
    """The build fails on the database (a locked table, a timeout): the requests that waited for it answer
    with the same Chinese message when it fails, instead of each trying again in turn."""
    url = request.getfixturevalue("redis_url") if shared else None
    app = _app(url)
    build = Builds(0.3, fail_first=True)
    t0 = time.monotonic()
    results = _crowd(app, build, 4, "failing")
    assert build.calls == 1
    assert all(isinstance(r, QueryError) and r.message == "数据库无响应" for r in results)
    assert time.monotonic() - t0 < 1.5                          # one failure of 0.3 s, not four in a row
    with app.app_context():                                     # the next request tries again
        assert cached_model("flight", build, CTX, "failing") == {"model": "failing", "built": 2}


def test_without_a_cache_a_crowd_still_builds_once():
    """Cache off (NullCache): nothing is kept, but requests arriving together share the one build."""
    app = Flask("flight-null")
    cache.init_app(app, config={"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})
    build = Builds(0.4)
    assert _crowd(app, build, 6, "nocache") == [{"model": "nocache", "built": 1}] * 6
    assert build.calls == 1
    with app.app_context():
        cached_model("flight", build, CTX, "nocache")
    assert build.calls == 2                                     # later: built again, nothing was kept


def test_a_failure_in_another_process_is_the_waiters_message(redis_url):
    """Another instance's build fails: it leaves a failure mark and drops its lock; this request raises the
    same message without building."""
    app = _app(redis_url)
    key = model_key("flight", CTX, "other-fails")
    r = client(redis_url)
    other = r.lock(KEY_PREFIX + "building:" + key, timeout=30, thread_local=False)
    assert other.acquire(blocking=False)

    def other_instance():
        time.sleep(0.3)
        r.set(KEY_PREFIX + "failed:" + key, "查询“x”超过5秒未完成，已中止。".encode(), ex=10)
        other.release()
    threading.Thread(target=other_instance).start()
    build = Builds(0.0)
    with app.app_context(), pytest.raises(QueryError) as raised:
        cached_model("flight", build, CTX, "other-fails")
    assert raised.value.message == "查询“x”超过5秒未完成，已中止。"
    assert build.calls == 0


def test_another_process_building_the_entry_is_waited_for(redis_url):
    """Another instance holds the build lock and writes the entry 0.5 s later: this request uses it."""
    app = _app(redis_url)
    key = model_key("flight", CTX, "other")
    other = client(redis_url).lock(KEY_PREFIX + "building:" + key, timeout=30, thread_local=False)
    assert other.acquire(blocking=False)

    def other_instance():
        time.sleep(0.5)
        with app.app_context():
            cache_set(key, {"model": "other", "built": "elsewhere"})
        other.release()
    threading.Thread(target=other_instance).start()
    build = Builds(0.0)
    t0 = time.monotonic()
    with app.app_context():
        got = cached_model("flight", build, CTX, "other")
    assert got == {"model": "other", "built": "elsewhere"}
    assert build.calls == 0
    assert time.monotonic() - t0 >= 0.45


def test_a_stuck_build_elsewhere_is_waited_for_only_so_long(redis_url, monkeypatch):
    """The lock holder never finishes (a killed instance): after FLIGHT_WAIT_S this request builds."""
    monkeypatch.setattr(cache_module, "FLIGHT_WAIT_S", 0.3)
    app = _app(redis_url)
    key = model_key("flight", CTX, "stuck")
    assert client(redis_url).lock(KEY_PREFIX + "building:" + key, timeout=30).acquire(blocking=False)
    build = Builds(0.0)
    t0 = time.monotonic()
    with app.app_context():
        got = cached_model("flight", build, CTX, "stuck")
    waited = time.monotonic() - t0
    assert got == {"model": "stuck", "built": 1}
    assert 0.3 <= waited < 3.0


def test_different_entries_build_side_by_side():
    """Two different keys do not wait for each other: two 0.4 s builds in parallel end in well under 0.8 s."""
    app = _app()
    build = Builds(0.4)
    results = [None, None]

    def one(i, name):
        with app.app_context():
            results[i] = cached_model("flight", build, CTX, name)
    t0 = time.monotonic()
    threads = [threading.Thread(target=one, args=(i, n)) for i, n in enumerate(("a", "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert build.calls == 2
    assert time.monotonic() - t0 < 0.75


def test_parts_marked_once_false_do_not_wait():
    """once=False (周例会's week-by-week parts): two requests build side by side, no lock, both cached."""
    app = _app()
    build = Builds(0.3)
    results = [None, None]

    def one(i):
        with app.app_context():
            results[i] = cached_model("flight", build, CTX, "part", once=False)
    threads = [threading.Thread(target=one, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert build.calls == 2
    with app.app_context():
        assert cached_model("flight", build, CTX, "part", once=False)["built"] in (1, 2)
    assert build.calls == 2                                   # the third call was a hit


def test_last_good_copy_survives_a_full_page_cache():
    """Without Redis the last good copy is not a SimpleCache entry: filling the page cache (which then drops
    a third of its entries at a time) does not take away the copy a failing rebuild falls back on."""
    app = _app()
    key = model_key("flight", CTX, "wall")
    with app.app_context():
        assert cached_model("flight", Builds(0.0), CTX, "wall") == {"model": "wall", "built": 1}
        for i in range(1500):
            cache_set(f"filler:{i}", i)
        cache.delete(key)                                     # the entry itself expires
        cache_module.reset_stale()
        got = cached_model("flight", Builds(0.0, fail_first=True), CTX, "wall")
        assert got == {"model": "wall", "built": 1}           # the copy, marked stale
        assert cache_module.stale_since() is not None
        cache_module.reset_stale()
