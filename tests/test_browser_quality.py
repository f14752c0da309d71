"""数据质量 in headless Chromium: a clean fixture says so and shows each county's freshness; findings (as the
refresh writes them to roll_quality) are listed per county with masked ids and the rate in words."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.browser import shot, wait_text
from tests.fixtures import BEIHU, YIZHANG

pytestmark = pytest.mark.browser


def _cn(day: int) -> str:
    return f"{day // 10000}年{day // 100 % 100}月{day % 100}日"


def test_clean_data_and_freshness(browser_page, fixture_data):
    page, base, external = browser_page
    page.goto(base + "/quality")
    wait_text(page, "#view-title", "郴州市 · 数据质量")
    assert "未发现数据质量问题" in page.inner_text("#quality-summary")
    table = page.inner_text("#quality-freshness")
    for county, prefix in ((BEIHU, "431002"), (YIZHANG, "431022")):
        paid = max(p["paid_day"] for p in fixture_data["payment"]
                   if p["region_code"].startswith(prefix) and p["paid_day"] is not None)
        received = max(p["received_day"] for p in fixture_data["petition"] if p["region_code"].startswith(prefix))
        row = page.locator("#quality-freshness tr", has_text="北湖区" if county == BEIHU else "宜章县").inner_text()
        assert _cn(paid) in row and _cn(received) in row, row
    assert "北湖区" in table and "宜章县" in table and "抚恤补助资金发放明细" in table
    shot(page, "quality_clean")
    assert not external and not page.js_errors


def test_findings_listed_per_county(browser_page, live_db_url):
    page, base, _external = browser_page
    engine = create_engine(live_db_url)
    rows = [{"k": "negative", "s": "payment", "p": YIZHANG, "n": 3, "e": 12345678, "w": None},
            {"k": "rate", "s": "budget", "p": YIZHANG, "n": 1, "e": None, "w": 2.777},
            {"k": "dup_station", "s": "service_unit", "p": BEIHU, "n": 2, "e": 4321, "w": None}]
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO roll_quality (check_kind, source, place_code, cases, example_id, worst) "
                              "VALUES (:k, :s, :p, :n, :e, :w)"), rows)
        page.goto(base + "/quality?region=431022")
        wait_text(page, "#view-title", "宜章县 · 数据质量")
        assert "发现 2 类数据异常，涉及 1 个县(区)、4 行数据" in page.inner_text("#quality-summary")
        listed = page.inner_text("#quality-findings")
        assert "负数金额" in listed and "****5678" in listed and "12345678" not in listed
        assert "资金执行率 277.7%" in listed and "重复服务站" not in listed       # 北湖区 is outside 宜章县
        shot(page, "quality_findings")
        page.goto(base + "/quality")
        wait_text(page, "#view-title", "郴州市 · 数据质量")
        assert "发现 3 类数据异常，涉及 2 个县(区)" in page.inner_text("#quality-summary")
        assert "重复服务站" in page.inner_text("#quality-findings")
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM roll_quality"))
        engine.dispose()
