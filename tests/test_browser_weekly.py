"""周例会 in real headless Chromium: the page for a chosen week, and a flag's link lands on its drill-down view."""
from __future__ import annotations

from dataclasses import replace

import pytest

from tests.browser import shot, wait_text
from tests.fixtures import BEIHU
from tests.test_weekly import idle_by_county

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def own_state_db(live_app, tmp_path):
    """The live app writes weekly snapshots: into a temporary state database, never the user's."""
    from dashboard.context import get_context
    ctx = get_context()
    before = ctx.settings
    ctx.settings = replace(before, state_url=f"sqlite:///{tmp_path / 'state.sqlite'}")
    yield
    ctx.settings = before


def test_weekly_page_for_a_chosen_week(browser_page):
    page, base, external = browser_page
    page.goto(base + "/weekly")
    wait_text(page, "#view-title", "郴州市 · 周例会 · 2026年第47周（11月16日—22日）")   # the last complete week
    assert page.locator("#kpi-row .kpi-card").count() == 8
    wait_text(page, "#weekly-narrative", "新增预警：北湖区每万名退役军人信访量74.6件/万人")
    row = page.locator("#weekly-flags tr.flag-row[data-key='petitions_per_10k:431002000000']")
    assert row.locator(".persist").inner_text() == "新"
    assert row.locator(".flag-value").inner_text() == "74.6件/万人"
    shot(page, "weekly_city_w47")
    page.locator(".weekly-area-filter label", has_text="信访热点").click()    # one area's flags
    page.wait_for_selector("#weekly-flags-body.show-petitions")
    visible = [r for r in page.locator("#weekly-flags tr.flag-row").all() if r.is_visible()]
    assert visible and {r.locator(".flag-area").inner_text() for r in visible} == {"信访热点"}
    assert not page.locator("#weekly-flags tr.flag-row[data-key^='idle_stations']").first.is_visible()

    page.click(".weekly-select")                                       # choose another week in the dropdown
    page.get_by_text("2026年第45周（11月2日—8日）", exact=True).click()   # the option list opens in a popover
    wait_text(page, "#view-title", "2026年第45周（11月2日—8日）")
    assert "period=2026-W45" in page.url
    wait_text(page, "#weekly-snapshot-note", "无快照")                 # 五有 has no history before the first snapshot

    page.click("#weekly-next")                                         # ▸ goes one week on
    wait_text(page, "#view-title", "2026年第46周（11月9日—15日）")
    assert external == [], f"requests to other hosts: {external}"
    assert page.js_errors == []


def test_flag_link_lands_on_its_drill_down_view(browser_page, fixture_data):
    page, base, _external = browser_page
    page.goto(base + "/weekly?region=4310&period=2026-W47")
    row = page.locator("#weekly-flags tr.flag-row[data-key='idle_stations:431002000000']")
    row.wait_for(timeout=30000)
    idle = idle_by_county(fixture_data, 20261122)[BEIHU]
    assert row.locator(".flag-value").inner_text() == f"{idle}个"
    row.locator(".flag-link").click()
    wait_text(page, "#view-title", "北湖区 · 服务网络 · 2026年第47周（11月16日—22日）")
    assert "/network?" in page.url and "region=431002" in page.url and "period=2026-W47" in page.url
    wait_text(page, "#network-idle", f"无服务记录的中心(站)共 {idle} 个")   # the same stations the flag counts
    assert page.js_errors == []


def test_county_view_and_bad_week(browser_page):
    page, base, _external = browser_page
    page.goto(base + "/weekly?region=431022&period=2026-W47")
    wait_text(page, "#view-title", "宜章县 · 周例会")
    wait_text(page, "#weekly-flag-count", "预警")
    shot(page, "weekly_county_w47")
    page.goto(base + "/weekly?period=2026-W60")
    wait_text(page, ".page-error", "周次“2026-W60”不存在")
