"""Every page at phone size (390×844): nothing scrolls sideways, the menu folds, cards wrap two per row."""
from __future__ import annotations

import pytest

from dashboard import labels
from tests.browser import shot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(chromium, live_app):
    base, _app = live_app
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page, base
    context.close()


def settle(page) -> None:
    """Wait for the page body and its graphs and grids to draw (they may widen the page)."""
    page.wait_for_selector(".page", timeout=20000)
    page.wait_for_function("() => !document.querySelector('.dash-graph--pending, ._dash-loading')", timeout=20000)
    page.wait_for_timeout(800)


@pytest.mark.parametrize("path", ["/", "/network", "/placement", "/funds", "/petitions", "/rankings"])
def test_no_page_scrolls_sideways(phone, path):
    page, base = phone
    page.goto(base + path)
    settle(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path} is {width} px wide"
    assert page.js_errors == []
    shot(page, "phone_" + (path.strip("/") or "overview"), full_page=True)


def test_menu_folds_and_opens_on_tap(phone):
    page, base = phone
    page.goto(base + "/")
    settle(page)
    tab = page.locator(".page-tab", has_text="排名")
    assert not tab.is_visible()
    navbar = page.locator(".app-navbar").bounding_box()
    assert navbar["height"] < 100                      # was 240 px with every tab stacked
    page.tap(".navbar-toggler")
    tab.wait_for(state="visible")
    assert [t.strip() for t in page.locator(".page-tab").all_inner_texts()] == [label for _, label in labels.PAGES]
    tab.tap()
    page.wait_for_url("**/rankings*")
    page.wait_for_selector("#view-title")
    page.locator(".page-tab", has_text="排名").wait_for(state="hidden")   # choosing a page folds the menu


def test_kpi_cards_two_per_row_and_definition_on_tap(phone):
    page, base = phone
    page.goto(base + "/?region=4310&period=2026-10")
    settle(page)
    boxes = [page.locator(".kpi-card").nth(i).bounding_box() for i in range(3)]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 1 and boxes[2]["y"] > boxes[0]["y"] + 10
    assert all(b["width"] < 195 for b in boxes)
    value = page.locator("#kpi-coverage .kpi-value")
    assert value.evaluate("e => e.scrollWidth <= e.clientWidth + 1")     # the value is not cut ("33.")
    page.tap("#kpi-coverage")
    page.wait_for_selector(".kpi-tooltip", timeout=5000)
    assert "口径" in page.inner_text(".kpi-tooltip")
