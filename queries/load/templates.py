"""`vetdash template DIR`: one .xlsx and one .csv per source table, and reading them back.

Layout of every file (the loader relies on it):
  row 1  Chinese headers (* = required)
  row 2  column names — the loader matches columns by this row, so columns may be reordered
  row 3  "#说明" row: type, allowed values, notes          (rows whose first cell starts with # are skipped)
  row 4  "#示例" row: one example row
  row 5… the data
"""
from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from queries.load.specs import ORDER, SPECS, Col, TableSpec

KIND_TEXT = {"id": "整数编号", "ref": "整数编号", "int": "整数", "code": "区划代码", "date": "日期 YYYY-MM-DD",
             "month": "月份 YYYYMM", "money": "金额(元), ≥0, 最多2位小数", "bool": "是/否", "enum": "取值之一",
             "text": "文本"}
COMMENT = "#"
HEADER_ROWS = 2


class TemplateError(ValueError):
    """A file that cannot be read as a template (message in Chinese)."""


def describe(spec: TableSpec, col: Col) -> str:
    """The 说明 cell of a column: type, allowed values, notes."""
    empty = (", 空着为否" if col.kind == "bool" and col.default is False
             else ", 空着为0" if col.kind == "int" and col.default == 0 else ", 可空")
    parts = [KIND_TEXT[col.kind] + ("" if col.required else empty)]
    if col.kind == "enum":
        parts.append("/".join(col.values))
    if col.kind == "int" and col.lo is not None and col.hi is not None:
        parts.append(f"{col.lo}–{col.hi}")
    elif col.kind == "int" and col.lo is not None:
        parts.append(f"≥{col.lo}")
    if col.kind == "date" and col.event:
        parts.append("不晚于数据截至日期")
    if col.level == 3:
        parts.append("县级")
    if col.name in spec.key:
        parts.append(f"源记录编号({spec.key_label}), 重复装载据此更新")
    if col.note:
        parts.append(col.note)
    return "; ".join(parts)


def header_rows(spec: TableSpec) -> list[list[str]]:
    labels = [c.label + ("*" if c.required else "") for c in spec.columns]
    names = [c.name for c in spec.columns]
    notes = [describe(spec, c) for c in spec.columns]
    notes[0] = COMMENT + "说明: " + notes[0]
    example = [str(spec.example.get(c.name, "")) for c in spec.columns]
    example[0] = COMMENT + "示例: " + example[0]
    return [labels, names, notes, example]


def write_templates(out_dir: str | Path) -> list[Path]:
    """Write <table>.xlsx and <table>.csv for every source table; returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ORDER:
        spec = SPECS[name]
        rows = header_rows(spec)
        csv_path = out / f"{name}.csv"
        with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:     # BOM: Excel opens it as UTF-8
            csv.writer(fh).writerows(rows)
        xlsx_path = out / f"{name}.xlsx"
        _write_xlsx(spec, rows, xlsx_path)
        written += [xlsx_path, csv_path]
    readme = out / "说明.txt"
    readme.write_text(_readme(), encoding="utf-8")
    written.append(readme)
    return written


def _readme() -> str:
    lines = ["驾驶舱数据导入模板 (vetdash template 生成)", "",
             "每张表一个文件, .xlsx 与 .csv 任选其一填写, 同一目录下同一张表只保留一个文件;",
             "第1行中文表头(*为必填), 第2行列名(装载按列名对应), 以 # 开头的行(说明、示例)装载时跳过。",
             "填好后: vetdash load 目录 [--as-of YYYY-MM-DD]; 不合格的行写入 rejects.xlsx / rejects.csv。", "",
             "文件            表名                      源记录编号(重复装载据此更新)"]
    for name in ORDER:
        spec = SPECS[name]
        lines.append(f"{name:<18}{spec.title:<24}{spec.key_label}")
    return "\n".join(lines) + "\n"


def _write_xlsx(spec: TableSpec, rows: list[list[str]], path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    for row in rows:
        ws.append(row)
    bold, grey = Font(bold=True), Font(color="808080", italic=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    for r in (2, 3, 4):
        for cell in ws[r]:
            cell.font = grey
            cell.alignment = Alignment(wrap_text=r == 3, vertical="top")
    for i, col in enumerate(spec.columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(18, min(40, len(col.label) * 2 + 4))
        if col.kind in ("enum", "bool"):
            dv = DataValidation(type="list", formula1='"' + ",".join(col.values) + '"', allow_blank=not col.required,
                                showErrorMessage=True, errorTitle="取值不在允许范围",
                                error="请从下拉列表中选择: " + "/".join(col.values))
            dv.add(f"{letter}5:{letter}100000")
            ws.add_data_validation(dv)
    ws.row_dimensions[3].height = 96            # the wrapped 说明 row: Excel does not size it by itself
    ws.freeze_panes = "A3"
    info = wb.create_sheet("说明")
    info.append([f"{spec.title} ({spec.table})"])
    info.append([f"源记录编号: {spec.key_label} ({', '.join(spec.key)}) — 同一编号再次装载时更新该行, 不会重复"])
    for rule in spec.rules:
        info.append(["规则: " + rule])
    info.append([])
    info.append(["列名", "中文名", "必填", "类型与允许值"])
    for col in spec.columns:
        info.append([col.name, col.label, "是" if col.required else "否", describe(spec, col)])
    info.column_dimensions["A"].width = 20
    info.column_dimensions["B"].width = 24
    info.column_dimensions["D"].width = 90
    wb.save(path)


# ------------------------------------------------------------------------------------ reading
def find_files(in_dir: str | Path) -> dict[str, Path]:
    """{table: file} for the template files present in a directory (one per table)."""
    folder = Path(in_dir)
    if not folder.is_dir():
        raise TemplateError(f"目录“{folder}”不存在")
    found: dict[str, Path] = {}
    for name in ORDER:
        paths = [p for p in (folder / f"{name}.xlsx", folder / f"{name}.csv") if p.exists()]
        if len(paths) > 1:
            raise TemplateError(f"表 {name}({SPECS[name].title}) 同时有 .xlsx 和 .csv 文件, 请只保留填好的一个")
        if paths:
            found[name] = paths[0]
    return found


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, list]]]:
    """(column names from row 2, [(row number in the file, cells)]) without comment and empty rows."""
    if path.suffix == ".xlsx":
        raw = _xlsx_rows(path)
    else:
        raw = _csv_rows(path)
    if len(raw) < HEADER_ROWS:
        raise TemplateError(f"文件“{path.name}”缺少表头: 第2行应为列名")
    names = [str(v).strip() if v is not None else "" for v in raw[1]]
    rows = []
    for number, cells in enumerate(raw[HEADER_ROWS:], start=HEADER_ROWS + 1):
        if not any(_filled(v) for v in cells):
            continue
        if cells and isinstance(cells[0], str) and cells[0].lstrip().startswith(COMMENT):
            continue
        rows.append((number, list(cells)))
    return names, rows


def _filled(v) -> bool:
    return v is not None and not (isinstance(v, str) and not v.strip())


def _xlsx_rows(path: Path) -> list[list]:
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:                                 # noqa: BLE001 — any unreadable workbook
        raise TemplateError(f"无法读取 Excel 文件“{path.name}”: {exc}") from None
    try:
        ws = wb["数据"] if "数据" in wb.sheetnames else wb.worksheets[0]
        return [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _cell(v):
    if isinstance(v, datetime):
        return v.date()
    return v


def _csv_rows(path: Path) -> list[list]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):                # Excel on Chinese Windows saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TemplateError(f"文件“{path.name}”编码无法识别: 请另存为 UTF-8 CSV")
    return list(csv.reader(io.StringIO(text, newline="")))
