"""The overview in real headless Chromium: drill city → county → township → village and back up."""
from __future__ import annotations

import pytest

from tests.browser import bar_labels, drill_click, shot, wait_graph, wait_text

pytestmark = pytest.mark.browser


def test_drill_down_to_village_and_back(browser_page):
    page, base, external = browser_page
    page.goto(base + "/")
    wait_text(page, "#breadcrumb", "郴州市")
    wait_graph(page, "overview-bars")
    assert set(bar_labels(page, "overview-bars")) == {"北湖区", "宜章县"}
    assert page.locator(".choroplethlocation").count() == 2          # both counties drawn from local shapes
    shot(page, "overview_city")

    drill_click(page, "overview-bars", "宜章县")
    wait_text(page, "#breadcrumb", "宜章县")
    assert "region=431022" in page.url
    page.wait_for_function("() => document.querySelector('#view-title').innerText.startsWith('宜章县')")
    assert set(bar_labels(page, "overview-bars")) == {"白石渡镇", "杨梅山镇"}
    shot(page, "overview_county")

    drill_click(page, "overview-bars", "杨梅山镇")
    wait_text(page, "#breadcrumb", "杨梅山镇")
    assert set(bar_labels(page, "overview-bars")) == {"杨梅山村", "香花村"}

    drill_click(page, "overview-bars", "香花村")
    wait_text(page, "#breadcrumb", "香花村")
    wait_text(page, "#station-card", "尚未建成挂牌")              # this village has no station
    assert page.inner_text("#breadcrumb").replace("\n", "") == "郴州市›宜章县›杨梅山镇›香花村"
    shot(page, "overview_village")

    page.go_back()                                                 # Back goes up a level
    wait_text(page, "#view-title", "杨梅山镇")
    page.click("#breadcrumb >> text=郴州市")                       # breadcrumb goes back to the top
    wait_text(page, "#view-title", "郴州市")
    assert "region=" not in page.url or "region=4310" in page.url
    assert external == [], f"requests to other hosts: {external}"
    assert page.js_errors == []


def test_map_click_drills_and_url_is_shareable(browser_page):
    page, base, external = browser_page
    page.goto(base + "/?region=431002&period=2026-W47")
    wait_text(page, "#breadcrumb", "北湖区")
    wait_text(page, "#view-title", "2026年第47周（11月16日—22日）")
    page.goto(base + "/")
    drill_click(page, "overview-map", "北湖区")
    wait_text(page, "#breadcrumb", "北湖区")
    assert external == []


def test_kpi_card_shows_value_and_definition(browser_page, fixture_data):
    page, base, external = browser_page
    page.goto(base + "/?region=4310&period=2026-10")
    card = page.locator("#kpi-petitions_received")
    card.wait_for()
    received = sum(1 for p in fixture_data["petition"] if 20261001 <= p["received_day"] <= 20261031)
    assert card.locator(".kpi-value").inner_text() == f"{received}件"
    card.hover()
    page.wait_for_selector(".kpi-tooltip", timeout=5000)
    assert "口径" in page.inner_text(".kpi-tooltip")


@pytest.mark.parametrize("query, message", [
    ("region=12345", "长度不对"), ("region=43x1", "应为数字"),
    ("region=440300", "不在您的查看范围"),
    ("region=431099", "找不到区划代码"),
    ("period=2031-01", "尚无数据"),
    ("period=abc", "无法识别的期间"),
])
def test_bad_url_state_gives_chinese_message(browser_page, query, message):
    page, base, external = browser_page
    page.goto(f"{base}/?{query}")
    wait_text(page, ".page-error", message)
    assert "Traceback" not in page.content()


def test_wall_screen_screenshot_1920(browser_page):
    page, base, external = browser_page
    page.goto(base + "/?region=4310")
    wait_graph(page, "overview-map")
    page.wait_for_selector("#overview-trend .main-svg")
    path = shot(page, "overview_1920x1080")
    assert path.stat().st_size > 50_000
    assert external == []
