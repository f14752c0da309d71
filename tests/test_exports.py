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
