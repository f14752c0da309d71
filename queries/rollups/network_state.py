"""Service-network state by region and day, so 服务网络 reads a few rows per child at any level and day.

- roll_unit_span: per centre/station its 运行 spans — [start_day, stop_day) with a service record in the
  30 days to every day of it (records up to the as-of date; the span starts no earlier than the station's
  founding day, because an unbuilt station is not counted). stop_day 99991231 = still running at as-of.
- roll_unit_idle: the complement of roll_unit_span from the founding day on — per centre/station its 未运行
  gaps [idle_from, idle_to) and the day of its last service record before the gap (0 = none since
  founding). 挂牌未运行 on any day d is then the gaps with idle_from <= d < idle_to: a range of ix_rui_to
  (idle_to > d) that holds only the stations idle on or after d, instead of one seek per station.
- roll_network_delta: per region (its whole subtree) and day, the change of every network_units count on
  that day: built/五有/grades/staff/objects on the founding day (current attributes, as network_units
  counts them), active +1 at a span's start and −1 at its stop. Cascaded village → province by parent_code.
- roll_network_state: the running sums of roll_network_delta, i.e. every count as of that day; the page reads
  the last row on or before each end day (d1, previous period, last year): 3 index seeks per child.
  Its built column by day also gives the stations founded per month (network_founded_state).
- roll_network_expected: N1 应建数 per region (centres, township and village stations of its subtree),
  so the page reads its children's rows instead of counting the region table's subtree.
"""
from __future__ import annotations

from sqlalchemy import Column, Index, Integer, Table

from queries.rollups import Rollup, Step
from queries.schema import CODE, metadata

# network_units' columns, in its order (prev/last-year columns derive from built*, active)
COUNTS = ["built", "built_centre", "built_town", "built_village", "has_institution", "has_quota",
          "has_personnel", "has_funding", "has_safeguards", "five_ok", "model_national", "model_province",
          "model_city", "model_county", "model_total", "benchmark", "model_or_benchmark", "red",
          "yibu_yizhan", "staff_full", "staff_part", "staff_certified", "objects_village", "objects_town",
          "active"]

roll_unit_span = Table(
    "roll_unit_span", metadata,
    Column("unit_id", Integer, nullable=False),
    Column("region_code", CODE, nullable=False, comment="站点服务的区划"),
    Column("start_day", Integer, nullable=False, comment="运行起日(含)"),
    Column("stop_day", Integer, nullable=False, comment="运行止日(不含; 99991231 = 截至数据日期仍运行)"),
    Index("ix_rus_unit", "unit_id", "start_day", unique=True),
    comment="中心(站)运行区间(近30日有服务记录), 每站每段一行",
)


roll_unit_idle = Table(
    "roll_unit_idle", metadata,
    Column("unit_id", Integer, nullable=False),
    Column("region_code", CODE, nullable=False, comment="站点服务的区划"),
    Column("idle_from", Integer, nullable=False, comment="未运行起日(含; 建成日或上一运行区间止日)"),
    Column("idle_to", Integer, nullable=False, comment="未运行止日(不含; 99991231 = 截至数据日期仍未运行)"),
    Column("last_day", Integer, nullable=False, comment="此前最近一条服务记录日(0 = 建成后从未)"),
    Index("ix_rui_to", "idle_to", "region_code"),
    Index("ix_rui_region", "region_code", "idle_to"),
    comment="中心(站)未运行区间(近30日无服务记录), 每站每段一行",
)


def _state_table(name: str, comment: str) -> Table:
    return Table(name, metadata,
                 Column("region_code", CODE, nullable=False),
                 Column("day", Integer, nullable=False),
                 *[Column(c, Integer, nullable=False) for c in COUNTS],
                 Index(f"ix_{name}", "region_code", "day", unique=True),
                 comment=comment)


roll_network_delta = _state_table("roll_network_delta", "服务网络各项计数 区划×变动日 的增减(下级累加)")
roll_network_state = _state_table("roll_network_state", "服务网络各项计数 区划×变动日 截至当日的数值")

roll_network_expected = Table(
    "roll_network_expected", metadata,
    Column("region_code", CODE, primary_key=True),
    Column("expected_centre", Integer, nullable=False, comment="应建中心数(市、县各1)"),
    Column("expected_town", Integer, nullable=False, comment="应建乡镇(街道)站数"),
    Column("expected_village", Integer, nullable=False, comment="应建村(社区)站数"),
    comment="N1 应建数 每区划一行(下辖范围内按层级计数)",
)

ROLLUPS = [
    Rollup(table="roll_unit_span", delete="DELETE FROM roll_unit_span",
           steps=[Step("network_refresh_unit_span", per_level=False)]),
    Rollup(table="roll_unit_idle", delete="DELETE FROM roll_unit_idle",
           steps=[Step("network_refresh_unit_idle", per_level=False)]),
    Rollup(table="roll_network_delta", delete="DELETE FROM roll_network_delta",
           steps=[Step("network_refresh_delta")]),
    Rollup(table="roll_network_state", delete="DELETE FROM roll_network_state",
           steps=[Step("network_refresh_state", per_level=False)]),
    Rollup(table="roll_network_expected", delete="DELETE FROM roll_network_expected",
           steps=[Step("network_refresh_expected")]),
]
