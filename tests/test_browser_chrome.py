"""What every page shows a person regardless of its data: no send-to-cloud button, a Chinese 404."""
from __future__ import annotations

import pytest

from tests.browser import wait_graph, wait_text

pytestmark = pytest.mark.browser


def test_charts_offer_no_upload_only_a_chinese_png_download(browser_page):
    page, base, external = browser_page
    page.goto(base + "/?region=4310&period=2026-10")
    wait_graph(page, "overview-bars")
    titles = page.evaluate("() => Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.getAttribute('data-title'))")
    assert titles, "no modebar rendered"
    assert not [t for t in titles if t and ("Chart Studio" in t or "cloud" in t.lower() or "Edit" in t)], titles
    assert any(t and "PNG" in t and "下载" in t for t in titles), titles   # the zh-CN label of the PNG download
    assert external == []


def test_unknown_path_gets_a_chinese_404(browser_page):
    page, base, external = browser_page
    page.goto(base + "/no-such-page")
    wait_text(page, "#not-found", "页面不存在")
    assert "Page not found" not in page.inner_text("body")
    assert page.locator("#not-found a").count() >= 5
