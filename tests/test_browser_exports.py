"""What a person gets from the browser: the 导出Excel link downloads the view's tables; print gives A4 landscape
pages without the navigation tabs and period controls, charts kept."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.browser import shot, wait_graph

pytestmark = pytest.mark.browser


def test_export_link_downloads_the_views_workbook(browser_page):
    page, base, external = browser_page
    page.goto(f"{base}/funds?region=431022&period=2026-10")
    link = page.locator("#export-funds-xlsx")
    link.wait_for(timeout=15000)
    assert link.inner_text() == "导出Excel"
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "宜章县_资金发放_2026年10月.xlsx"
    assert page.inner_text(".export-progress") == "已生成"          # made by a background job, not the click's request
    wb = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert "主要指标" in wb.sheetnames and "审计异常线索" in wb.sheetnames
    # the file names the loopback demo session and the minute of the export; the page's watermark the same account
    line = wb["主要指标"]["A3"].value
    assert re.fullmatch(r"导出人：演示领导（本机演示）　导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}", line), line
    assert page.locator(".watermark-tile").first.text_content().split()[0] == "演示领导"     # the page's own watermark
    assert external == []


def test_print_is_a4_landscape_without_controls(browser_page):
    page, base, external = browser_page
    page.goto(f"{base}/?region=4310&period=2026-10")
    wait_graph(page, "overview-bars")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.page-tabs', '.period-bar', '.export-bar']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none", "none", "none"]
    assert page.locator(".js-plotly-plot").count() >= 3 and page.locator(".js-plotly-plot").first.is_visible()
    assert page.locator("#view-title").is_visible()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "no page in the PDF"
    width, height = (float(v) for v in boxes[0])
    assert abs(width - 841.92) < 1 and abs(height - 594.96) < 1          # A4 landscape in points
    page.emulate_media(media="screen")
    shot(page, "exports-overview-link")
    assert external == []


def test_yearly_page_sentence_with_kouji_and_word_download(browser_page):
    from docx import Document
    page, base, external = browser_page
    page.goto(f"{base}/yearly?region=431022&period=2025")
    page.wait_for_selector("#yearly-sentence", timeout=15000)
    text = page.inner_text("#yearly-sentence")
    assert text.startswith("2025年，全年接收自主就业退役士兵") and "义务兵家庭优待金" in text and "万元" in text
    assert "残疾抚恤金、定期抚恤金、定期生活补助" in page.get_attribute("#yearly-fuxu", "title")
    assert page.inner_text("#view-title") == "宜章县2025年退役军人事务工作情况"
    with page.expect_download() as info:
        page.click("#export-yearly-docx")
    doc = Document(info.value.path())
    body = "\n".join(p.text for p in doc.paragraphs)
    figure = page.inner_text("#yearly-helped")                     # the same figure in the page and the Word file
    assert f"帮助就业创业{figure}" in body
    assert doc.sections[0].header.paragraphs[0].text == "内部资料"
    shot(page, "exports-yearly")
    assert external == []


def test_yearly_page_on_a_phone_has_no_sideways_scroll(chromium, live_app):
    base, _app = live_app
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{base}/yearly?region=4310&period=2025")
        page.wait_for_selector("#yearly-children", timeout=20000)
        page.wait_for_timeout(500)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.inner_text("#view-title") == "郴州市2025年退役军人事务工作情况"
        shot(page, "phone_yearly", full_page=True)
    finally:
        context.close()


def test_yearly_from_a_village_view_shows_its_county(browser_page):
    page, base, _external = browser_page
    page.goto(f"{base}/yearly?region=431022101&period=2026-10")      # a township: 白石渡镇 in 宜章县
    page.wait_for_selector("#yearly-sentence", timeout=15000)
    assert page.inner_text("#view-title") == "宜章县2026年退役军人事务工作情况"
    assert "所属的宜章县" in page.inner_text(".page-message")
