"""Faults injected through a TCP proxy in front of the test servers (tests/faultproxy.py; the shared
server itself is never stopped): a frozen server gives a Chinese message within the limit, a cut one an
error, both recover without a restart; a page cached before shows its last good data with the marker."""
from __future__ import annotations

from dataclasses import replace

import json
import re
import time

import pytest

from dashboard.cache import cache
from dashboard.context import get_context, make_context, set_context
from queries.db import CONNECT_TIMEOUT_S, WATCHDOG_GRACE_MS, Database, QueryError, QueryTimeout
from tests.browser import get_app
from tests.faultproxy import FaultProxy

CJK = re.compile(r"[\u4e00-\u9fff]")
SERVERS = ["postgresql", "mariadb"]
LIMIT_MS = 1000
SLACK_S = 1.5


@pytest.fixture
def proxied(fixture_db):
    """(proxy, Database through the proxy) for the fixture database's server."""
    url = fixture_db.engine.url
    with FaultProxy(url.host, url.port) as proxy:
        db = Database(proxy.url(url.render_as_string(hide_password=False)), timeout_ms=LIMIT_MS)
        yield proxy, db
        db.engine.dispose()


def _one(db) -> int:
    return int(db.frame("one", sql="SELECT 1 AS n")["n"].iloc[0])


@pytest.mark.parametrize("fixture_db", SERVERS, indirect=True)
def test_frozen_server_gives_a_message_within_the_limit_and_recovers(proxied):
    proxy, db = proxied
    assert _one(db) == 1                                  # a pooled connection exists
    proxy.pause()
    start = time.perf_counter()
    with pytest.raises(QueryTimeout) as err:
        _one(db)
    elapsed = time.perf_counter() - start
    assert elapsed < (LIMIT_MS + WATCHDOG_GRACE_MS) / 1000 + SLACK_S, elapsed
    assert CJK.search(err.value.message) and "没有响应" in err.value.message
    proxy.resume()
    assert _one(db) == 1                                  # same Database object: no restart needed


@pytest.mark.parametrize("fixture_db", SERVERS, indirect=True)
def test_cut_connection_is_an_error_then_recovers(proxied):
    proxy, db = proxied
    assert _one(db) == 1
    proxy.cut()
    start = time.perf_counter()
    with pytest.raises(QueryError) as err:
        _one(db)
    assert time.perf_counter() - start < CONNECT_TIMEOUT_S + SLACK_S
    assert CJK.search(err.value.message)
    proxy.resume()
    assert _one(db) == 1


@pytest.mark.parametrize("fixture_db", SERVERS, indirect=True)
def test_connecting_to_a_frozen_server_gives_up(proxied):
    proxy, db = proxied
    proxy.pause()                                         # no pooled connection yet: the handshake hangs
    start = time.perf_counter()
    with pytest.raises(QueryError):
        _one(db)
    bound = CONNECT_TIMEOUT_S if db.dialect == "postgresql" else LIMIT_MS / 1000 + 5   # PyMySQL: read timeout
    assert time.perf_counter() - start < bound + SLACK_S
    proxy.resume()
    assert _one(db) == 1


# ------------------------------------------------------------------------------ last good data + marker
def _page(client, search: str) -> str:
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if "_pages_content.children" in d["output"])
    payload = {"output": dep["output"],
               "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
               "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/petitions"},
                          {"id": "_pages_location", "property": "search", "value": search}],
               "changedPropIds": ["_pages_location.search"], "state": []}
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    return json.dumps(response.get_json(), ensure_ascii=False)


@pytest.mark.parametrize("fixture_db", ["postgresql"], indirect=True)
def test_cached_page_shows_last_good_data_with_marker_and_recovers(fixture_db, live_db_url):
    client = get_app(live_db_url).server.test_client()
    good = get_context()
    url = fixture_db.engine.url
    with FaultProxy(url.host, url.port) as proxy:
        proxied = proxy.url(url.render_as_string(hide_password=False))
        ctx = make_context(replace(good.settings, database_url=proxied, statement_timeout_ms=LIMIT_MS))
        set_context(ctx)
        try:
            search = "?region=431022&period=2026-11"      # cached under this proxy's URL: no other test's entry
            fresh = _page(client, search)
            assert "宜章县" in fresh and "数据更新中断" not in fresh
            with client.application.app_context():    # the cache entry expires (its TTL), the last good copy stays
                # the key holds the request's viewer (role, region), so drop this page's entries by prefix
                store = cache.cache._cache
                # (the model and the rendered view: they share the TTL)
                for key in [k for k in list(store) if ("model:petitions:" in k or "model:view/petitions:" in k)
                            and "last-good" not in k]:
                    store.pop(key, None)
            proxy.pause()
            start = time.perf_counter()
            stale = _page(client, search)
            assert time.perf_counter() - start < 15                        # within the request deadline
            assert re.search(r"数据更新中断 · 最后更新 \d\d:\d\d", stale)
            assert "宜章县" in stale and "page-error" not in stale          # the last good page, not an error
            proxy.resume()
            again = _page(client, search)
            assert "宜章县" in again and "数据更新中断" not in again       # recovered without a restart
        finally:
            set_context(good)
            ctx.db.engine.dispose()
