"""The app over HTTP without a browser: /healthz, the page callback a drill triggers, URL navigation logic."""
from __future__ import annotations

import json

import pytest

from config.settings import Settings
from dashboard.app import clicked_region, navigate  # noqa: F401  (navigate registered on import)
from dashboard.context import get_context, make_context, set_context
from dashboard.urls import parse_search, with_changes
from tests.browser import get_app


@pytest.fixture(scope="module")
def client(live_db_url):
    return get_app(live_db_url).server.test_client()


def pages_callback(client, path: str, search: str) -> tuple[int, dict, int]:
    """POST the pages router's callback as the browser does on navigation; returns status, json, size."""
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if "_pages_content.children" in d["output"])
    payload = {"output": dep["output"],
               "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
               "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                          {"id": "_pages_location", "property": "search", "value": search}],
               "changedPropIds": ["_pages_location.search"], "state": []}
    response = client.post("/_dash-update-component", json=payload)
    return response.status_code, response.get_json(), len(response.data)


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok" and body["as_of"] == "2026-11-23"


def test_healthz_503_when_database_unreachable(client, tmp_path):
    good = get_context()
    set_context(make_context(Settings(database_url=f"sqlite:///{tmp_path}/missing/nothing.sqlite")))
    try:
        response = client.get("/healthz")
    finally:
        set_context(good)
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "unreachable" and body["as_of"] is None and set(body) >= {"status", "message"}


def test_drill_callback_carries_codes_not_boundaries(client):
    status, body, size = pages_callback(client, "/", "?region=4310&period=2026-11")
    assert status == 200
    text = json.dumps(body, ensure_ascii=False)
    assert "宜章县" in text and "北湖区" in text
    assert "geo/hunan_counties.geojson" in text          # the map names its boundaries by URL …
    assert '"coordinates"' not in text                   # … and never inlines them
    assert size < 200_000, f"drill response is {size} bytes"


def test_drill_callback_for_village_shows_station_card(client):
    status, body, _ = pages_callback(client, "/", "?region=431002002002&period=2026-11")
    text = json.dumps(body, ensure_ascii=False)
    assert status == 200 and "station-card" in text and "有机构" in text and "近30日无服务记录" in text


def test_bad_region_in_callback_is_a_chinese_message(client):
    status, body, _ = pages_callback(client, "/", "?region=440300")
    text = json.dumps(body, ensure_ascii=False)
    assert status == 200 and "不在您的查看范围" in text and "Traceback" not in text


@pytest.mark.parametrize("click, code", [
    ({"points": [{"customdata": ["431022", "宜章县", "87.5%", "red", "预警"]}]}, "431022"),
    ({"points": [{"location": "431000", "customdata": ["4310", "郴州市", "", "", ""]}]}, "4310"),
    ({"points": [{"location": "431022"}]}, "431022"),
    ({"points": [{"customdata": ["not-a-code"]}]}, None),
    (None, None),
])
def test_clicked_region(click, code):
    assert clicked_region(click) == code


def test_url_changes_keep_other_state():
    search = "?region=431022&period=2026-W47&metric=coverage"
    assert parse_search(with_changes(search, region="431022101")) == {
        "region": "431022101", "period": "2026-W47", "metric": "coverage"}
    assert "metric" not in with_changes(search, metric=None)
    assert parse_search("?region=4310&evil=<script>") == {"region": "4310"}
