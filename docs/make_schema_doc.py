"""Writes docs/schema.md from queries.schema's metadata (table and column comments).

    python docs/make_schema_doc.py            # rewrite docs/schema.md
    python docs/make_schema_doc.py --check    # exit 1 if docs/schema.md is out of date

Columns without a `comment` get a description from the naming conventions below (marked ※);
better: add the comment in queries/schema.py and regenerate.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Boolean, Date, Integer, Numeric, SmallInteger, BigInteger, String  # noqa: E402

from queries import schema  # noqa: E402

OUT = ROOT / "docs" / "schema.md"

# descriptions for conventional column names that carry no comment (marked ※ in the output)
CONVENTIONAL = {
    "region_code": "所属区划的12位代码",
    "day": "日期键 YYYYMMDD",
    "week": "ISO周键 YYYYWW(如 202648)",
    "month": "月份键 YYYYMM(如 202611)",
    "year": "年度",
    "meta_key": "键",
    "meta_value": "值",
    "unit_id": "服务中心(站)编号",
    "activity_id": "记录编号",
    "beneficiary_id": "优抚对象内部编号",
    "veteran_id": "退役军人内部编号",
    "placement_id": "安置记录编号",
    "status_id": "状态记录编号",
    "event_id": "服务记录编号",
    "training_id": "培训记录编号",
    "payment_id": "发放记录编号",
    "petition_id": "信访事项编号",
    "fund_kind": "资金类别: 残疾抚恤金/定期抚恤金/定期生活补助/义务兵家庭优待金/医疗补助/临时救助",
    "amount_due": "应发金额(元)",
    "amount_paid": "实发金额(元)",
    "birth_year": "出生年份",
    "kind": "类别",
    "mode": "安置方式(同 veteran.placement_mode)",
    "status": "状态",
    "extended": "经批准延期(办理期限+30日)",
    "enlisted_on": "入伍日期",
    "discharged_on": "退役日期",
    "died_on": "去世日期",
    "since_on": "享受待遇起始日期",
    "activity_on": "服务日期",
    "event_on": "服务日期",
    "received_on": "收到日期",
    "accepted_on": "受理日期",
    "closed_on": "办结日期",
    "started_on": "开班日期",
    "finished_on": "结业日期",
    "due_on": "规定发放日期",
    "paid_on": "实际到账日期",
    "effective_on": "状态生效日期",
    "records": "记录数",
    "items": "办件量(件)",
    "visits": "走访慰问人次",
    "discharged": "当月退役(建档)人数",
    "died": "当月去世人数",
    "repeat_cnt": "按收到日计: 重复信访件数",
    "skip_cnt": "按收到日计: 越级访件数",
}


def type_name(col) -> str:
    t = col.type
    if isinstance(t, Numeric):
        return f"NUMERIC({t.precision},{t.scale})"
    if isinstance(t, String):
        return f"VARCHAR({t.length})"
    for cls, name in ((BigInteger, "BIGINT"), (SmallInteger, "SMALLINT"), (Integer, "INTEGER"),
                      (Boolean, "BOOLEAN"), (Date, "DATE")):
        if isinstance(t, cls):
            return name
    return str(t)


def describe(table, col) -> str:
    if col.comment:
        return col.comment
    if col.name in CONVENTIONAL:
        return CONVENTIONAL[col.name] + " ※"
    if col.name.endswith("_day"):
        base = col.name[:-4]
        on = table.c.get(f"{base}_on")
        what = (on.comment or CONVENTIONAL.get(on.name, base)) if on is not None else base
        what = re.sub(r"\(.*?\)", "", what).strip()
        return f"{what}的日期键 YYYYMMDD(与 {base}_on 一致) ※"
    return "※ (未注释)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_section(table) -> list[str]:
    pk = {c.name for c in table.primary_key.columns}
    lines = [f'<a id="{table.name}"></a>', "", f"### `{table.name}` — {_cell(table.comment or '')}", "",
             "| 列 | 类型 | 可空 | 说明 |", "|---|---|---|---|"]
    for col in table.columns:
        name = f"**{col.name}**" if col.name in pk else col.name
        lines.append(f"| {name} | {type_name(col)} | {'是' if col.nullable else '否'} | {_cell(describe(table, col))} |")
    indexes = sorted(table.indexes, key=lambda i: i.name)
    if indexes:
        lines.append("")
        lines.append("索引: " + "; ".join(
            f"`{i.name}`({', '.join(c.name for c in i.columns)}){' 唯一' if i.unique else ''}" for i in indexes))
    lines.append("")
    return lines


HEADER = """# 数据库结构 (schema)

> 由 `python docs/make_schema_doc.py` 从 `queries/schema.py` 的表和列注释生成, 请勿手工编辑;
> 改结构时先改 `queries/schema.py` 的 `comment`, 再重新生成 (测试会检查本文件是否最新)。
> 标 ※ 的说明来自命名约定, 不是列注释。**粗体**列为主键。

本文件写给要把本局业务数据导入驾驶舱的工程师: 每张表、每一列的名称、类型和含义。
同一套表结构在 SQLite、PostgreSQL、MariaDB/MySQL 上一致 (SQLAlchemy 元数据建表)。

## 约定

- **区划代码**: 一律存 12 位国家统计局统计用区划代码 (如 `431022101201`), 乡镇以上补 0
  (`431022000000` 宜章县)。`region.short_code` 为按层级截取的短码: 省2位、市4位、县6位、乡镇9位、村(社区)12位;
  网址、命令行和配置里写短码。`region.code_hi` 为下辖范围上界 (短码后补 9), 某区划的全部下级满足
  `code BETWEEN 本级code AND 本级code_hi`。
- **事实表的 `region_code`** 是该行所属的最细一级区划: 人 (退役军人、优抚对象、信访人、发放对象) 记到居住的村(社区);
  服务中心(站)记到其服务的区划 (市中心记市, 县中心记县, 乡镇站记乡镇, 村站记村); 安置、安置任务、预算记到县级。
  每个 `region_code` 必须出现在 `region` 表中, 否则不进入汇总。
- **日期**: 每个日期列 (`xxx_on`, DATE) 旁边有一个整数日期键 (`xxx_day`, 如 `20261123`), 装载时一并写入, 查询按整数键过滤;
  月份键 `month` 为 `202611`, ISO 周键 `week` 为 `202648`, 年度 `year` 为 `2026`。日期列与日期键必须一致。
- **金额**: `NUMERIC(14,2)`, 单位为**元** (页面上再换算为万元、亿元)。
- **无个人信息**: 不存姓名、身份证号、电话、住址; 人员只用不透明的内部整数编号 (`veteran_id`、`beneficiary_id`、
  `petitioner_ref` 等)。驾驶舱只展示汇总数; 异常清单中的编号也做掩码显示 (`****3821`)。
- **布尔列**: 是/否 (`BOOLEAN`; MariaDB 上为 `TINYINT(1)`)。
- **元信息** `meta`: 至少写入 `as_of` (数据截至日期, `YYYY-MM-DD`) 和 `root` (根区划短码, 如 `4310`)。
- **汇总表** (`roll_` 开头) 不要导入: 导入或更新原始表后运行 `vetdash refresh`: 每张汇总表在各自的事务内用 `DELETE` + `INSERT … SELECT`
  按层级 (村 → 乡镇 → 县 → 市 → 省) 重建, 每个区划节点每期一行。
  资金汇总的"应发人次/按时足额人次"只计截至 `meta.as_of` 已到发放日的记录。

"""


def render() -> str:
    tables = schema.metadata.tables
    raw = [tables[n] for n in schema.RAW_TABLES]
    rollups = [tables[n] for n in schema.ROLLUP_TABLES]
    others = [t for n, t in sorted(tables.items()) if n not in schema.RAW_TABLES + schema.ROLLUP_TABLES]
    lines = [HEADER.rstrip("\n"), "", "## 原始表 (由各局导入)", ""]
    lines.append("| 表 | 中文名 | 列数 |")
    lines.append("|---|---|---|")
    for t in raw:
        lines.append(f"| [`{t.name}`](#{t.name}) | {_cell(t.comment or '')} | {len(t.columns)} |")
    lines.append("")
    for t in raw:
        lines += table_section(t)
    lines += ["## 汇总表 (由 `vetdash refresh` 重建, 勿导入)", ""]
    for t in rollups:
        lines += table_section(t)
    if others:
        lines += ["## 其他表", ""]
        for t in others:
            lines += table_section(t)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run python docs/make_schema_doc.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(schema.metadata.tables)} tables)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
