"""Exports: open the produced .xlsx / .docx and check what a reader gets (headers, numbers, colours, 内部资料)."""
from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
from openpyxl import load_workbook

from dashboard.exports.xlsx import Header, Table, sheet_name, text_width, write_workbook

HEADER = Header(region="郴州市", period="2026年11月", as_of=date(2026, 12, 3),
                generated=datetime(2026, 12, 3, 9, 30), source="总览")


def _wb(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_xlsx_writer_sheets_headers_formats_colours():
    frame = pd.DataFrame({"区划": ["北湖区", "宜章县", "合计"], "覆盖率": [98.25, 71.0, None],
                          "发放额": [7667.0, 841.5, 8508.5], "状态": ["green", "red", "abnormal"]})
    other = pd.DataFrame({"编号": ["A***1"], "超期天数": [12]})
    data = write_workbook([Table("各县覆盖率", frame, units={"覆盖率": "%", "发放额": "万元"},
                                 status_column="状态", highlight=2),
                           Table("超期未办结信访件", other, units={"超期天数": "天"})], HEADER)
    wb = _wb(data)
    assert wb.sheetnames == ["各县覆盖率", "超期未办结信访件"]
    ws = wb["各县覆盖率"]
    assert ws["A1"].value == "各县覆盖率"
    assert "郴州市" in ws["A2"].value and "2026年11月" in ws["A2"].value and "2026年12月3日" in ws["A2"].value
    assert any(c.value == "内部资料" for c in ws[1]) and ws.oddHeader.right.text == "内部资料"
    assert [c.value for c in ws[4]] == ["区划", "覆盖率（%）", "发放额（万元）", "状态"]
    assert ws.freeze_panes == "A5"
    assert ws["B5"].value == 98.25 and ws["B5"].number_format == '0.0"%"'
    assert ws["C6"].value == 841.5 and ws["C6"].number_format == "#,##0.00"
    assert ws["B7"].value is None                                  # missing stays empty, not 0
    assert ws["D5"].value == "达标" and ws["D5"].fill.start_color.rgb.endswith("2E9D5B")
    assert ws["D6"].value == "预警" and ws["D6"].fill.start_color.rgb.endswith("D64541")
    assert ws["D7"].value == "数据异常"
    assert ws["A7"].fill.start_color.rgb.endswith("FFF4CC") and ws["A7"].font.bold      # highlighted row
    assert ws["A5"].fill.fill_type is None
    # widths fitted to Chinese: 超期未办结信访件 is 16 wide
    assert wb["超期未办结信访件"].column_dimensions["A"].width >= 8
    assert ws.column_dimensions["C"].width >= text_width("发放额（万元）")


def test_sheet_names_follow_excel_rules():
    taken: set[str] = set()
    assert sheet_name("资金/发放:明细", taken) == "资金·发放·明细"
    long = "很" * 40
    assert sheet_name(long, taken) == "很" * 31
    assert sheet_name(long, taken) == "很" * 28 + "(2)"
    assert text_width("宜章县ab") == 8


# ------------------------------------------------------------------------------------ page downloads
import pytest  # noqa: E402

from tests.browser import get_app  # noqa: E402

PAGES = ["overview", "network", "placement", "funds", "petitions"]


@pytest.fixture(scope="module")
def client(live_db_url):
    return get_app(live_db_url).server.test_client()


def _rows(ws, start=5):
    return [r for r in ws.iter_rows(min_row=start, values_only=True)]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_downloads_with_header_block(client, page):
    resp = client.get(f"/export/{page}.xlsx?region=431022&period=2026-10")
    assert resp.status_code == 200
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    assert "filename*=UTF-8''" in resp.headers["Content-Disposition"]
    wb = _wb(resp.data)
    assert len(wb.sheetnames) >= 2
    for ws in wb.worksheets:
        assert "区划：宜章县" in ws["A2"].value and "2026年10月" in ws["A2"].value
        assert "数据截至：2026年11月23日" in ws["A2"].value
        assert any(c.value == "内部资料" for c in ws[1])
        assert ws.freeze_panes == "A5"


def test_funds_children_values_and_colours_equal_the_page(client):
    from dashboard.context import get_context
    from dashboard.funds.model import build_funds_model
    model = build_funds_model(get_context(), "4310", "2026-10", "execution")
    wb = _wb(client.get("/export/funds.xlsx?region=4310&period=2026-10&metric=execution").data)
    ws = wb["各县(市、区)资金执行率"]
    assert [c.value for c in ws[4]] == ["区划代码", "名称", "资金执行率（%）", "状态", "说明"]
    got = {r[1]: (r[2], r[3]) for r in _rows(ws) if r[1]}
    assert set(got) == {"北湖区", "宜章县"}
    for rec in model.children.to_dict("records"):
        assert got[rec["name"]][0] == pytest.approx(rec["value"])
    colours = {"达标": "2E9D5B", "关注": "E0A100", "预警": "D64541"}
    for row in ws.iter_rows(min_row=5, max_row=6):
        assert row[3].fill.start_color.rgb.endswith(colours[row[3].value])
    assert ws["C5"].number_format == '0.0"%"'
    audit = wb["审计异常线索"]
    last = audit.max_row - 2 if audit.cell(audit.max_row, 1).value.startswith("重复发放") else audit.max_row
    assert audit.cell(last, 1).value == "合计"
    assert audit.cell(last, 1).fill.start_color.rgb.endswith("FFF4CC")          # the highlighted total row
    assert audit.cell(last, 6).value == sum(c.total for c in model.audit.checks)


def test_overdue_petitions_list_equals_the_page(client):
    from dashboard.context import get_context
    from dashboard.petitions.model import build_petitions_model
    model = build_petitions_model(get_context(), "4310", None, None)
    assert model.overdue, "the fixture must have overdue petitions for this test to mean something"
    ws = _wb(client.get("/export/petitions.xlsx?region=4310").data)["超期未办结信访件"]
    assert [c.value for c in ws[4]] == ["编号", "收到日期", "乡镇 · 村(社区)", "问题类别", "渠道", "超期天数", "已延期"]
    rows = [r for r in _rows(ws) if r[0] and r[5] is not None]
    assert len(rows) == len(model.overdue)
    assert [r[5] for r in rows] == [o["days_overdue"] for o in model.overdue]
    first = model.overdue[0]["received_day"]
    assert rows[0][1] == f"{first // 10000}年{first // 100 % 100}月{first % 100}日"


@pytest.mark.parametrize("query, words", [
    ("/export/funds.xlsx?region=4301", "不在您的查看范围"),
    ("/export/funds.xlsx?region=12ab", "区划"),
    ("/export/overview.xlsx?period=2026-13", "不存在"),
    ("/export/overview.xlsx?metric=%3Cscript%3E", "无法识别"),
    ("/export/nothing.xlsx", "没有名为"),
])
def test_bad_input_is_a_400_in_chinese(client, query, words):
    resp = client.get(query)
    assert resp.status_code == 400
    assert words in resp.get_data(as_text=True)


def test_register_table_export_adds_a_download(client):
    from dashboard.exports.page_tables import PageTables
    from dashboard.exports.routes import register_table_export

    def demo(ctx, region, period, metric):
        return PageTables("排名", ctx.tree.resolve(region).name, "测试期", [Table("各县排名", pd.DataFrame({"名次": [1]}))])

    register_table_export("test-rankings", demo)
    wb = _wb(client.get("/export/test-rankings.xlsx?region=431022").data)
    assert wb.sheetnames == ["各县排名"] and "宜章县" in wb["各县排名"]["A2"].value


# ------------------------------------------------------------------------------------ Word brief
def test_word_brief_has_kpis_flags_narrative_images_and_marking(live_db_url):
    from docx import Document
    from docx.oxml.ns import qn

    from dashboard.context import get_context
    from dashboard.exports.charts import figure_png
    from dashboard.exports.docx_brief import Brief, BriefFlag, BriefImage, BriefKpi, write_brief
    from dashboard.figures import ranked_bars, status_choropleth
    from dashboard.overview_model import build_overview

    get_app(live_db_url)
    model = build_overview(get_context(), "4310", "2026-W47", "coverage")
    bars = figure_png(ranked_bars(model.children, "服务站覆盖率 · 各县(市、区)", "%"))
    mapped = figure_png(status_choropleth(model.children, "/assets/geo/hunan_counties.geojson", "覆盖率"))
    brief = Brief(title="郴州市退役军人事务工作周报", region="郴州市", period_label=model.period.label,
                  as_of=date(2026, 11, 23), data_version="2026-11-23",
                  kpis=[BriefKpi("就业率", "93.1%", "▲0.8个百分点", "▼1.2个百分点", "green"),
                        BriefKpi("信访量", "36件", "▲12件", "持平", None)],
                  flags=[BriefFlag("宜章县", "资金执行率", "71.0%", "red", "落后序时进度20.7个百分点")],
                  narrative=["本周全市共收到信访36件。", "宜章县资金执行率落后序时进度。"],
                  images=[BriefImage(bars, "各县服务站覆盖率"), BriefImage(mapped, "覆盖率地图")])
    doc = Document(io.BytesIO(write_brief(brief)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "郴州市退役军人事务工作周报" in text and model.period.label in text
    assert "一、总体情况" in text and "二、主要指标" in text and "三、预警事项" in text and "四、图表" in text
    assert "本周全市共收到信访36件。" in text and "图1　各县服务站覆盖率" in text
    assert doc.sections[0].header.paragraphs[0].text == "内部资料"
    assert "内部资料" in doc.sections[0].footer.paragraphs[0].text
    kpi_rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert kpi_rows[0] == ["指标", "本期", "较上期", "较去年同期", "状态", "说明"]
    assert kpi_rows[1][:5] == ["就业率", "93.1%", "▲0.8个百分点", "▼1.2个百分点", "达标"]
    flag_cell = doc.tables[1].rows[1].cells[3]
    assert flag_cell.text == "预警"
    assert flag_cell._element.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "D64541"
    assert len(doc.inline_shapes) == 2
    pictures = [p for p in doc.part.package.parts if p.content_type == "image/png"]
    assert len(pictures) == 2 and all(p.blob[:8] == b"\x89PNG\r\n\x1a\n" for p in pictures)
    assert all(len(p.blob) > 10_000 for p in pictures)             # a drawn chart, not an empty frame


# ------------------------------------------------------------------------------------ background jobs
def test_background_job_progress_and_download(client, tmp_path):
    import threading
    import time as _time

    from dashboard.exports import jobs

    jobs.set_runner(jobs.JobRunner(jobs.JobStore(tmp_path / "exports")))
    try:
        resp = client.post("/export/jobs/funds.xlsx?region=431022&period=2026-10")
        assert resp.status_code == 202
        job_id = resp.get_json()["id"]
        status = jobs.runner().wait(job_id, 30)
        assert status["status"] == "done" and status["progress"] == 100
        polled = client.get(f"/export/jobs/{job_id}").get_json()
        assert polled["file_url"] == f"/export/jobs/{job_id}/file" and polled["filename"] == "宜章县_资金发放_2026年10月.xlsx"
        direct = _wb(client.get("/export/funds.xlsx?region=431022&period=2026-10").data)
        queued = _wb(client.get(polled["file_url"]).data)
        assert queued.sheetnames == direct.sheetnames
        assert queued["主要指标"]["E5"].value == direct["主要指标"]["E5"].value

        # a slow job holds a pool thread, not the request: other requests answer meanwhile
        gate = threading.Event()

        def slow():
            jobs.report_progress(40, "绘制图表 2/5")
            gate.wait(10)
            return b"x", "慢.docx", "application/octet-stream"

        slow_id = jobs.runner().submit("slow", slow)
        deadline = _time.monotonic() + 5
        while jobs.runner().store.read(slow_id)["progress"] != 40 and _time.monotonic() < deadline:
            _time.sleep(0.02)
        mid = client.get(f"/export/jobs/{slow_id}").get_json()
        assert (mid["status"], mid["progress"], mid["message"]) == ("running", 40, "绘制图表 2/5")
        assert client.get(f"/export/jobs/{slow_id}/file").status_code == 409
        assert client.get("/export/overview.xlsx?region=431022").status_code == 200     # not blocked
        gate.set()
        assert jobs.runner().wait(slow_id, 10)["status"] == "done"
    finally:
        jobs.set_runner(None)


def test_background_job_bad_input_and_unknown_ids(client, tmp_path):
    from dashboard.exports import jobs

    jobs.set_runner(jobs.JobRunner(jobs.JobStore(tmp_path / "exports")))
    try:
        bad = client.post("/export/jobs/funds.xlsx?region=4301")
        assert bad.status_code == 400 and "不在您的查看范围" in bad.get_data(as_text=True)
        assert client.post("/export/jobs/funds.pdf").status_code == 400
        missing = client.get("/export/jobs/" + "0" * 32)
        assert missing.status_code == 404 and "不存在" in missing.get_json()["message"]
        assert client.get("/export/jobs/..secret/file").status_code == 404          # ids are 32 hex digits only
        failing = jobs.runner().submit("boom", lambda: 1 / 0)
        status = jobs.runner().wait(failing, 10)
        assert status["status"] == "error" and status["message"] == "导出出错，详情已记入服务器日志。"
    finally:
        jobs.set_runner(None)


def test_rankings_workbook_lists_every_ranked_unit(client):
    from dashboard.context import get_context
    from dashboard.rankings.build import build_rankings
    view = build_rankings(get_context(), "4310", "2026-10", "coverage", None)
    ws = _wb(client.get("/export/rankings.xlsx?region=4310&period=2026-10&metric=coverage").data)["排名-服务站覆盖率"]
    assert [c.value for c in ws[4]][:5] == ["名次", "并列", "县(市、区)", "服务站覆盖率（%）", "状态"]
    got = [(r[0], r[2], r[3]) for r in _rows(ws) if r[2]]
    assert [(r.rank, r.unit.name) for r in view.rows] == [(g[0], g[1]) for g in got]
    assert [g[2] for g in got] == pytest.approx([r.value for r in view.rows])
