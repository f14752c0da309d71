"""Shared python-docx pieces: an A4 document with Chinese fonts, 内部资料 in header and footer, the exporting
account and time faintly in the header (dashboard/exports/stamp.py), tables."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from dashboard.exports.stamp import Stamp, current_stamp

INTERNAL = "内部资料"
BODY_FONT, HEAD_FONT, LATIN_FONT = "仿宋", "黑体", "Times New Roman"   # what a bureau's Word has
STAMP_COLOR = "A6A6A6"                       # faint, as the desk pages' watermark


def set_font(run, east_asia: str = BODY_FONT, size: float | None = None, bold: bool | None = None,
             color: str | None = None) -> None:
    """python-docx sets only the Latin font; Chinese text needs w:eastAsia too."""
    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color.lstrip("#").upper())


def new_document(landscape: bool = False, stamp: Stamp | None = None):
    """A4 with 内部资料 at the top right of every page and in the footer, page numbers centred, and under
    内部资料 a faint line with the exporting account and time (`stamp`; default: the current viewer, now)."""
    stamp = stamp or current_stamp()
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = LATIN_FONT, Pt(12)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.4))
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_font(head.add_run(INTERNAL), HEAD_FONT, 11, True, "C00000")
    mark = section.header.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_font(mark.add_run(stamp.text), BODY_FONT, 8, color=STAMP_COLOR)
    doc.core_properties.author = doc.core_properties.last_modified_by = stamp.account
    doc.core_properties.comments = stamp.text
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(foot.add_run(f"{INTERNAL}　注意保管　第 "), BODY_FONT, 9)
    _page_field(foot)
    set_font(foot.add_run(" 页"), BODY_FONT, 9)
    return doc


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def heading(doc, text: str, size: float = 16, center: bool = False, font: str = HEAD_FONT):
    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run(text), font, size, True)
    p.paragraph_format.space_after = Pt(6)
    p.paragraph_format.keep_with_next = True          # a heading never ends a page
    return p


def paragraph(doc, text: str = "", size: float = 12, indent: bool = True, color: str | None = None):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)        # 首行缩进两字
    p.paragraph_format.line_spacing = 1.4
    if text:
        set_font(p.add_run(text), BODY_FONT, size, color=color)
    return p


def _shade(cell, hex_color: str) -> None:
    tcpr = cell._element.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_color.lstrip("#").upper())
    tcpr.append(shd)


def table(doc, header: list[str], rows: list[list], fills: dict[tuple[int, int], str] | None = None,
          widths_cm: list[float] | None = None, size: float = 10.5, bold_rows: set[int] | None = None):
    """A bordered table; fills[(row, col)] = '#d64541' colours a cell (row 0 = first data row)."""
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, text in enumerate(header):
        cell = t.rows[0].cells[j]
        cell.text = ""
        set_font(cell.paragraphs[0].add_run(str(text)), HEAD_FONT, size, True)
        _shade(cell, "DCE6F1")
    for i, row in enumerate(rows):
        cells = t.add_row().cells
        for j, value in enumerate(row):
            cell = cells[j]
            cell.text = ""
            color = (fills or {}).get((i, j))
            run = cell.paragraphs[0].add_run("" if value is None else str(value))
            set_font(run, BODY_FONT, size, bold=(bold_rows is not None and i in bold_rows) or bool(color),
                     color="FFFFFF" if color else None)
            if color:
                _shade(cell, color)
            if _numeric_text(value):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(t.rows[0])
    if widths_cm:
        t.autofit = False                  # Word and LibreOffice keep the given widths only without autofit
        for j, w in enumerate(widths_cm):
            t.columns[j].width = Cm(w)     # w:gridCol
            for row in t.rows:
                row.cells[j].width = Cm(w)
    return t


def _repeat_header(row) -> None:
    """The header row repeats on every page a long table runs over."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _numeric_text(value) -> bool:
    """Numbers and figures such as 7,667.00万元 / ▲1.2个百分点 sit on the right, as in a printed table."""
    if isinstance(value, (int, float)):
        return True
    first = str(value or "")[:1]
    return bool(first) and (first.isdigit() or first in "▲▼")


def to_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
