"""The test Redis: VETDASH_TEST_REDIS_URL (default: .ci/run's throwaway server on port 16379).

Its database is EMPTIED by the tests that use it: never point it at a Redis holding anything else.
Missing Redis: the test is skipped, or fails under VETDASH_REQUIRE_ALL=1 (tests/conftest.py require).
"""
from __future__ import annotations

import os

import pytest

from tests.conftest import require

DEFAULT_URL = "redis://127.0.0.1:16379/0"


def test_redis_url() -> str:
    return os.environ.get("VETDASH_TEST_REDIS_URL") or DEFAULT_URL


test_redis_url.__test__ = False          # a helper, not a test


def probe(url: str) -> tuple[bool, str]:
    try:
        import redis
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2).ping()
        return True, ""
    except Exception as exc:             # noqa: BLE001 — any failure means "not available"
        return False, f"Redis not reachable at {url} ({type(exc).__name__}: {exc}); set VETDASH_TEST_REDIS_URL"


@pytest.fixture
def redis_url() -> str:
    """A reachable, emptied test Redis database."""
    url = test_redis_url()
    ok, reason = probe(url)
    require(ok, reason)
    import redis
    redis.Redis.from_url(url).flushdb()
    return url


def client(url: str):
    import redis
    return redis.Redis.from_url(url)
