"""安置就业 in real headless Chromium: drill city → county → township → village, back up by the breadcrumb."""
from __future__ import annotations

import pytest

from tests.browser import bar_labels, drill_click, shot, wait_graph, wait_text

pytestmark = pytest.mark.browser
PAGE = "/placement"


def waiting_now(data, prefix: str, day: int) -> int:
    """待就业 of the 2025 and 2026 cohorts as at `day`, from the raw status rows."""
    best = {}
    for r in data["employment_status"]:
        cur = best.get(r["veteran_id"])
        if r["effective_day"] <= day and (cur is None or (r["effective_day"], r["status_id"]) > (cur["effective_day"], cur["status_id"])):
            best[r["veteran_id"]] = r
    return sum(1 for r in best.values() if r["status"] == "待就业" and r["cohort_year"] in (2025, 2026)
               and r["region_code"].startswith(prefix))


def test_drill_down_to_village_and_back(browser_page, fixture_data):
    page, base, external = browser_page
    page.goto(base + PAGE)
    wait_text(page, "#breadcrumb", "郴州市")
    wait_graph(page, "placement-bars")
    assert set(bar_labels(page, "placement-bars")) == {"北湖区", "宜章县"}
    page.wait_for_selector("#placement-clear .main-svg")
    page.wait_for_selector("#placement-mix .main-svg")
    card = page.locator("#kpi-employment_waiting .kpi-value")
    assert card.inner_text() == f"{waiting_now(fixture_data, '4310', 20261123)}人"
    shot(page, "placement_city")

    drill_click(page, "placement-bars", "宜章县")
    wait_text(page, "#breadcrumb", "宜章县")
    assert "region=431022" in page.url
    wait_text(page, "#view-title", "宜章县")
    assert set(bar_labels(page, "placement-bars")) == {"白石渡镇", "杨梅山镇"}
    wait_text(page, "#kpi-employment_waiting .kpi-value", f"{waiting_now(fixture_data, '431022', 20261123)}人")
    shot(page, "placement_county")

    drill_click(page, "placement-bars", "杨梅山镇")
    wait_text(page, "#breadcrumb", "杨梅山镇")
    wait_text(page, "#kpi-placement_rate .kpi-note", "按县统计（宜章县）")
    shot(page, "placement_township")

    drill_click(page, "placement-bars", "香花村")
    wait_text(page, "#breadcrumb", "香花村")
    wait_text(page, "#placement-village", "待就业清单")
    assert "****" in page.inner_text("#placement-village")
    assert page.inner_text("#breadcrumb").replace("\n", "") == "郴州市›宜章县›杨梅山镇›香花村"
    shot(page, "placement_village", full_page=True)

    page.click("#breadcrumb >> text=宜章县")                        # back up by the breadcrumb
    wait_text(page, "#view-title", "宜章县")
    page.click("#breadcrumb >> text=郴州市")
    wait_text(page, "#view-title", "郴州市")
    assert external == [], f"requests to other hosts: {external}"
    assert page.js_errors == []


def test_metric_selector_ranks_by_another_indicator(browser_page):
    page, base, external = browser_page
    page.goto(base + PAGE + "?region=431022&metric=placement_rate")
    wait_graph(page, "placement-bars")
    wait_text(page, ".drill-panel", "县级指标")                     # county-only: townships show 按县统计
    page.goto(base + PAGE + "?region=4310")
    wait_graph(page, "placement-bars")
    page.click(".metric-select")
    page.get_by_role("option", name="“311”服务完成率").click()
    page.wait_for_url("**metric=employment_311_rate**")
    wait_text(page, ".drill-panel", "“311”服务完成率 · 各县(市、区)")
    assert external == []


def test_kpi_tooltip_shows_the_definition(browser_page):
    page, base, external = browser_page
    page.goto(base + PAGE + "?region=4310&period=2026-10")
    card = page.locator("#kpi-employment_clear_rate")
    card.wait_for()
    card.hover()
    page.wait_for_selector(".kpi-tooltip", timeout=5000)
    text = page.inner_text(".kpi-tooltip")
    assert "口径" in text and "年初待就业" in text and "年累计" in text


def test_empty_village_period_and_full_screen(browser_page):
    page, base, external = browser_page
    page.goto(base + PAGE + "?region=431022102200&period=2024-06")
    wait_text(page, "#placement-village", "暂无")
    shot(page, "placement_village_empty")
    page.goto(base + PAGE + "?region=4310")
    wait_graph(page, "placement-map")
    page.wait_for_selector("#placement-311 .main-svg")
    path = shot(page, "placement_1920x1080")
    assert path.stat().st_size > 50_000
    assert external == []


@pytest.mark.parametrize("query, message", [("region=440300", "不在您的查看范围"), ("period=2031-01", "尚无数据")])
def test_bad_url_state_gives_chinese_message(browser_page, query, message):
    page, base, external = browser_page
    page.goto(f"{base}{PAGE}?{query}")
    wait_text(page, ".page-error", message)
