"""周例会简报 in real headless Chromium: click 生成简报(Word) on /weekly, watch the progress, the list gains the
new brief and its 下载 link returns the stored .docx."""
from __future__ import annotations

from dataclasses import replace

import pytest
from docx import Document

from tests.browser import shot, wait_text

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def own_state_and_jobs(live_app, tmp_path):
    """Snapshots and issued briefs in a temporary state database; job files in a temporary folder."""
    from dashboard.context import get_context
    from dashboard.exports import jobs
    ctx = get_context()
    before = ctx.settings
    ctx.settings = replace(before, state_url=f"sqlite:///{tmp_path / 'state.sqlite'}")
    jobs.set_runner(jobs.JobRunner(jobs.JobStore(tmp_path / "exports")))
    yield
    jobs.set_runner(None)
    ctx.settings = before


def test_issue_brief_from_weekly_and_download_it(browser_page):
    page, base, external = browser_page
    page.goto(base + "/weekly?region=431022&period=2026-W47")
    wait_text(page, "#view-title", "宜章县 · 周例会 · 2026年第47周（11月16日—22日）")
    wait_text(page, "#weekly-brief-list", "本区划尚未签发简报")
    assert page.locator("[id*='weekly-brief-btn'][id*='each']").count() == 0      # 各县简报 only on a city view
    page.get_by_role("button", name="生成简报(Word)").click()
    wait_text(page, "#weekly-brief-progress", "已签发", timeout=120_000)
    rows = page.locator("#weekly-briefs tr.brief-row")
    rows.first.wait_for(timeout=10_000)
    assert rows.count() == 1
    assert rows.first.locator(".brief-week").inner_text() == "2026年第47周（11月16日—22日）"
    assert rows.first.locator(".brief-region").inner_text() == "宜章县"
    assert rows.first.locator(".brief-by").inner_text() == "演示领导"
    assert "/" in rows.first.locator(".brief-version").inner_text()               # data_version/as_of
    shot(page, "weekly_brief_issued")
    with page.expect_download() as info:
        rows.first.locator("a.brief-download").click()
    download = info.value
    assert download.suggested_filename == "宜章县_周例会简报_2026年第47周.docx"
    doc = Document(str(download.path()))
    assert doc.paragraphs[0].text == "宜章县退役军人事务局 周例会简报"
    assert doc.sections[0].header.paragraphs[0].text == "内部资料"
    assert external == [], f"requests to other hosts: {external}"
    assert page.js_errors == []


def test_city_view_offers_each_county(browser_page):
    page, base, _external = browser_page
    page.goto(base + "/weekly?region=4310&period=2026-W47")
    wait_text(page, "#view-title", "郴州市 · 周例会")
    assert page.get_by_role("button", name="各县简报").is_visible()
    assert page.get_by_role("button", name="生成简报(Word)").is_visible()
