"""`vetdash load DIR`: read the template files, validate, upsert, write rejects, set meta, refresh.

All valid rows of one load are written in one transaction (all or nothing); invalid rows go to
rejects.xlsx / rejects.csv with the row, the column and a Chinese reason. meta.data_version is an
integer bumped whenever the load changed anything, so the app can tell its cached pages are stale.
"""
from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, select
from tqdm import tqdm

from queries import codes, schema
from queries.load.specs import AS_OF_TABLES, FRESHNESS, ORDER, SPECS
from queries.load.templates import TemplateError, find_files, read_rows
from queries.load.upsert import Counts, upsert
from queries.load.validate import Context, Lookup, Reject, validate_table
from queries.periods import from_day_key

REJECT_COLUMNS = ["表", "表名", "文件", "行号", "列", "列名", "值", "原因", "说明"]


@dataclass
class TableResult:
    read: int = 0
    valid: int = 0
    rejected_rows: int = 0
    counts: Counts = field(default_factory=Counts)


@dataclass
class LoadResult:
    tables: dict[str, TableResult]
    rejects: list[Reject]
    as_of: date
    data_version: int
    changed: bool
    refreshed: bool
    rejects_files: list[Path]

    def reasons(self) -> dict[tuple[str, str], int]:
        """(table, reason) -> number of rejected cells."""
        out: dict[tuple[str, str], int] = {}
        for r in self.rejects:
            out[(r.table, r.reason)] = out.get((r.table, r.reason), 0) + 1
        return out


def load_dir(engine, in_dir: str | Path, as_of: date | None = None, root: str | None = None,
             rejects_dir: str | Path | None = None, progress: bool = True, refresh_rollups: bool = True) -> LoadResult:
    """Load every template file found in in_dir; see the module docstring."""
    files = find_files(in_dir)
    if not files:
        raise TemplateError(f"目录“{in_dir}”中没有模板文件(如 payment.xlsx 或 payment.csv); 先运行 vetdash template")
    sheets = {name: read_rows(path) for name, path in files.items()}
    limit = as_of or date.today()
    results = {name: TableResult(read=len(sheets[name][1])) for name in files}
    rejects: list[Reject] = []
    schema.create_all(engine)                          # a fresh database: the tables exist after the first load
    with engine.begin() as conn:
        ctx = Context(Lookup(conn), limit)
        valid: dict[str, list[dict]] = {}
        total = sum(r.read for r in results.values())
        with _bar(progress, "校验", total, "行") as bar:
            for name in (n for n in ORDER if n in files):
                names, rows = sheets[name]
                valid[name], bad = validate_table(SPECS[name], files[name].name, names, rows, ctx, bar.update)
                sheets[name] = None                      # the raw cells of valid rows are no longer needed
                rejects += bad
                results[name].valid = len(valid[name])
                results[name].rejected_rows = len({r.row for r in bad})
        with _bar(progress, "写入", sum(len(v) for v in valid.values()), "行") as bar:
            for name, rows in valid.items():
                results[name].counts = upsert(conn, name, rows, bar.update)
        changed = any(r.counts.changed for r in results.values())
        meta = _meta(conn)
        new_as_of = as_of or _default_as_of(conn, limit, meta)
        new_root = _root(root, ctx, meta)
        changed = changed or meta.get("as_of") != new_as_of.isoformat() or meta.get("root") != new_root
        # the refresh bumps data_version itself (queries/meta.py); without one, the load does
        version = int(meta.get("data_version") or 0) + (1 if changed and not refresh_rollups else 0)
        _set_meta(conn, meta, {"as_of": new_as_of.isoformat(), "data_version": str(version),
                               **({"root": new_root} if new_root else {})})
    files_written = write_rejects(rejects, Path(rejects_dir or in_dir), files)
    refreshed = False
    if refresh_rollups and (changed or meta.get("refreshed_version") != str(version)):
        from queries.refresh import ROLLUPS, refresh
        with _bar(progress, "刷新汇总表", len(ROLLUPS), "表") as bar:
            refresh(engine, progress=lambda _t: bar.update(1))
        with engine.begin() as conn:
            current = _meta(conn)
            version = int(current.get("data_version") or 0)
            _set_meta(conn, current, {"refreshed_version": str(version)})
        refreshed = True
    return LoadResult(results, rejects, new_as_of, version, changed, refreshed, files_written)


def _bar(progress: bool, desc: str, total: int, unit: str):
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=not progress, leave=True)


def _meta(conn) -> dict[str, str]:
    m = schema.meta
    return {k: v for k, v in conn.execute(select(m.c.meta_key, m.c.meta_value))}


def _set_meta(conn, current: dict[str, str], values: dict[str, str]) -> None:
    m = schema.meta
    for key, value in values.items():
        if key not in current:
            conn.execute(m.insert(), {"meta_key": key, "meta_value": value})
        elif current[key] != value:
            conn.execute(m.update().where(m.c.meta_key == key), {"meta_value": value})


def latest_days(conn) -> dict[str, int]:
    """Latest loaded date key per table that has rows (FRESHNESS columns)."""
    out = {}
    for name, col in FRESHNESS.items():
        value = conn.execute(select(func.max(schema.metadata.tables[name].c[col]))).scalar()
        if value is not None:
            out[name] = int(value)
    return out


def _default_as_of(conn, limit: date, meta: dict) -> date:
    """The earliest of the continuous tables' latest dates (data is complete up to there)."""
    latest = latest_days(conn)
    days = [latest[t] for t in AS_OF_TABLES if t in latest]
    if days:
        return min(from_day_key(min(days)), limit)
    return date.fromisoformat(meta["as_of"]) if meta.get("as_of") else limit


def _root(given: str | None, ctx: Context, meta: dict) -> str | None:
    """The deployment's root: --root, else the one already set, else the lowest region containing all others."""
    regions = ctx.lookup.regions
    if given:
        code = codes.code12(given)
        if code not in regions:
            raise TemplateError(f"根区划“{given}”不在区划树中")
        return codes.short_code(code)
    if meta.get("root") or not regions:
        return meta.get("root")
    by_level: dict[int, list[str]] = {}
    for code, level in regions.items():
        by_level.setdefault(level, []).append(code)
    level = min(by_level)
    if len(by_level[level]) != 1:
        return None
    node = by_level[level][0]
    while len(by_level.get(level + 1, [])) == 1:
        level += 1
        node = by_level[level][0]
    return codes.short_code(node)


def write_rejects(rejects: list[Reject], out_dir: Path, files: dict[str, Path]) -> list[Path]:
    """rejects.csv (one line per problem) and rejects.xlsx (a summary sheet plus one sheet per table with
    the original cells); written even when empty, so an old file never lingers."""
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = out_dir / "rejects.csv", out_dir / "rejects.xlsx"
    flat = [[r.table, SPECS[r.table].title, r.file, r.row, r.column, r.label, r.value, r.reason, r.detail]
            for r in rejects]
    with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(REJECT_COLUMNS + ["整行"])
        for r, line in zip(rejects, flat):
            writer.writerow(line + ["; ".join(f"{k}={'' if v is None else v}" for k, v in r.cells.items())])
    wb = Workbook()
    ws = wb.active
    ws.title = "拒收汇总"
    ws.append(REJECT_COLUMNS)
    for line in flat:
        ws.append(line)
    for name in (n for n in ORDER if n in files):
        mine = [r for r in rejects if r.table == name]
        if not mine:
            continue
        sheet = wb.create_sheet(name)
        cols = [c.name for c in SPECS[name].columns]
        sheet.append(["行号", "列", "原因", "说明"] + [c.label for c in SPECS[name].columns])
        sheet.append(["", "", "", ""] + cols)
        for r in mine:
            sheet.append([r.row, r.label, r.reason, r.detail] + [_cell(r.cells.get(c)) for c in cols])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    wb.save(xlsx_path)
    return [xlsx_path, csv_path]


def _cell(v):
    return v if v is None or isinstance(v, (int, float, str, date)) else str(v)
