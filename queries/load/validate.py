"""Row validation for `vetdash load`: every cell typed and checked, links resolved, nothing dropped silently.

A row either becomes a typed dict with every schema column (date keys and deadlines derived here)
or one Reject per problem found (the row, the column, a Chinese reason). Links are satisfied by a
valid row of the same load or a row already in the database, looked up in chunks with bound
parameters. Duplicate source ids inside one file reject every copy: the loader never guesses which
one is right.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation, ROUND_HALF_UP

from sqlalchemy import BigInteger, SmallInteger, select

from queries import codes, schema
from queries.load.specs import SPECS, Col, TableSpec
from queries.periods import day_key, month_key, week_key

EARLIEST = date(1900, 1, 1)
LATEST_DEADLINE = date(2100, 12, 31)
MAX_MONEY = Decimal("999999999999.99")
CHUNK = 1000
REF_REASON = {"beneficiary": "受益人不存在", "veteran": "退役军人不存在", "service_unit": "服务站不存在",
              "payment": "原发放记录不存在"}
TRUE = {"是", "1", "true", "y", "yes", "t"}
FALSE = {"否", "0", "false", "n", "no", "f"}
_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


@dataclass
class Reject:
    table: str
    file: str
    row: int                 # row number in the file (1 = the Chinese header)
    column: str
    label: str
    value: str
    reason: str              # short category, counted in the summary
    detail: str              # the full Chinese explanation
    cells: dict = field(default_factory=dict)


class CellError(ValueError):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


# ------------------------------------------------------------------------------------ database lookups
class Lookup:
    """What the database already holds, read once or in chunks (bound parameters only)."""

    def __init__(self, conn):
        self.conn = conn
        region = schema.region
        self.regions = {c: int(lv) for c, lv in conn.execute(select(region.c.code, region.c.level))}
        unit = schema.service_unit
        self.units = {int(u): (r, int(lv)) for u, r, lv in
                      conn.execute(select(unit.c.unit_id, unit.c.region_code, unit.c.level))}

    def existing(self, table: str, ids: set[int]) -> set[int]:
        if table == "service_unit":
            return {i for i in ids if i in self.units}
        t = schema.metadata.tables[table]
        col = t.c[SPECS[table].key[0]]
        found: set[int] = set()
        ids = sorted(ids)
        for lo in range(0, len(ids), CHUNK):
            found.update(int(v) for (v,) in self.conn.execute(select(col).where(col.in_(ids[lo:lo + CHUNK]))))
        return found

    def payments(self, ids: set[int]) -> dict[int, tuple]:
        p = schema.payment
        out: dict[int, tuple] = {}
        ids = sorted(ids)
        for lo in range(0, len(ids), CHUNK):
            rows = self.conn.execute(select(p.c.payment_id, p.c.beneficiary_id, p.c.fund_kind, p.c.month, p.c.status)
                                     .where(p.c.payment_id.in_(ids[lo:lo + CHUNK])))
            out.update({int(r[0]): (int(r[1]), r[2], int(r[3]), r[4]) for r in rows})
        return out


@dataclass
class Context:
    lookup: Lookup
    as_of: date                                              # event dates may not be later than this
    loaded: dict[str, dict] = field(default_factory=dict)    # table -> {key: valid row of this load}

    def region_level(self, code: str) -> int | None:
        if code in self.lookup.regions:
            return self.lookup.regions[code]
        row = self.loaded.get("region", {}).get((code,))
        return row["level"] if row else None


# ------------------------------------------------------------------------------------ cell parsing
def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, date):
        return v.isoformat()
    return str(v).strip()


def int_limit(table: str, col: Col) -> int:
    """The largest value the column's database type holds (32-bit INTEGER on PostgreSQL and MariaDB)."""
    if not col.stored:
        return 2 ** 63 - 1
    ctype = schema.metadata.tables[table].c[col.name].type
    if isinstance(ctype, SmallInteger):
        return 2 ** 15 - 1
    if isinstance(ctype, BigInteger):
        return 2 ** 63 - 1
    return 2 ** 31 - 1


def parse_int(v, col: Col, limit: int = 2 ** 31 - 1) -> int:
    s = _text(v)
    if isinstance(v, bool) or not re.fullmatch(r"[+-]?\d+(\.0+)?", s):
        raise CellError("不是整数", f"“{s}”不是整数")
    n = int(Decimal(s))
    if abs(n) > limit:
        raise CellError("数值超出范围", f"{n} 超过数据库整数列的上限 {limit}")
    if (col.lo is not None and n < col.lo) or (col.hi is not None and n > col.hi):
        lo = "" if col.lo is None else col.lo
        hi = "" if col.hi is None else col.hi
        raise CellError("数值超出范围", f"{n} 不在 {lo}–{hi} 之间")
    return n


def parse_id(v, limit: int = 2 ** 63 - 1) -> int:
    s = _text(v)
    if not re.fullmatch(r"\d+(\.0+)?", s):
        raise CellError("编号不是整数", f"编号“{s}”应为非负整数")
    n = int(Decimal(s))
    if n > limit:
        raise CellError("数值超出范围", f"编号 {n} 超过数据库整数列的上限 {limit}, 请重新编号")
    return n


def parse_date(v) -> date:
    if isinstance(v, date):
        return v
    s = _text(v)
    m = _DATE_TEXT.match(s) or (re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s))
    if not m:
        raise CellError("日期格式错误", f"“{s}”不是日期, 应为 YYYY-MM-DD")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise CellError("日期格式错误", f"“{s}”不是有效日期") from None


def check_date(d: date, col: Col, as_of: date) -> date:
    if d < EARLIEST:
        raise CellError("日期超出范围", f"{d.isoformat()} 早于 1900-01-01")
    if col.event and d > as_of:
        raise CellError("日期晚于数据截至日期", f"{d.isoformat()} 晚于数据截至日期 {as_of.isoformat()}")
    if d > LATEST_DEADLINE:
        raise CellError("日期超出范围", f"{d.isoformat()} 晚于 2100-12-31")
    return d


def parse_month(v, as_of: date) -> int:
    if isinstance(v, date):
        return month_key(v)
    s = _text(v)
    m = re.fullmatch(r"(\d{4})-?(\d{1,2})", s)
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
        raise CellError("月份格式错误", f"“{s}”不是月份, 应为 YYYYMM, 如 202611")
    key = int(m.group(1)) * 100 + int(m.group(2))
    if key > month_key(as_of) + 100:                  # a period a year ahead is a typo, not a schedule
        raise CellError("日期晚于数据截至日期", f"所属期 {key} 比数据截至日期晚一年以上")
    return key


def parse_money(v) -> Decimal:
    s = _text(v).replace(",", "")
    try:
        amount = Decimal(s)
    except InvalidOperation:
        raise CellError("金额格式错误", f"“{s}”不是金额") from None
    if not amount.is_finite():
        raise CellError("金额格式错误", f"“{s}”不是金额")
    if amount < 0:
        raise CellError("金额为负数", f"金额 {s} 小于0")
    if amount > MAX_MONEY:
        raise CellError("金额超出范围", f"金额 {s} 过大")
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_bool(v) -> bool:
    if isinstance(v, bool):
        return v
    s = _text(v).lower()
    if s in TRUE:
        return True
    if s in FALSE:
        return False
    raise CellError("不在允许值内", f"“{_text(v)}”应为 是 或 否")


def parse_code(v, col: Col, ctx: Context) -> str:
    s = _text(v)
    try:
        code = codes.code12(s)
    except codes.RegionCodeError as exc:
        raise CellError("区划代码格式错误", str(exc)) from None
    level = ctx.region_level(code)
    if level is None:
        raise CellError("区划代码不存在", f"区划代码“{s}”不在区划树中")
    if col.level is not None and level != col.level:
        raise CellError("区划层级不符", f"“{s}”是{codes.LEVEL_NAMES[level]}级, 此列应为{codes.LEVEL_NAMES[col.level]}级")
    return code


def parse_cell(v, col: Col, ctx: Context, limit: int = 2 ** 31 - 1):
    """The typed value of one cell (None for an empty optional cell); raises CellError.
    limit: the largest integer the column's database type holds."""
    if _text(v) == "":
        if col.required:
            raise CellError("必填项为空", f"{col.label}为必填项")
        return col.default
    if col.kind in ("id", "ref"):
        return parse_id(v, limit)
    if col.kind == "int":
        return parse_int(v, col, limit)
    if col.kind == "date":
        return check_date(parse_date(v), col, ctx.as_of)
    if col.kind == "month":
        return parse_month(v, ctx.as_of)
    if col.kind == "money":
        return parse_money(v)
    if col.kind == "bool":
        return parse_bool(v)
    if col.kind == "enum":
        s = _text(v)
        if s not in col.values:
            raise CellError("不在允许值内", f"“{s}”不是允许值({'/'.join(col.values)})")
        return s
    if col.kind == "code":
        if col.name == "code":                    # the region table's own code: checked for form only
            return parse_region_own_code(v)
        return parse_code(v, col, ctx)
    s = _text(v)
    if col.length and len(s) > col.length:
        raise CellError("文本过长", f"超过{col.length}个字")
    return s


def parse_region_own_code(v) -> str:
    try:
        return codes.code12(_text(v))
    except codes.RegionCodeError as exc:
        raise CellError("区划代码格式错误", str(exc)) from None


# ------------------------------------------------------------------------------------ rows
def _order(row: dict, pairs: list[tuple[str, str]], errors: list, table: str) -> None:
    """Each (earlier, later) pair of date columns in order, when both are filled."""
    for a, b in pairs:
        if row.get(a) and row.get(b) and row[a] > row[b]:
            errors.append((b, CellError("日期先后顺序不对", f"{row[b].isoformat()} 早于{SPECS[table].col(a).label} "
                                                            f"{row[a].isoformat()}")))


def _keys(row: dict, *pairs: tuple[str, str]) -> None:
    for on, day in pairs:
        row[day] = day_key(row[on]) if row.get(on) else None


def derive(table: str, row: dict, ctx: Context) -> list[tuple[str, CellError]]:
    """Fill the derived columns and check the cross-column rules; returns the errors."""
    errors: list[tuple[str, CellError]] = []
    if table == "region":
        short = codes.short_code(row["code"])
        level = codes.level_of_short(short)
        row.update(short_code=short, code_hi=short.ljust(12, "9"), level=level,
                   parent_code=None if level == 1 else codes.code12(short[:codes.LEVEL_LENGTHS[level - 1]]))
    elif table == "service_unit":
        level = ctx.region_level(row["region_code"])
        if level != row["level"]:
            errors.append(("level", CellError("区划层级不符", f"层级 {row['level']} 与区划“{codes.short_code(row['region_code'])}”"
                                                            f"({codes.LEVEL_NAMES.get(level, '?')}级)不一致")))
        _keys(row, ("founded_on", "founded_day"))
    elif table == "station_activity":
        d = row["activity_on"]
        row.update(day=day_key(d), week=week_key(d), month=month_key(d))
    elif table == "veteran":
        _order(row, [("enlisted_on", "discharged_on"), ("discharged_on", "died_on")], errors, table)
        _keys(row, ("discharged_on", "discharged_day"), ("died_on", "died_day"))
    elif table == "beneficiary":
        if row["category"] == "残疾军人" and row["disability_grade"] is None:
            errors.append(("disability_grade", CellError("必填项为空", "残疾军人须填残疾等级")))
        _order(row, [("since_on", "died_on")], errors, table)
        _keys(row, ("died_on", "died_day"))
    elif table == "placement":
        d = row["discharged_on"]
        if row["cohort_year"] is None:
            row["cohort_year"] = d.year
        if row["cohort_season"] is None:
            row["cohort_season"] = "春季" if d.month <= 6 else "秋季"
        if row["is_task"] is None:
            row["is_task"] = row["mode"] in ("转业", "安排工作")
        if row["placed_on"] is None and row["reported_on"] is not None:
            row["placed_on"] = row["reported_on"]       # a source with two dates: arrival implies a post
        _order(row, [("discharged_on", "received_on"), ("received_on", "placed_on"), ("placed_on", "reported_on"),
                     ("discharged_on", "reported_on")], errors, table)
        row["report_deadline_day"] = day_key(d + timedelta(days=30))
        _keys(row, ("discharged_on", "discharged_day"), ("received_on", "received_day"),
              ("placed_on", "placed_day"), ("reported_on", "reported_day"))
    elif table == "employment_status":
        _keys(row, ("effective_on", "effective_day"))
    elif table == "service_event":
        row["day"] = day_key(row["event_on"])
    elif table == "training":
        _order(row, [("started_on", "finished_on")], errors, table)
        _keys(row, ("started_on", "started_day"))
    elif table == "payment":
        errors += _payment_status(row)
        _keys(row, ("due_on", "due_day"), ("paid_on", "paid_day"))
    elif table == "fund_standard":
        if row["min_monthly"] > row["max_monthly"]:
            errors.append(("max_monthly", CellError("标准下限高于上限",
                                                    f"下限 {row['min_monthly']} 高于上限 {row['max_monthly']}")))
    elif table == "petition":
        _order(row, [("received_on", "accepted_on"), ("received_on", "closed_on")], errors, table)
        if row["due_on"] is None and row["accepted_on"] is not None:
            row["due_on"] = row["accepted_on"] + timedelta(days=90 if row["extended"] else 60)
        row["accept_deadline_day"] = day_key(row["received_on"] + timedelta(days=15))
        _keys(row, ("received_on", "received_day"), ("accepted_on", "accepted_day"), ("due_on", "due_day"),
              ("closed_on", "closed_day"))
    return errors


def _payment_status(row: dict) -> list[tuple[str, CellError]]:
    """已发放 has money and a date; 未发放 and 退回 have neither (a 退回 row keeps the returned sum in
    amount_due, so the duplicate check never counts it next to its re-issue)."""
    errors = []
    if row["status"] == "已发放":
        if row["amount_paid"] == 0:
            errors.append(("amount_paid", CellError("发放状态与金额不符", "已发放的记录实发金额应大于0")))
        if row["paid_on"] is None:
            errors.append(("paid_on", CellError("发放状态与金额不符", "已发放的记录须填实际到账日期")))
    else:
        if row["amount_paid"] != 0:
            errors.append(("amount_paid", CellError("发放状态与金额不符",
                                                    f"{row['status']}的记录实发金额应为0(原金额填在应发金额)")))
        if row["paid_on"] is not None:
            errors.append(("paid_on", CellError("发放状态与金额不符", f"{row['status']}的记录不应有到账日期")))
    return errors


# ------------------------------------------------------------------------------------ tables
@dataclass
class Parsed:
    number: int
    cells: dict
    row: dict
    errors: list = field(default_factory=list)       # [(column, CellError)]


def validate_table(spec: TableSpec, file: str, names: list[str], rows: list[tuple[int, list]],
                   ctx: Context, progress=None) -> tuple[list[dict], list[Reject]]:
    """Valid typed rows and the rejects of one file; valid rows are also recorded in ctx.loaded."""
    from queries.load.templates import TemplateError

    index = {n: i for i, n in enumerate(names) if n}
    missing = [f"{c.name}({c.label})" for c in spec.columns if c.required and c.name not in index]
    if missing:
        raise TemplateError(f"文件“{file}”缺少列: {', '.join(missing)} (第2行应为列名)")
    limits = {c.name: int_limit(spec.table, c) for c in spec.columns if c.kind in ("id", "ref", "int")}
    parsed: list[Parsed] = []
    for number, cells in rows:
        raw = {c.name: (cells[index[c.name]] if c.name in index and index[c.name] < len(cells) else None)
               for c in spec.columns}
        item = Parsed(number, raw, {})
        for col in spec.columns:
            try:
                item.row[col.name] = parse_cell(raw[col.name], col, ctx, limits.get(col.name, 0))
            except CellError as exc:
                item.errors.append((col.name, exc))
        if not item.errors:
            item.errors += derive(spec.table, item.row, ctx)
        parsed.append(item)
        if progress:
            progress(1)
    _duplicates(spec, parsed)
    _links(spec, parsed, ctx)
    valid, rejects = [], []
    for item in parsed:
        if item.errors:
            for column, exc in item.errors:
                rejects.append(Reject(spec.table, file, item.number, column, spec.col(column).label,
                                      _text(item.cells.get(column)), exc.reason, exc.detail, item.cells))
        else:
            valid.append({k: v for k, v in item.row.items() if _stored(spec, k)})
            item.cells = None                            # keep memory for the rejects only
    ctx.loaded[spec.table] = {tuple(r[k] for k in spec.key): r for r in valid}
    return valid, rejects


def _stored(spec: TableSpec, name: str) -> bool:
    col = next((c for c in spec.columns if c.name == name), None)
    return col is None or col.stored


def _duplicates(spec: TableSpec, parsed: list[Parsed]) -> None:
    seen: dict[tuple, list[Parsed]] = {}
    for item in parsed:
        key = tuple(item.row.get(k) for k in spec.key)
        if None not in key:
            seen.setdefault(key, []).append(item)
    for key, items in seen.items():
        if len(items) > 1:
            lines = "、".join(str(i.number) for i in items)
            for item in items:
                item.errors.append((spec.key[0], CellError("编号在文件中重复",
                                                            f"{spec.key_label} {'+'.join(map(str, key))} 在第 {lines} 行重复出现")))


def _links(spec: TableSpec, parsed: list[Parsed], ctx: Context) -> None:
    """Links to other tables (this load's valid rows or the database) and table-level rules."""
    ok = [p for p in parsed if not p.errors]
    for col in spec.columns:
        if col.kind != "ref" or col.ref == spec.table:
            continue
        wanted = {p.row[col.name] for p in ok if p.row[col.name] is not None}
        here = {k[0] for k in ctx.loaded.get(col.ref, {})}
        found = here | ctx.lookup.existing(col.ref, wanted - here)
        for p in ok:
            v = p.row[col.name]
            if v is not None and v not in found:
                p.errors.append((col.name, CellError(REF_REASON[col.ref], f"{col.label} {v} 不在{SPECS[col.ref].title}中")))
    if spec.table == "region":
        _region_parents(parsed, ctx)
    elif spec.table == "service_unit":
        _duplicate_stations(parsed, ctx)
    elif spec.table == "station_activity":
        _activity_regions(parsed, ctx)
    elif spec.table == "payment":
        _reissues(parsed, ctx)


def _region_parents(parsed: list[Parsed], ctx: Context) -> None:
    """A region's parent must be in the tree (database or this file), except at the tree's top level."""
    ok = sorted((p for p in parsed if not p.errors), key=lambda p: p.row["level"])
    levels = set(ctx.lookup.regions.values()) | {p.row["level"] for p in ok}
    top = min(levels) if levels else 1
    known = set(ctx.lookup.regions)
    for p in ok:
        parent = p.row["parent_code"]
        if p.row["level"] > top and parent not in known:
            p.errors.append(("code", CellError("上级区划不存在", f"上级区划“{codes.short_code(parent)}”不在区划树中")))
        else:
            known.add(p.row["code"])
            ctx.lookup.regions.setdefault(p.row["code"], p.row["level"])


def _duplicate_stations(parsed: list[Parsed], ctx: Context) -> None:
    """One centre/station per region and level: a second one would count twice in the coverage rate."""
    ok = [p for p in parsed if not p.errors]
    ids = {p.row["unit_id"] for p in ok}
    place = {(r, lv): u for u, (r, lv) in ctx.lookup.units.items() if u not in ids}
    by_place: dict[tuple, list[Parsed]] = {}
    for p in ok:
        by_place.setdefault((p.row["region_code"], p.row["level"]), []).append(p)
    for key, items in by_place.items():
        other = place.get(key)
        if len(items) > 1 or other is not None:
            for p in items:
                others = [str(o.row["unit_id"]) for o in items if o is not p] + ([str(other)] if other else [])
                p.errors.append(("region_code", CellError("重复服务站", f"区划“{codes.short_code(key[0])}”已有同级服务站"
                                                                      f"(编号 {'、'.join(others)})")))


def _activity_regions(parsed: list[Parsed], ctx: Context) -> None:
    units = {k[0]: (r["region_code"], r["level"]) for k, r in ctx.loaded.get("service_unit", {}).items()}
    for p in (p for p in parsed if not p.errors):
        region = (units.get(p.row["unit_id"]) or ctx.lookup.units.get(p.row["unit_id"]))[0]
        if p.row["region_code"] is None:
            p.row["region_code"] = region
        elif p.row["region_code"] != region:
            p.errors.append(("region_code", CellError("区划与服务站不符",
                                                      f"服务站 {p.row['unit_id']} 服务的区划是“{codes.short_code(region)}”")))


def _reissues(parsed: list[Parsed], ctx: Context) -> None:
    """A re-issue names the 退回 row it replaces: same beneficiary, fund kind and 所属期 month."""
    ok = [p for p in parsed if not p.errors]
    here = {p.row["payment_id"]: (p.row["beneficiary_id"], p.row["fund_kind"], p.row["month"], p.row["status"])
            for p in ok}
    wanted = {p.row["reissue_of"] for p in ok if p.row.get("reissue_of") is not None}
    known = {**ctx.lookup.payments(wanted - set(here)), **here}
    for p in ok:
        ref = p.row.get("reissue_of")
        if ref is None:
            continue
        orig = known.get(ref)
        if orig is None:
            p.errors.append(("reissue_of", CellError("原发放记录不存在", f"原发放流水号 {ref} 不在发放明细中")))
        elif orig[3] != "退回":
            p.errors.append(("reissue_of", CellError("重新发放不符", f"原发放记录 {ref} 的状态是“{orig[3]}”, 不是退回")))
        elif orig[:3] != (p.row["beneficiary_id"], p.row["fund_kind"], p.row["month"]):
            p.errors.append(("reissue_of", CellError("重新发放不符", f"原发放记录 {ref} 的受益人、资金类别或所属期与本行不同")))
        elif p.row["status"] == "退回" or p.row["is_backpay"]:
            p.errors.append(("status", CellError("重新发放不符", "重新发放的记录应为已发放或未发放, 且不是调标补发")))
