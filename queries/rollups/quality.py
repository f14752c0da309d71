"""Data-quality checks run by `vetdash refresh` (docs/loading.md): what `vetdash load` refuses, found in the
tables anyway (rows written straight into the tables, or by older loads), counted per county.

- roll_quality: one row per check × source table × county (place_code; a code whose county is not in the
  region tree is kept as it is), with the number of rows found, one example row id and, for rates, the
  worst value. The refresh still completes; the 数据质量 page lists the rows.
- roll_quality_fresh: per source table and county, the latest date loaded (the table's freshness).
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, Numeric, String, Table

from queries.rollups import Rollup, Step
from queries.schema import CODE, metadata

roll_quality = Table(
    "roll_quality", metadata,
    Column("check_kind", String(16), nullable=False,
           comment="negative负数金额/rate比率超出合理范围/dup_station重复服务站/orphan关联缺失/unknown_code区划代码不存在/"
                   "unknown_value取值不在允许范围/future日期晚于数据截至日期/no_budget县无预算"),
    Column("source", String(24), nullable=False, comment="来源表"),
    Column("place_code", CODE, nullable=False, comment="所在县(12位); 区划树中找不到县时为原代码"),
    Column("cases", Integer, nullable=False, comment="涉及行数"),
    Column("example_id", BigInteger, nullable=True, comment="示例记录编号(最小的一个)"),
    Column("worst", Numeric(14, 4), nullable=True, comment="比率检查: 最大值(如资金执行率 2.777)"),
    Index("ix_rq", "place_code", "check_kind"),
    comment="数据质量检查结果 检查×来源表×县, 由 vetdash refresh 重建",
)

roll_quality_fresh = Table(
    "roll_quality_fresh", metadata,
    Column("source", String(24), nullable=False, comment="来源表"),
    Column("place_code", CODE, nullable=False, comment="县级区划(12位)"),
    Column("latest_day", Integer, nullable=False, comment="已导入的最新日期 YYYYMMDD"),
    Column("rows_total", Integer, nullable=False, comment="行数"),
    Index("ix_rqf", "place_code", "source", unique=True),
    comment="各来源表各县最新导入日期(数据新鲜度)",
)

CHECKS = ["quality_negative", "quality_negative_budget", "quality_rate", "quality_dup_station", "quality_orphan",
          "quality_unknown_code", "quality_unknown_code_county", "quality_unknown_value", "quality_unknown_value_budget",
          "quality_future", "quality_no_budget"]

ROLLUPS = [
    Rollup(table="roll_quality", delete="DELETE FROM roll_quality",
           steps=[Step(name, per_level=False) for name in CHECKS]),
    Rollup(table="roll_quality_fresh", delete="DELETE FROM roll_quality_fresh",
           steps=[Step("quality_fresh", per_level=False)]),
]
