"""Bad rows written straight into the tables (not through `vetdash load`) never show 达标 (issue #12).

On a copy of the 郴州 fixture: a negative budget row of an unknown fund kind, a negative payment, a duplicate
village station and rows with unknown region codes, all in 宜章县 (one payment under a county that does not
exist). `vetdash refresh` exits 1 and counts them; the pages of 宜章县 and 郴州市 show the affected figures as
数据异常 (grey) with a link to /quality, which lists the findings with their counts.
"""
from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import pytest

from queries import schema
from queries.db import make_engine
from tests.app_process import ROOT, start_app, stop
from tests.browser import graph_selector, shot, wait_text
from tests.fixtures import BEIHU, YIZHANG, populate

pytestmark = pytest.mark.browser
YZ = YIZHANG[:6]
NO_COUNTY = "431099001001"          # a village code under a county that is not in the tree


def _bad_rows(data: dict) -> dict[str, list[dict]]:
    """The issue's bad rows, each a copy of a good 宜章县 row with one thing wrong."""
    pay = next(p for p in data["payment"] if p["region_code"].startswith(YZ) and p["status"] == "已发放"
               and p["month"] // 100 == 2026)
    budget_2026 = sum(b["amount"] for b in data["budget"] if b["region_code"] == YIZHANG and b["year"] == 2026)
    village_unit = next(u for u in data["service_unit"] if u["region_code"].startswith(YZ) and u["level"] == 5)
    petition = next(p for p in data["petition"] if p["region_code"].startswith(YZ))
    next_pay = max(p["payment_id"] for p in data["payment"]) + 1
    return {
        "budget": [{"region_code": YIZHANG, "year": 2026, "fund_kind": "抚恤金X",
                    "amount": (-budget_2026 * Decimal("0.64")).quantize(Decimal("0.01"))}],
        "payment": [{**pay, "payment_id": next_pay, "amount_paid": Decimal("-482000.00")},
                    {**pay, "payment_id": next_pay + 1, "region_code": NO_COUNTY}],
        "service_unit": [{**village_unit, "unit_id": max(u["unit_id"] for u in data["service_unit"]) + 1,
                          "name": village_unit["name"] + "(重复)"}],
        "petition": [{**petition, "petition_id": max(p["petition_id"] for p in data["petition"]) + 1,
                      "region_code": YZ + "999999"}],
    }


@pytest.fixture(scope="module")
def bad_db(tmp_path_factory, fixture_data) -> tuple[str, subprocess.CompletedProcess]:
    path = tmp_path_factory.mktemp("bad") / "bad.sqlite"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    populate(engine, fixture_data)
    with engine.begin() as conn:                          # straight into the tables: no validation
        for table, rows in _bad_rows(fixture_data).items():
            conn.execute(schema.metadata.tables[table].insert(), rows)
    engine.dispose()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("VETDASH_")}, "VETDASH_DATABASE_URL": url}
    done = subprocess.run([sys.executable, "-m", "dashboard.cli", "refresh"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    return url, done


@pytest.fixture(scope="module")
def app(bad_db, tmp_path_factory):
    base, proc = start_app(bad_db[0], tmp_path_factory.mktemp("bad-state"), "4310")
    yield base
    stop(proc)


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    pg = context.new_page()
    pg.js_errors = []
    pg.on("pageerror", lambda exc: pg.js_errors.append(str(exc)))
    yield pg
    context.close()


def test_refresh_reports_the_findings(bad_db):
    _url, done = bad_db
    assert done.returncode == 1, done.stdout + done.stderr          # completed, but not clean
    out = done.stdout
    assert "数据质量检查：发现" in out and "Traceback" not in done.stderr
    assert "负数金额：1 个县(区)，2 行" in out                       # the payment and the budget row, both 宜章县
    assert "重复服务站：1 个县(区)，2 行" in out                     # both stations of the village
    assert "区划代码不存在：2 个县(区)，2 行" in out                 # 宜章县's petition + the county-less payment
    assert "取值不在允许范围：1 个县(区)，1 行" in out               # the fund kind 抚恤金X


def _card(page, ind: str) -> str:
    page.wait_for_selector(f"#kpi-{ind}", timeout=20000)
    return page.inner_text(f"#kpi-{ind}")


def _assert_abnormal(page, ind: str, finding: str, region: str) -> None:
    text = _card(page, ind)
    assert "数据异常" in text and "达标" not in text, text
    assert finding in text, text
    link = page.locator(f"#kpi-{ind} a.kpi-quality-link")
    assert link.get_attribute("href") == f"/quality?region={region}"


def test_county_pages_show_abnormal_not_green(page, app):
    page.goto(app + "/?region=431022")
    wait_text(page, "#view-title", "宜章县")
    _assert_abnormal(page, "execution", "数据质量检查发现", "431022")     # 277.7 % would have been green
    _assert_abnormal(page, "coverage", "重复服务站（宜章县，2行）", "431022")
    shot(page, "bad_rows_overview_yizhang")
    page.goto(app + "/funds?region=431022")
    wait_text(page, "#view-title", "宜章县")
    _assert_abnormal(page, "funds_paid", "负数金额（宜章县，1行）", "431022")
    page.goto(app + "/network?region=431022")
    wait_text(page, "#breadcrumb", "宜章县")
    _assert_abnormal(page, "coverage", "重复服务站", "431022")
    page.click("#kpi-coverage a.kpi-quality-link")
    wait_text(page, "#view-title", "宜章县 · 数据质量")
    assert not page.js_errors


def test_city_marks_the_county_and_its_own_totals(page, app):
    page.goto(app + "/")
    wait_text(page, "#view-title", "郴州市")
    _assert_abnormal(page, "coverage", "重复服务站（宜章县，2行）", "4310")     # the city's total holds it too
    sel = graph_selector("overview-bars")
    page.wait_for_selector(f"{sel} .main-svg", timeout=20000)
    rows = page.evaluate("(s) => document.querySelector(s + ' .js-plotly-plot')._fullData[1].customdata"
                         ".map(c => [c[1], c[2], c[3]])", sel)
    by_name = {name: (text, status) for name, text, status in rows}
    assert by_name["宜章县"][1] == "abnormal" and by_name["宜章县"][0].startswith("数据异常（")
    assert by_name["北湖区"][1] != "abnormal"                            # nothing wrong there
    shot(page, "bad_rows_overview_city")


def test_quality_page_lists_the_findings(page, app):
    page.goto(app + "/quality")
    wait_text(page, "#view-title", "郴州市 · 数据质量")
    listed = page.inner_text("#quality-findings")
    rows = [r.split("\t") for r in listed.splitlines()[1:]]
    found = {(r[0], r[1], r[2], r[3]) for r in rows}
    assert ("宜章县", "负数金额", "抚恤补助资金发放明细", "1") in found
    assert ("宜章县", "重复服务站", "退役军人服务中心(站)", "2") in found
    assert ("宜章县", "区划代码不存在", "信访事项", "1") in found
    assert (f"{NO_COUNTY}（不在区划树中）", "区划代码不存在", "抚恤补助资金发放明细", "1") in found
    assert not any(r[0] == "北湖区" for r in rows) and BEIHU
    shot(page, "bad_rows_quality", full_page=True)
    assert not page.js_errors


def test_rankings_never_rank_the_flagged_county(page, app):
    page.goto(app + "/rankings?metric=coverage&period=2026-10")
    wait_text(page, "#rank-selector", "服务站覆盖率")
    rows = page.locator(f".rank-grid .ag-row[row-id='{YZ}']")        # pinned and centre parts of one row
    rows.first.wait_for(timeout=15000)
    text = " ".join(rows.nth(i).inner_text() for i in range(rows.count()))
    assert "达标" not in text and "数据异常" in text and "重复服务站" in text, text
    beihu = page.locator(f".rank-grid .ag-row[row-id='{BEIHU[:6]}'] [col-id='rank']").first.inner_text().strip()
    assert beihu == "第1名"                               # the only county left to rank
    shot(page, "bad_rows_rankings")
