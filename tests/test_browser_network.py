"""The 服务网络 page in real headless Chromium: drill city → county → township → village and back up."""
from __future__ import annotations

import pytest

from tests.browser import bar_labels, drill_click, graph_selector, shot, wait_graph, wait_text
from tests.fixtures import FIXTURE_AS_OF

pytestmark = pytest.mark.browser


def test_drill_down_to_village_and_back(browser_page, fixture_data):
    page, base, external = browser_page
    page.goto(base + "/network")
    wait_text(page, "#breadcrumb", "郴州市")
    wait_graph(page, "network-bars")
    assert set(bar_labels(page, "network-bars")) == {"北湖区", "宜章县"}
    built = sum(1 for u in fixture_data["service_unit"] if u["founded_day"] <= 20261123)
    assert page.inner_text("#kpi-network_built .kpi-value") == f"{built}个"
    wait_text(page, "#network-idle", "挂牌未运行")
    page.wait_for_selector("#network-five-grid .ag-row")
    assert "北湖区" in page.inner_text("#network-five-grid")
    shot(page, "network_city", full_page=True)

    drill_click(page, "network-bars", "宜章县")
    wait_text(page, "#breadcrumb", "宜章县")
    assert "region=431022" in page.url
    wait_text(page, "#view-title", "宜章县")
    assert set(bar_labels(page, "network-bars")) == {"白石渡镇", "杨梅山镇"}
    shot(page, "network_county", full_page=True)

    page.locator(graph_selector("network-idle")).scroll_into_view_if_needed()
    drill_click(page, "network-idle", "杨梅山镇")             # the 挂牌未运行 bars drill down too
    wait_text(page, "#breadcrumb", "杨梅山镇")
    assert set(bar_labels(page, "network-bars")) == {"杨梅山村", "香花村"}

    drill_click(page, "network-bars", "香花村")
    wait_text(page, "#breadcrumb", "香花村")
    wait_text(page, "#network-empty", "该区划尚未建站")       # this village has no station
    wait_text(page, "#station-card", "尚未建成挂牌")
    assert page.inner_text("#breadcrumb").replace("\n", "") == "郴州市›宜章县›杨梅山镇›香花村"
    shot(page, "network_village_empty")

    page.click("#breadcrumb >> text=郴州市")                  # the breadcrumb goes back to the top
    wait_text(page, "#view-title", "郴州市")
    assert "region=" not in page.url or "region=4310" in page.url
    assert external == [], f"requests to other hosts: {external}"
    assert page.js_errors == []


def test_signposted_but_inactive_village_shows_its_card(browser_page):
    page, base, external = browser_page
    page.goto(base + "/network?region=431002002002")
    wait_text(page, "#breadcrumb", "建设里社区")
    wait_text(page, "#station-card", "挂牌未运行")
    assert page.inner_text("#kpi-network_running .kpi-value") == "0.0%"
    page.wait_for_selector("#network-trend .main-svg")
    shot(page, "network_village_idle")
    assert external == [] and page.js_errors == []


def test_metric_select_recolors_and_keeps_region(browser_page):
    page, base, external = browser_page
    page.goto(base + "/network?region=431022&metric=network_running")
    wait_graph(page, "network-bars")
    wait_text(page, "#view-title", "宜章县")
    title = page.evaluate("() => document.querySelector(\"div[id*='network-bars'] .gtitle\").textContent")
    assert title.startswith("运行率")
    assert external == []


def test_kpi_tooltip_shows_definition(browser_page):
    page, base, external = browser_page
    page.goto(base + "/network?period=2026-10")
    card = page.locator("#kpi-network_running")
    card.wait_for()
    card.hover()
    page.wait_for_selector(".kpi-tooltip", timeout=5000)
    text = page.inner_text(".kpi-tooltip")
    assert "口径" in text and "30日" in text and f"{FIXTURE_AS_OF.year}年10月31日" in text


def test_wall_screen_1920(browser_page):
    page, base, external = browser_page
    page.goto(base + "/network")
    wait_graph(page, "network-map")
    page.wait_for_selector("#network-trend .main-svg")
    path = shot(page, "network_1920x1080")
    assert path.stat().st_size > 50_000
    assert external == []
