"""Petition rollups for the 信访热点 page (and the overview's per-万 denominator).

- roll_petition_month: petitions by received month × channel × category × item type, one row per region
  node (cascade like roll_petition_day). Serves the monthly mix, the period mix and the hotspot places for
  every whole month of a range; only the days after the last whole month are read from `petition`.
  Rows are cut at the refresh's as-of date (:asof), so the as-of month's row is exactly [1st, as-of].
- roll_veteran_stock: veterans alive (Σ discharged − Σ died) at each month where roll_veteran_month has a
  row — the stock at month M is the row with the greatest month ≤ M (one backward index seek), not a sum
  over every month since 1951.
"""
from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table

from queries.rollups import Rollup, Step
from queries.schema import CODE, metadata

roll_petition_month = Table(
    "roll_petition_month", metadata,
    Column("region_code", CODE, nullable=False),
    Column("month", Integer, nullable=False, comment="收到月份 202611"),
    Column("channel", String(8), nullable=False, comment="来信/来访/网上信访/来电/12345转办"),
    Column("category", String(16), nullable=False, comment="问题类别"),
    Column("item_type", String(8), nullable=False, comment="建议意见/检举控告/申诉求决"),
    Column("received", Integer, nullable=False, comment="收到件数"),
    Column("persons", Integer, nullable=False, comment="人次"),
    Column("group_cnt", Integer, nullable=False, comment="集体访(≥5人)件数"),
    Column("group_persons", Integer, nullable=False, comment="集体访人次"),
    Column("repeat_cnt", Integer, nullable=False, comment="重复信访件数"),
    Column("skip_cnt", Integer, nullable=False, comment="越级访件数"),
    Index("ix_rptm", "region_code", "month", "channel", "category", "item_type", unique=True),
    comment="信访 区划×收到月×渠道×类别×事项类型(截至数据日期)",
)

roll_petition_place_month = Table(
    "roll_petition_place_month", metadata,
    Column("month", Integer, nullable=False, comment="收到月份 202611"),
    Column("region_code", CODE, nullable=False, comment="乡镇(4)或村(5)"),
    Column("level", Integer, nullable=False),
    Column("received", Integer, nullable=False, comment="收到件数"),
    Column("persons", Integer, nullable=False, comment="人次"),
    Column("group_cnt", Integer, nullable=False, comment="集体访(≥5人)件数"),
    Column("repeat_cnt", Integer, nullable=False, comment="重复信访件数"),
    Column("skip_cnt", Integer, nullable=False, comment="越级访件数"),
    Index("ix_rppm", "month", "region_code", unique=True),
    comment="信访热点 月×乡镇/村(仅有信访的), 热点排名按月份范围读取而非逐地探查",
)

roll_veteran_stock = Table(
    "roll_veteran_stock", metadata,
    Column("region_code", CODE, nullable=False),
    Column("month", Integer, nullable=False, comment="月份 202611 (roll_veteran_month 有记录的月份)"),
    Column("stock", Integer, nullable=False, comment="截至该月末在世退役军人数 = 累计退役 - 累计去世"),
    Index("ix_rvs", "region_code", "month", unique=True),
    comment="退役军人存量 区划×月; 月M的存量 = 月份≤M的最后一行",
)

ROLLUPS = [
    Rollup(table="roll_petition_month", delete="DELETE FROM roll_petition_month",
           steps=[Step("petitions_refresh_month")],
           since_delete="DELETE FROM roll_petition_month WHERE month >= :since_month"),
    Rollup(table="roll_petition_place_month", delete="DELETE FROM roll_petition_place_month",
           steps=[Step("petitions_refresh_place_month", per_level=False)],
           since_delete="DELETE FROM roll_petition_place_month WHERE month >= :since_month"),
    Rollup(table="roll_veteran_stock", delete="DELETE FROM roll_veteran_stock",
           steps=[Step("petitions_refresh_veteran_stock", per_level=False)]),
]
