"""A running server follows the database: after a load + refresh (meta.data_version bumped, as-of moved), the
as-of date, the header and a KPI change without a restart; periods before the data begin are unknown, not 0."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from config.settings import Settings
from dashboard import context as context_module
from dashboard.cache import cache, cached_model
from dashboard.overview_model import build_overview
from queries import schema
from queries.db import make_engine
from queries.refresh import refresh
from tests.fixtures import FIXTURE_AS_OF, populate

YIZHANG_VILLAGE = "431022101201"


@pytest.fixture
def own_db(tmp_path, monkeypatch):
    """A private copy of the fixture on SQLite (this test changes data under the app)."""
    url = f"sqlite:///{tmp_path / 'fixture.sqlite'}"
    engine = make_engine(url)
    populate(engine)
    monkeypatch.setattr(context_module, "VERSION_CHECK_S", 0.0)     # look at meta on every access
    return url, engine


def _received(ctx, period="2026-11"):
    kpis = {k.indicator.id: k for k in build_overview(ctx, "4310", period, None).kpis}
    return kpis["petitions_received"].value


def test_new_data_shows_without_restart(own_db):
    url, engine = own_db
    ctx = context_module.make_context(Settings(database_url=url, root_region="4310"))
    with engine.connect() as conn:
        version = conn.execute(text("SELECT meta_value FROM meta WHERE meta_key = 'data_version'")).scalar()
    assert version == "1"                                   # populate() ran refresh once
    assert ctx.as_of == FIXTURE_AS_OF and ctx.data_version == "1/2026-11-23"
    before = _received(ctx)
    # a load of new petitions (two on 25 Nov in a 宜章 village) and a new as-of date, then refresh
    table = schema.metadata.tables["petition"]
    with engine.begin() as conn:
        template = dict(conn.execute(table.select().order_by(table.c.petition_id).limit(1)).mappings().one())
        for i in (1, 2):
            conn.execute(table.insert(), {**template, "petition_id": 9_000_000 + i, "region_code": YIZHANG_VILLAGE,
                                          "received_on": date(2026, 11, 25), "received_day": 20261125})
        conn.execute(text("UPDATE meta SET meta_value = '2026-11-25' WHERE meta_key = 'as_of'"))
    refresh(engine)
    assert ctx.as_of == date(2026, 11, 25)                  # same context object: no restart
    assert ctx.data_version == "2/2026-11-25"
    assert _received(ctx) == before + 2


def test_cache_key_follows_the_version(own_db, monkeypatch):
    url, engine = own_db
    ctx = context_module.make_context(Settings(database_url=url, root_region="4310"))
    seen = []
    monkeypatch.setattr(cache, "get", lambda key: seen.append(key))
    monkeypatch.setattr(cache, "set", lambda key, value: None)
    cached_model("overview", lambda c, *s: None, ctx, "4310", None, None)
    with engine.begin() as conn:
        conn.execute(text("UPDATE meta SET meta_value = '7' WHERE meta_key = 'data_version'"))
    cached_model("overview", lambda c, *s: None, ctx, "4310", None, None)
    assert len(seen) == 2 and seen[0] != seen[1] and ":7/2026-11-23:" in seen[1]


def test_a_period_before_the_data_is_unknown_not_zero(own_db):
    url, _engine = own_db
    ctx = context_module.make_context(Settings(database_url=url, root_region="4310"))
    first = ctx.coverage["petition"][0]
    assert first.year <= 2024
    early = f"{first.year - 1}-01"
    k = {k.indicator.id: k for k in build_overview(ctx, "4310", early, None).kpis}["petitions_received"]
    assert k.value is None and k.status == "unknown" and "数据起始日" in k.reason
