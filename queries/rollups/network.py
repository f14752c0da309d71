"""Service-network rollups for the 服务网络 page.

- roll_activity_month: service records by month, one row per region node (cascade like roll_activity_day),
  with active_units = distinct centres/stations with a record that month. A station serves one region, so
  the distinct counts of disjoint children add up. Rows are cut at the refresh's as-of date (:asof), so
  the as-of month's row is exactly [1st, as-of].
- roll_unit_last: per centre/station (not per region), the day of its last service record up to the data's
  as-of date (0 = never). Read instead of one index seek per station when the period ends on the as-of
  date (the default view); earlier end days keep the seeks on station_activity.
"""
from __future__ import annotations

from sqlalchemy import Column, Index, Integer, Table

from queries.rollups import Rollup, Step
from queries.schema import CODE, metadata

roll_activity_month = Table(
    "roll_activity_month", metadata,
    Column("region_code", CODE, nullable=False),
    Column("month", Integer, nullable=False, comment="月份 202611"),
    Column("records", Integer, nullable=False, comment="服务记录数"),
    Column("items", Integer, nullable=False, comment="办件量(件)"),
    Column("visits", Integer, nullable=False, comment="走访慰问人次"),
    Column("active_units", Integer, nullable=False, comment="当月有服务记录的中心(站)数(去重, 下级可相加)"),
    Index("ix_ram", "region_code", "month", unique=True),
    comment="服务站办件 区划×月(截至数据日期), 含当月有记录站点数",
)

roll_unit_last = Table(
    "roll_unit_last", metadata,
    Column("unit_id", Integer, primary_key=True, autoincrement=False),
    Column("region_code", CODE, nullable=False, comment="站点服务的区划"),
    Column("last_day", Integer, nullable=False, comment="截至数据日期最近一条服务记录日(0 = 从未)"),
    Index("ix_rul_last", "last_day", "region_code"),
    comment="中心(站)最近服务日(截至数据日期), 每站一行",
)

ROLLUPS = [
    Rollup(table="roll_activity_month", delete="DELETE FROM roll_activity_month",
           steps=[Step("network_refresh_activity_month")],
           since_delete="DELETE FROM roll_activity_month WHERE month >= :since_month"),
    Rollup(table="roll_unit_last", delete="DELETE FROM roll_unit_last",
           steps=[Step("network_refresh_unit_last", per_level=False)]),
]
