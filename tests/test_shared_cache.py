"""The page cache on a real Redis: every page model pickles into it, last good copies expire, Redis down
degrades to no cache without anything on screen, export jobs live in Redis when it is configured."""
from __future__ import annotations

import logging
import pickle
import socket
from dataclasses import replace

import pytest

from dashboard import cache as cache_module
from dashboard.cache import LAST_GOOD_S, cache, cache_config, model_key
from dashboard.context import get_context
from dashboard.exports.jobs import KEEP_S, JobRunner, RedisJobStore
from tests.auth_support import render
from tests.browser import get_app
from tests.redis_support import client, redis_url  # noqa: F401 — fixture

# page path -> (cache key page name, class of the model the page caches)
PAGES = {"/": ("overview", "OverviewModel"), "/placement": ("placement", "PlacementModel"),
         "/funds": ("funds", "FundsModel"), "/petitions": ("petitions", "PetitionsModel"),
         "/network": ("network", "NetworkModel"), "/rankings": ("rankings", "RankingsView")}


def _use(app, settings) -> None:
    cache.init_app(app.server, config=cache_config(settings))
    cache_module._Breaker.until, cache_module._Breaker.down = 0.0, False


@pytest.fixture
def app_on(live_db_url):
    """The process's app with its cache switched to a given Redis URL (None: back to SimpleCache after)."""
    app = get_app(live_db_url)
    base = get_context().settings

    def switch(url):
        _use(app, replace(base, redis_url=url))
        return app
    yield switch
    _use(app, base)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_default_page_model_pickles_into_redis(app_on, redis_url):
    app = app_on(redis_url)
    r = client(redis_url)
    http = app.server.test_client()
    for path, (page, class_name) in PAGES.items():
        status, text = render(http, path, "?period=2026-10")
        assert status == 200 and "page-error" not in text, (path, text[:300])
        keys = [k for k in r.keys(f"vetdash:model:{page}:*")]
        assert keys, f"{path}: no model:{page} key in Redis"
        model = pickle.loads(r.get(keys[0])[1:])          # cachelib's Redis format: b"!" + pickle
        assert type(model).__name__ == class_name
        assert model.region.name == "郴州市"
        last = r.keys(f"vetdash:last-good:model:{page}:*")
        assert last and 0 < r.ttl(last[0]) <= LAST_GOOD_S        # old data versions' copies go away
        assert 0 < r.ttl(keys[0]) <= get_context().settings.cache_timeout_s


def test_second_render_is_served_from_redis_without_sql(app_on, redis_url, caplog):
    app = app_on(redis_url)
    http = app.server.test_client()
    render(http, "/funds", "?period=2026-09")
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="vetdash"):
        status, text = render(http, "/funds", "?period=2026-09")
    assert status == 200 and "郴州市" in text
    assert any(r.getMessage() == "cache hit view /funds" for r in caplog.records)     # the rendered page
    assert not [r for r in caplog.records if r.getMessage().startswith("sql ")]
    # the rendered page is in Redis under the model key's parts (viewer, data version, as-of) + the URL state
    assert client(redis_url).keys("vetdash:model:view/funds:*period=2026-09*")


def test_key_holds_viewer_period_and_data_version():
    class Ctx:                       # what model_key reads, nothing else
        db, viewer_key, data_version, thresholds, scope = "Database(x)", "leader:4310:4310", "7/2026-12-03", {}, "4310"
        as_of = __import__("datetime").date(2026, 12, 3)
    a = model_key("overview", Ctx, None, "2026-10", None)
    Ctx.data_version = "8/2026-12-03"                 # a refresh bumps meta.data_version: the old key is dead
    b = model_key("overview", Ctx, None, "2026-10", None)
    Ctx.viewer_key = "director:431022:431022"
    c = model_key("overview", Ctx, None, "2026-10", None)
    assert len({a, b, c}) == 3
    assert ":7/2026-12-03:" in a and ":8/2026-12-03:" in b and "director:431022" in c and "2026-10" in a


def test_redis_down_pages_still_served_with_one_log_line(app_on, caplog):
    app = app_on(f"redis://127.0.0.1:{_free_port()}/0")          # nothing listens there
    http = app.server.test_client()
    with caplog.at_level(logging.WARNING, logger="vetdash"):
        first = render(http, "/petitions", "?period=2026-08")
        second = render(http, "/", "?period=2026-08")
    for status, text in (first, second):
        assert status == 200 and "郴州市" in text and "page-error" not in text
        assert "Redis" not in text and "缓存" not in text and "Error" not in text
    lines = [r for r in caplog.records if "shared cache unreachable" in r.getMessage()]
    assert len(lines) == 1


def test_export_job_progress_and_file_shared_through_redis(redis_url):
    runner = JobRunner(store=RedisJobStore(redis_url), workers=1)
    job = runner.submit("测试.xlsx", lambda: (b"PK-bytes", "测试.xlsx", "application/octet-stream"))
    done = runner.wait(job, timeout_s=10)
    assert done["status"] == "done" and done["size"] == 8
    other = RedisJobStore(redis_url)                 # another instance: its own connection, same Redis
    assert other.read(job)["filename"] == "测试.xlsx"
    assert other.result(job) == b"PK-bytes"
    r = client(redis_url)
    assert 0 < r.ttl(f"vetdash:export:{job}:status") <= KEEP_S
    assert other.read("0" * 32) is None and other.read("../etc") is None


def test_redis_settings_from_the_environment():
    from config.settings import Settings, SettingsError
    on = Settings.from_env({"VETDASH_REDIS_URL": "redis://127.0.0.1:6379/2"})
    assert on.redis_url == "redis://127.0.0.1:6379/2" and on.cache_timeout_s == 86400
    assert cache_config(on)["CACHE_TYPE"] == "RedisCache" and cache_config(on)["CACHE_KEY_PREFIX"] == "vetdash:"
    off = Settings.from_env({})
    assert off.redis_url is None and off.cache_timeout_s == 300 and cache_config(off)["CACHE_TYPE"] == "SimpleCache"
    assert Settings.from_env({"VETDASH_REDIS_URL": "redis://h/0", "VETDASH_CACHE_TIMEOUT_S": "60"}).cache_timeout_s == 60
    with pytest.raises(SettingsError, match="VETDASH_REDIS_URL"):
        Settings.from_env({"VETDASH_REDIS_URL": "localhost:6379"})


def test_other_pages_cache_into_redis_too(app_on, redis_url, caplog):
    app = app_on(redis_url)
    http = app.server.test_client()
    with caplog.at_level(logging.WARNING, logger="vetdash"):
        for path, page in (("/weekly", "weekly"), ("/yearly", "yearly")):
            status, text = render(http, path, "")
            assert status == 200 and "page-error" not in text, (path, text[:300])
            assert client(redis_url).keys(f"vetdash:model:{page}:*"), path
    assert not [r for r in caplog.records if "does not pickle" in r.getMessage()]


def test_entry_from_another_program_version_is_a_miss(app_on, redis_url, caplog):
    # after an upgrade Redis may still hold models pickled from classes that have moved: rebuild, never fail
    app = app_on(redis_url)
    r = client(redis_url)
    http = app.server.test_client()
    render(http, "/petitions", "?period=2026-08")
    keys = r.keys("vetdash:model:*petitions:*2026-08*")
    assert keys
    stale = b"!" + pickle.dumps(object()).replace(b"builtins", b"gone_mod")   # refers to a missing module
    for key in keys:
        r.set(key, stale)
    with caplog.at_level(logging.WARNING, logger="vetdash"):
        status, text = render(http, "/petitions", "?period=2026-08")
    assert status == 200 and "郴州市" in text and "page-error" not in text
    assert any("unreadable" in rec.getMessage() for rec in caplog.records)
