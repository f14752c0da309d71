"""A data-quality finding (a roll_quality row, as refresh writes it) turns the figures it corrupts into 数据异常
for that county and the city above it, on SQLite, PostgreSQL and MariaDB; other figures and counties keep
their 红黄绿, and the fixture without findings is untouched."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from config.settings import Settings
from config.thresholds import load_thresholds
from dashboard import context as context_module
from dashboard.context import AppContext
from dashboard.funds.model import build_funds_model
from dashboard.network.model import build_network
from dashboard.overview_model import build_overview
from dashboard.quality_marks import affected
from queries.meta import bump_data_version
from tests.fixtures import BEIHU, YIZHANG

FINDINGS = [{"k": "negative", "s": "payment", "p": YIZHANG, "n": 3, "e": 12345678, "w": None},
            {"k": "dup_station", "s": "service_unit", "p": YIZHANG, "n": 2, "e": 4321, "w": None}]


@pytest.fixture
def ctx(fixture_db):
    return AppContext(Settings(database_url="fixture", root_region="4310"), fixture_db, load_thresholds())


@pytest.fixture
def flagged(fixture_db, monkeypatch):
    # as refresh writes them: the findings and a new data version in one transaction (pages read the
    # findings once per data version)
    monkeypatch.setattr(context_module, "VERSION_CHECK_S", 0.0)     # look at meta on every access
    with fixture_db.engine.begin() as conn:
        conn.execute(text("INSERT INTO roll_quality (check_kind, source, place_code, cases, example_id, worst) "
                          "VALUES (:k, :s, :p, :n, :e, :w)"), FINDINGS)
        bump_data_version(conn)
    yield
    with fixture_db.engine.begin() as conn:
        conn.execute(text("DELETE FROM roll_quality"))
        bump_data_version(conn)


def test_clean_fixture_has_no_abnormal_figure(ctx):
    kpis = build_overview(ctx, "431022", "2026-11", None).kpis
    assert not [k.indicator.id for k in kpis if k.status == "abnormal"]


def test_findings_mark_the_county_and_its_city(ctx, flagged):
    county = {k.indicator.id: k for k in build_overview(ctx, "431022", "2026-11", None).kpis}
    for ind in ("execution", "coverage", "five_have"):
        assert county[ind].status == "abnormal", ind
        assert county[ind].extra["quality_region"] == "431022"
    assert county["execution"].reason == "数据质量检查发现：负数金额（宜章县，3行），请核查源数据"
    assert county["coverage"].reason == "数据质量检查发现：重复服务站（宜章县，2行），请核查源数据"
    for ind in ("placement_rate", "employment_rate", "petitions_received", "closed_ontime", "ontime_rate"):
        assert county[ind].status != "abnormal", ind                # a negative payment does not touch these
    city = build_overview(ctx, None, "2026-11", "coverage")
    assert {k.indicator.id: k.status for k in city.kpis}["coverage"] == "abnormal"
    bars = city.children.set_index("name")
    assert bars.loc["宜章县", "status"] == "abnormal" and bars.loc["宜章县", "text"].startswith("数据异常（")
    assert bars.loc["北湖区", "status"] != "abnormal"
    funds = {k.indicator.id: k.status for k in build_funds_model(ctx, "431022", "2026-11", None).kpis}
    assert funds["funds_paid"] == "abnormal" and funds["funds_people"] != "abnormal"
    network = {k.indicator.id: k.status for k in build_network(ctx, BEIHU[:6], "2026-11", None).kpis}
    assert "abnormal" not in network.values()                       # 北湖区 has no finding


def test_each_check_maps_to_catalogue_indicators():
    from dashboard.catalogue import BY_ID
    from queries.quality import CHECKS
    from queries.load.specs import SPECS
    for kind in CHECKS:
        for source in SPECS:
            assert all(i in BY_ID for i in affected(kind, source)), (kind, source)
    assert affected("negative", "payment") == ("funds_paid", "execution", "funds_per_capita")
    assert "coverage" in affected("dup_station", "service_unit")
    assert "petitions_received" in affected("unknown_code", "petition")
