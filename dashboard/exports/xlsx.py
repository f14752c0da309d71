"""Generic Excel writer: named tables → one sheet each, with the header block a bureau's tables carry.

Each sheet: the table's title, a line with region / period / as-of date / generated time, "内部资料" in red
(also in the printed page header), a faint line naming the exporting account and the time (also in the
printed page header, dashboard/exports/stamp.py), then the table with a frozen header row, number formats per column
(万元, %, 件 …), the 红黄绿 status cells coloured as on screen and an optional highlighted row.
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from config.thresholds import STATUS_COLORS, STATUS_LABELS
from dashboard.exports.stamp import Stamp, current_stamp

INTERNAL = "内部资料"
STATUS_TEXT = {"abnormal": "数据异常", "unknown": "暂无数据", **STATUS_LABELS}   # "none" (no target): blank
HIGHLIGHT_COLOR = "FFF4CC"
HEADER_COLOR = "DCE6F1"
# unit -> Excel number format; percentages are kept as the page shows them (93.5 → "93.5%")
FORMATS = {
    "万元": "#,##0.00", "亿元": "#,##0.00", "元": "#,##0.00", "%": '0.0"%"', "件": "#,##0", "人": "#,##0",
    "个": "#,##0", "条": "#,##0", "人次": "#,##0", "笔": "#,##0", "天": "#,##0", "int": "#,##0",
    "0.0": "#,##0.0", "0.00": "#,##0.00", "件/万人": "#,##0.0", "人/站": "#,##0.0", "条/千笔": "#,##0.00",
}
TEXT_UNITS = {"int", "0.0", "0.00"}          # formats that are not units: nothing added to the header
HEADER_ROW = 4                               # the table's header row (rows 1-3: title, facts, exported by)
STAMP_ROW = 3
STAMP_COLOR = "A6A6A6"                       # faint, as the desk pages' watermark
MAX_WIDTH = 60


@dataclass
class Table:
    """One sheet: a DataFrame whose column names are the Chinese headers."""
    name: str                                     # sheet name (Chinese; cut to 31 characters)
    frame: pd.DataFrame
    units: dict[str, str] = field(default_factory=dict)   # column -> unit/format key of FORMATS
    status_column: str | None = None              # column holding 'green'|'amber'|'red'|'none'|'abnormal'
    highlight: int | None = None                  # row position (0-based) to highlight, e.g. the region itself
    title: str | None = None                      # heading above the table (defaults to name)
    note: str | None = None                       # a line under the table (口径, cut-off of a list)
    unit_column: str | None = None                # column giving each row's unit (a KPI table mixes % and 件)


@dataclass
class Header:
    """What every sheet states above its table."""
    region: str
    period: str
    as_of: date
    generated: datetime | None = None
    source: str = ""                              # e.g. "资金发放" (the page the table comes from)


def text_width(value) -> int:
    """Display width in Excel character units: CJK and full-width characters count 2."""
    s = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def sheet_name(name: str, taken: set[str]) -> str:
    """Excel rules: ≤31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "·", name).strip() or "表"
    base = base[:31]
    out, n = base, 2
    while out in taken:
        suffix = f"({n})"
        out, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(out)
    return out


def _fill(hex_color: str) -> PatternFill:
    color = hex_color.lstrip("#").upper()
    return PatternFill("solid", start_color=color, end_color=color)


def status_fill(status: str) -> PatternFill:
    return _fill(STATUS_COLORS.get(status, STATUS_COLORS["none"]))


def header_text(column: str, unit: str | None) -> str:
    if not unit or unit in TEXT_UNITS or unit in column:
        return column
    return f"{column}（{unit}）"


def _cell_value(v):
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    if pd.api.types.is_scalar(v) and pd.isna(v):
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):      # numpy scalars
        return v.item()
    return v


def write_sheet(ws, table: Table, header: Header, stamp: Stamp | None = None) -> None:
    """One table on its sheet; `stamp` (default: the current viewer, now) names who exported it."""
    stamp = stamp or current_stamp()
    columns = list(table.frame.columns)
    ncol = max(len(columns), 1)
    generated = header.generated or datetime.now()
    ws["A1"] = table.title or table.name
    ws["A1"].font = Font(bold=True, size=14)
    facts = (f"区划：{header.region}　期间：{header.period}　数据截至：{header.as_of.year}年{header.as_of.month}月"
             f"{header.as_of.day}日　生成时间：{generated:%Y-%m-%d %H:%M}"
             + (f"　来源：{header.source}" if header.source else ""))
    mark_col = max(ncol, 2)
    mark = ws.cell(row=1, column=mark_col, value=INTERNAL)
    mark.font = Font(bold=True, color="C00000", size=12)
    mark.alignment = Alignment(horizontal="right")

    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    widths = [text_width(header_text(c, table.units.get(c))) for c in columns]
    for j, column in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=header_text(column, table.units.get(column)))
        cell.font = Font(bold=True)
        cell.fill = _fill(HEADER_COLOR)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border

    status_col = columns.index(table.status_column) if table.status_column in columns else None
    for i, row in enumerate(table.frame.itertuples(index=False, name=None)):
        r = HEADER_ROW + 1 + i
        highlighted = table.highlight is not None and i == table.highlight
        for j, raw in enumerate(row):
            column = columns[j]
            value = _cell_value(raw)
            if j == status_col:
                label = STATUS_TEXT.get(value, str(value)) if value else ""
                status = value if label else ""            # None, "" or "none" (no target): blank, no colour
                value = label or None
            cell = ws.cell(row=r, column=j + 1, value=value)
            cell.border = border
            unit = table.units.get(column)
            if unit is None and table.unit_column in columns and column != table.unit_column:
                unit = _cell_value(row[columns.index(table.unit_column)])
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.number_format = FORMATS.get(unit, "#,##0.##" if isinstance(value, float) else "#,##0")
                shown = cell.number_format.count("0") + len(f"{abs(value):,.0f}")
            else:
                shown = text_width(value)
            widths[j] = max(widths[j], shown)
            if highlighted:
                cell.fill = _fill(HIGHLIGHT_COLOR)
                cell.font = Font(bold=True)
            if isinstance(value, str) and text_width(value) > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if j == status_col and status:
                cell.fill = status_fill(status)
                cell.font = Font(bold=True, color="FFFFFF")
                cell.alignment = Alignment(horizontal="center")
    if table.frame.empty:
        ws.cell(row=HEADER_ROW + 1, column=1, value="无数据")
    last = HEADER_ROW + max(len(table.frame), 1)
    sizes = [min(max(width + 2, 8), MAX_WIDTH) for width in widths] or [MAX_WIDTH]
    for j, size in enumerate(sizes, start=1):
        ws.column_dimensions[get_column_letter(j)].width = size
    _wide_text(ws, 2, facts, sizes)
    _wide_text(ws, STAMP_ROW, stamp.text, sizes)
    ws.cell(row=STAMP_ROW, column=1).font = Font(size=9, color=STAMP_COLOR)
    if table.note:
        _wide_text(ws, last + 2, table.note, sizes)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True          # printed: all columns on the page width
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.oddHeader.right.text = INTERNAL
    ws.oddHeader.left.text = stamp.text.replace("&", "&&")       # & starts a header code (&P, &N …)
    ws.oddHeader.left.size, ws.oddHeader.left.color = 8, STAMP_COLOR
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _wide_text(ws, row: int, text: str, sizes: list[float]) -> None:
    """A line of text across the table's width, wrapped (so the printed page is no wider than the table)."""
    cell = ws.cell(row=row, column=1, value=text)
    cell.font = Font(size=10, color="555555")
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    span = max(len(sizes), 1)
    if span > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    lines = -(-text_width(text) // max(int(sum(sizes)) - 2, 10))      # merged cells do not grow by themselves
    ws.row_dimensions[row].height = 14 * max(lines, 1)


def write_workbook(tables: list[Table], header: Header, stamp: Stamp | None = None) -> bytes:
    """The .xlsx file as bytes: one sheet per table, in order; every sheet names the exporting account."""
    stamp = stamp or current_stamp()
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for table in tables or [Table("无数据", pd.DataFrame({"说明": ["本页没有可导出的表格"]}))]:
        write_sheet(wb.create_sheet(sheet_name(table.name, taken)), table, header, stamp)
    wb.properties.title = f"{header.region} {header.period}"
    wb.properties.keywords = INTERNAL
    wb.properties.creator = wb.properties.lastModifiedBy = stamp.account
    wb.properties.description = stamp.text
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
