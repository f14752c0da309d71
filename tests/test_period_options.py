"""The period selectors offer only periods with data (fixture facts start 2024-09), and ◂ stops there."""
from __future__ import annotations

import json
import re

import pytest

from tests.browser import get_app
from tests.fixtures import FIXTURE_AS_OF, WINDOW_START


@pytest.fixture(scope="module")
def client(live_db_url):
    return get_app(live_db_url).server.test_client()


def _page(client, path: str, search: str) -> str:
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if "_pages_content.children" in d["output"])
    body = {"output": dep["output"],
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.search"], "state": []}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return json.dumps(response.get_json(), ensure_ascii=False)


def _options(page: str) -> list[str]:
    found = re.search(r'"options": \[([^\]]*)\], "value": "[^"]*", "clearable": false', page)
    assert found, "no period dropdown"
    return re.findall(r'"value": "([^"]+)"', found.group(1))


@pytest.mark.parametrize("path", ["/funds", "/petitions"])
def test_year_selector_starts_at_the_first_year_with_data(client, path):
    years = _options(_page(client, path, "?region=4310&period=2026"))
    assert years == [str(y) for y in range(FIXTURE_AS_OF.year, WINDOW_START.year - 1, -1)]     # 2026, 2025, 2024


def test_month_selector_and_arrow_stop_at_the_first_month(client):
    first = f"{WINDOW_START:%Y-%m}"
    page = _page(client, "/funds", f"?region=4310&period={first}")
    months = _options(page)
    assert months[-1] == first and len(months) == 27      # 2024-09 … 2026-11
    assert '"children": "◂", "className": "btn btn-sm btn-outline-secondary disabled"' in page
    later = _page(client, "/funds", "?region=4310&period=2025-06")
    assert '"title": "上一期：2025年5月"' in later
