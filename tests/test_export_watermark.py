"""Every export names the exporting account and the time (as the desk pages' watermark does): the .xlsx in a
faint line above each table, in the printed page header and in the file's properties; the .docx in a faint
line in the page header and in its properties; the audit log's Excel in its printed header."""
from __future__ import annotations

import io
import re
from datetime import date, datetime

import pandas as pd
from docx import Document
from openpyxl import load_workbook

from dashboard.auth import accounts
from dashboard.auth.accounts import CONSOLE
from dashboard.auth.config import load_rules
from dashboard.exports import jobs
from dashboard.exports import docx_common as d
from dashboard.exports.stamp import Stamp
from dashboard.exports.xlsx import Header, Table, write_workbook
from tests.auth_support import PASSWORD, required_app, sign_in  # noqa: F401  (fixture)

STAMP = Stamp("zhang-san", "张三", datetime(2026, 12, 3, 9, 41, 27))
LINE = "导出人：zhang-san（张三）　导出时间：2026-12-03 09:41"
HEADER = Header(region="郴州市", period="2026年11月", as_of=date(2026, 12, 3), source="总览")
EXPORTER, EXPORTER_NAME = "t-exporter", "王导出"
TIME = re.compile(r"导出时间：(\d{4}-\d{2}-\d{2} \d{2}:\d{2})")


def _header_texts(doc) -> list[str]:
    return [p.text for p in doc.sections[0].header.paragraphs]


def _stamped_between(text: str, before: datetime, after: datetime) -> bool:
    """The stamp's minute lies between the request's start and end (minute resolution)."""
    at = datetime.strptime(TIME.search(text).group(1), "%Y-%m-%d %H:%M")
    return before.replace(second=0, microsecond=0) <= at <= after


def test_workbook_names_account_and_time_on_every_sheet():
    frame = pd.DataFrame({"区划": ["北湖区"], "覆盖率": [98.2]})
    wb = load_workbook(io.BytesIO(write_workbook([Table("甲表", frame), Table("乙表", frame)], HEADER, STAMP)))
    for ws in wb.worksheets:
        assert ws["A3"].value == LINE
        assert ws["A3"].font.color.rgb.endswith("A6A6A6")                   # faint grey, not the body's black
        assert ws.oddHeader.left.text == LINE and ws.oddHeader.right.text == "内部资料"
        assert [c.value for c in ws[4]] == ["区划", "覆盖率"]                 # the table still starts at row 4
    assert wb.properties.creator == "zhang-san" and wb.properties.description == LINE


def test_ampersand_in_account_is_escaped_in_the_printed_header():
    stamp = Stamp("R&D", "", datetime(2026, 12, 3, 9, 41))
    ws = load_workbook(io.BytesIO(write_workbook([Table("表", pd.DataFrame({"a": [1]}))], HEADER, stamp))).active
    assert ws["A3"].value == "导出人：R&D　导出时间：2026-12-03 09:41"
    assert ws.oddHeader.left.text == "导出人：R&&D　导出时间：2026-12-03 09:41"     # && prints one &


def test_document_header_names_account_and_time():
    doc = d.new_document(stamp=STAMP)
    d.paragraph(doc, "正文")
    back = Document(io.BytesIO(d.to_bytes(doc)))
    texts = _header_texts(back)
    assert texts == ["内部资料", LINE]
    run = back.sections[0].header.paragraphs[1].runs[0]
    assert str(run.font.color.rgb) == "A6A6A6" and run.font.size.pt == 8
    assert back.core_properties.author == "zhang-san" and back.core_properties.comments == LINE


def test_outside_a_request_the_command_line_is_named():
    doc = Document(io.BytesIO(d.to_bytes(d.new_document())))
    assert _header_texts(doc)[1].startswith("导出人：命令行　导出时间：")


def _exporter(engine) -> None:
    if accounts.get(engine, EXPORTER) is None:
        accounts.add(engine, CONSOLE, load_rules(), EXPORTER, EXPORTER_NAME, "staff", "431022", "4310",
                     password=PASSWORD, must_change=False)


def test_signed_in_download_names_the_viewer(required_app):
    app, engine = required_app
    _exporter(engine)
    client = app.server.test_client()
    sign_in(client, EXPORTER)
    before = datetime.now()
    resp = client.get("/export/funds.xlsx?region=431022&period=2026-10")
    after = datetime.now()
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data))
    assert len(wb.worksheets) >= 2
    for ws in wb.worksheets:
        line = ws["A3"].value
        assert line.startswith(f"导出人：{EXPORTER}（{EXPORTER_NAME}）　导出时间：") and _stamped_between(line, before, after)
        assert ws.oddHeader.left.text == line
    assert wb.properties.creator == EXPORTER


def test_background_word_export_keeps_the_viewer_who_asked(required_app, tmp_path):
    """The job runs in another thread (no request there): the stamp is taken when the person asks."""
    app, engine = required_app
    _exporter(engine)
    client = app.server.test_client()
    sign_in(client, EXPORTER)
    jobs.set_runner(jobs.JobRunner(jobs.JobStore(tmp_path / "exports")))
    try:
        before = datetime.now()
        started = client.post("/export/jobs/yearly.docx?region=431022&period=2025")
        assert started.status_code == 202
        job_id = started.get_json()["id"]
        assert jobs.runner().wait(job_id)["status"] == "done"
        after = datetime.now()
        doc = Document(io.BytesIO(client.get(f"/export/jobs/{job_id}/file").data))
    finally:
        jobs.set_runner(None)
    line = _header_texts(doc)[1]
    assert line.startswith(f"导出人：{EXPORTER}（{EXPORTER_NAME}）　导出时间：") and _stamped_between(line, before, after)
    assert doc.core_properties.author == EXPORTER


def test_audit_download_names_the_auditor(required_app):
    app, _ = required_app
    client = app.server.test_client()
    sign_in(client, "t-auditor")
    before = datetime.now()
    resp = client.get("/audit.xlsx?account=t-leader")
    after = datetime.now()
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data))
    header = wb.active.oddHeader.left.text
    assert header.startswith("导出人：t-auditor　导出时间：") and _stamped_between(header, before, after)
    assert wb.properties.creator == "t-auditor"
