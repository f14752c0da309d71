"""资金发放 in real headless Chromium: drill city → county → township → village and back up, a KPI's
text, the anomaly list with masked IDs, the empty village, and no request leaving the app."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from dashboard import labels
from tests.browser import bar_labels, drill_click, shot, wait_graph, wait_text

pytestmark = pytest.mark.browser
BARS = "funds-bars"


def test_drill_down_to_village_and_back(browser_page):
    page, base, external = browser_page
    page.goto(base + "/funds")
    wait_text(page, "#breadcrumb", "郴州市")
    wait_text(page, "#view-title", "资金发放")
    wait_graph(page, BARS)
    assert set(bar_labels(page, BARS)) == {"北湖区", "宜章县"}
    assert page.locator(".choroplethlocation").count() == 2          # counties drawn from local shapes
    wait_text(page, "#kpi-execution", "序时进度 89.6%")
    shot(page, "funds_city", full_page=True)

    drill_click(page, BARS, "宜章县")
    wait_text(page, "#breadcrumb", "宜章县")
    assert "region=431022" in page.url
    wait_text(page, "#view-title", "宜章县")
    assert set(bar_labels(page, BARS)) == {"白石渡镇", "杨梅山镇"}
    shot(page, "funds_county", full_page=True)

    drill_click(page, BARS, "白石渡镇")
    wait_text(page, "#breadcrumb", "白石渡镇")
    wait_text(page, "#kpi-execution", "按县统计（宜章县）")               # F2 exists per county only
    assert set(bar_labels(page, BARS)) == {"解放路社区", "白石渡村", "高龙桥村"}

    drill_click(page, BARS, "白石渡村")
    wait_text(page, "#breadcrumb", "白石渡村")
    wait_text(page, "#funds-village", "按优抚对象类别")
    assert page.inner_text("#breadcrumb").replace("\n", "") == "郴州市›宜章县›白石渡镇›白石渡村"
    shot(page, "funds_village", full_page=True)

    page.go_back()                                                   # Back goes up a level
    wait_text(page, "#view-title", "白石渡镇")
    page.click("#breadcrumb >> text=郴州市")                         # the breadcrumb goes to the top
    wait_text(page, "#view-title", "郴州市")
    assert "/funds" in page.url
    assert external == [], f"requests to other hosts: {external}"
    assert page.js_errors == []


def test_kpi_shows_amount_and_definition(browser_page, fixture_data):
    page, base, external = browser_page
    page.goto(base + "/funds?region=4310&period=2026-10")
    card = page.locator("#kpi-funds_paid")
    card.wait_for()
    paid = sum((p["amount_paid"] for p in fixture_data["payment"]            # by payment day (cash basis)
                if p["paid_day"] and 20261001 <= p["paid_day"] <= 20261031), Decimal(0))
    assert card.locator(".kpi-value").inner_text() == labels.fmt_yuan(paid)
    assert card.locator(".kpi-status").count() == 0                  # an amount has no 红黄绿 badge
    card.hover()
    page.wait_for_selector(".kpi-tooltip", timeout=5000)
    assert "口径" in page.inner_text(".kpi-tooltip")
    assert external == []


def test_anomaly_list_shows_masked_ids_only(browser_page, fixture_data):
    page, base, external = browser_page
    page.goto(base + "/funds?region=4310&period=2025")
    wait_text(page, "#funds-anomalies", "重复发放（1）")
    page.wait_for_selector("#funds-list-dup .ag-cell", timeout=15000)
    listing = " ".join(c for row in _cells(page, "#funds-list-dup") for c in row)    # the grid's cell texts
    dup = next(p for p in fixture_data["payment"] if p["payment_id"] == len(fixture_data["payment"]))
    masked = "****" + str(dup["beneficiary_id"])[-4:].rjust(4, "0")
    assert masked in listing and "2025年10月" in listing and "北湖区" in listing
    page.locator("#funds-anomalies").scroll_into_view_if_needed()
    shot(page, "funds_anomalies", full_page=True)
    assert external == []


def test_drill_metric_from_url_and_empty_village(browser_page):
    page, base, external = browser_page
    page.goto(base + "/funds?region=431022&metric=funds_per_capita")
    wait_text(page, "#view-title", "宜章县")
    wait_graph(page, BARS)
    graph = "div[id='{\"name\":\"funds-bars\",\"type\":\"drill\"}']"
    title = page.evaluate("(s) => document.querySelector(s + ' .gtitle').textContent", graph)
    assert title.startswith("人均发放额")
    # 元 ticks written out (no k/M), and no 红黄绿 word in the hover of a metric without a target
    ticks = page.evaluate("(s) => Array.from(document.querySelectorAll(s + ' .xtick text')).map(t => t.textContent)", graph)
    assert ticks and not any(t.endswith(("k", "M", "G")) for t in ticks), ticks
    status_words = page.evaluate("(s) => document.querySelector(s + ' .js-plotly-plot').data[1].customdata"
                                 ".map(c => c[4])", graph)
    assert set(status_words) == {""}
    page.goto(base + "/funds?region=431022101201&period=2023-05")
    wait_text(page, "#funds-village-empty", "无资金发放记录")
    shot(page, "funds_village_empty")
    assert external == [] and page.js_errors == []


def test_backpay_and_anomaly_counts_come_from_rollups(browser_page, fixture_data):
    """F5 and the per-child anomaly counts (roll_payment_backpay / roll_payment_audit) at city level."""
    page, base, external = browser_page
    page.goto(base + "/funds?region=4310&period=2024")
    rows = [p for p in fixture_data["payment"] if p["is_backpay"] and 202401 <= p["month"] <= 202412]
    done = [p for p in rows if p["paid_day"] is not None and p["paid_day"] <= 20261123
            and p["amount_paid"] >= p["amount_due"]]
    assert rows
    wait_text(page, "#kpi-funds_backpay", f"应补发 {len(rows):,}人次，已足额补发 {len(done):,}人次")
    page.goto(base + "/funds?region=4310&period=2025&metric=funds_anomaly_rate")
    wait_text(page, "#funds-anomaly-counts", "北湖区")
    counts = page.inner_text("#funds-anomaly-counts")
    assert "北湖区\t1\t0\t0\t0\t1" in counts and "其余 1 个县(市、区)未发现异常线索" in counts
    wait_graph(page, BARS)
    assert set(bar_labels(page, BARS)) == {"北湖区", "宜章县"}
    assert external == [] and page.js_errors == []


def _cells(page, selector: str) -> list[list[str]]:
    """The grid's rows as a person sees them: the cell texts of each rendered row (pinned rows first)."""
    return page.evaluate("""(s) => Array.from(document.querySelectorAll(s + ' .ag-row'))
        .map(r => Array.from(r.querySelectorAll('.ag-cell')).map(c => c.innerText.trim()))
        .filter(r => r.length)""", selector)


def test_kind_table_and_anomaly_list_are_grids(browser_page):
    """The amounts by kind and the anomaly list are dash-ag-grid tables (Chinese headers, 万元 with one
    decimal, child names linking to their view), served by the app itself with no CSP violation."""
    page, base, external = browser_page
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(base + "/funds?region=4310&period=2025")
    page.wait_for_selector("#funds-kind-table .ag-cell", timeout=15000)
    headers = page.evaluate("() => Array.from(document.querySelectorAll('#funds-kind-table .ag-header-cell-text'))"
                            ".map(h => h.innerText.trim())")
    assert headers[0] == "县(市、区)" and "合计" in headers
    rows = _cells(page, "#funds-kind-table")
    names = [r[0] for r in rows]
    assert names[0] == "合计（郴州市）" and "北湖区" in names and "宜章县" in names    # the total pinned on top
    numbers = [c for r in rows for c in r[1:] if c]
    assert numbers and all(re.fullmatch(r"[\d,]+\.\d|—", c) for c in numbers), numbers
    link = page.locator("#funds-kind-table a", has_text="宜章县")
    assert "region=431022" in link.get_attribute("href")
    wait_text(page, "#funds-anomalies", "重复发放（1）")
    listing = _cells(page, "#funds-list-dup")
    assert len(listing) == 1 and any("北湖区" in c for c in listing[0]) and any("2025年10月" in c for c in listing[0])
    link.click()
    wait_text(page, "#view-title", "宜章县")
    shot(page, "funds_grids")
    assert external == [] and page.js_errors == [] and csp == []
