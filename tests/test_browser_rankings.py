"""排名 in headless Chromium on the fixture app (郴州市 → 北湖区, 宜章县; data as of 2026-11-23)."""
from __future__ import annotations

import re

import pytest

from tests.browser import bar_labels, shot, wait_graph, wait_text
from tests.fixtures import BAISHIDU, YANGMEISHAN, YIZHANG

pytestmark = pytest.mark.browser
COUNTY = YIZHANG[:6]


def cell(page, code: str, col: str) -> str:
    """Visible text of one grid cell (名次 and 单位 are pinned left, the rest in the centre)."""
    loc = page.locator(f".rank-grid .ag-row[row-id='{code}'] [col-id='{col}']").first
    loc.wait_for(timeout=15000)
    return loc.inner_text().strip()


def test_highlighted_county_card_shows_its_table_rank(browser_page):
    page, base, external = browser_page
    page.goto(f"{base}/rankings?highlight={COUNTY}")
    page.wait_for_selector("#rank-card")
    # no period in the URL: the last complete month before 2026-11-23
    wait_text(page, "#view-title", "2026年10月")
    assert "截至" not in page.inner_text("#view-title")
    card = page.inner_text("#rank-card-rank")
    row = cell(page, COUNTY, "rank")
    m = re.fullmatch(r"(并列)?第(\d)/2名", card)
    assert m, card
    assert row == f"{m[1] or ''}第{m[2]}名"
    assert "宜章县" in page.inner_text("#rank-card .rank-unit")
    assert "rank-row-highlight" in page.locator(f".rank-grid .ag-row[row-id='{COUNTY}']").first.get_attribute("class")
    page.wait_for_selector("#rank-history .scatterlayer .trace", timeout=30000)    # drawn after the card
    assert set(bar_labels(page, "rankings-bars")) == {"北湖区", "宜章县"}
    assert "功效系数法" in page.inner_text("#rank-method")
    shot(page, "rankings_highlight_1920x1080")
    assert external == [] and page.js_errors == []


def test_rank_value_is_the_number_the_area_page_shows(browser_page):
    page, base, external = browser_page
    page.goto(f"{base}/network?region={COUNTY}&period=2026-10")
    page.wait_for_selector("#kpi-coverage .kpi-value")
    shown = page.inner_text("#kpi-coverage .kpi-value").strip()
    page.goto(f"{base}/rankings?metric=coverage&period=2026-10")
    wait_text(page, "#rank-selector", "服务站覆盖率")
    assert cell(page, COUNTY, "value") == shown
    assert cell(page, COUNTY, "status_label") in ("达标", "关注", "预警")


def test_row_click_drills_down_and_period_is_kept(browser_page):
    page, base, external = browser_page
    page.goto(f"{base}/rankings?period=2026-W47")
    wait_text(page, "#view-title", "2026年第47周")
    page.locator(f".rank-grid .ag-row[row-id='{COUNTY}'] [col-id='name']").first.click()
    wait_text(page, "#breadcrumb", "宜章县")
    assert f"region={COUNTY}" in page.url and "period=2026-W47" in page.url
    wait_text(page, "#view-title", "各乡镇(街道)排名")
    wait_graph(page, "rankings-bars")
    assert set(bar_labels(page, "rankings-bars")) == {"白石渡镇", "杨梅山镇"}
    assert {cell(page, BAISHIDU[:9], "name"), cell(page, YANGMEISHAN[:9], "name")} == {"白石渡镇", "杨梅山镇"}
    assert page.js_errors == []


def test_phone_shows_rank_card_and_red_indicators_first(chromium, live_app):
    base, _app = live_app
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{base}/rankings?highlight={COUNTY}")
        page.wait_for_selector("#rank-card")
        page.wait_for_selector("#rank-history .scatterlayer .trace", timeout=30000)    # drawn after the card
        card, red = page.locator("#rank-card").bounding_box(), page.locator("#rank-red").bounding_box()
        assert card["y"] >= 0 and card["y"] < 844
        assert red["y"] + red["height"] <= 844, red               # the red indicators without scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert re.fullmatch(r"(并列)?第\d/2名", page.inner_text("#rank-card-rank"))
        shot(page, "rankings_highlight_390x844")
    finally:
        context.close()
