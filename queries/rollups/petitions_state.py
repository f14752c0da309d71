"""Petition state by region and day, so 信访热点's 办结率, 超期 and 突增 read a few rollup rows at any level.

- roll_petition_delta / roll_petition_state: per county, city and the province (subtree; a township or
  village view reads its own few raw rows) the change on each day (delta, county → province) and the running sums (state = the counts as of that day). cohort = received year:
  received / accepted / closed of that year's petitions as at the day (X3 年累计 办结率: accepted on
  max(received, accepted), closed on max(received, accepted, closed)); cohort 0: open_cnt (accepted on or
  before the day, not closed by it), overdue_acc / overdue_ext_acc (of those, past the deadline) and
  overdue / overdue_ext (past the deadline and not closed, as petitions_overdue_count's earlier days count).
  A count as at day D is the state row with the greatest day ≤ D (one index seek).
- roll_petition_week: petitions received per township (level 4, its subtree) and ISO week (roll_calendar),
  only weeks with petitions — the 突增 check reads one week's townships and their 4 previous weeks.
"""
from __future__ import annotations

from sqlalchemy import Column, Index, Integer, Table

from queries.rollups import Rollup, Step
from queries.schema import CODE, metadata

COUNTS = ["received", "accepted", "closed", "open_cnt", "overdue_acc", "overdue_ext_acc", "overdue", "overdue_ext"]


def _state_table(name: str, comment: str) -> Table:
    return Table(name, metadata,
                 Column("region_code", CODE, nullable=False),
                 Column("cohort", Integer, nullable=False, comment="收到年份(办结率口径); 0 = 在办/超期口径"),
                 Column("day", Integer, nullable=False),
                 *[Column(c, Integer, nullable=False) for c in COUNTS],
                 Index(f"ix_{name}", "region_code", "cohort", "day", unique=True),
                 comment=comment)


roll_petition_delta = _state_table("roll_petition_delta", "信访 区划×口径×变动日 的增减(下级累加)")
roll_petition_state = _state_table("roll_petition_state", "信访 区划×口径×变动日 截至当日的受理/办结/在办/超期数")

roll_petition_week = Table(
    "roll_petition_week", metadata,
    Column("region_code", CODE, nullable=False, comment="乡镇(4)"),
    Column("week", Integer, nullable=False, comment="ISO 周 202648"),
    Column("received", Integer, nullable=False, comment="收到件数"),
    Index("ix_rpw_week", "week", "region_code", unique=True),
    Index("ix_rpw_region", "region_code", "week"),
    comment="信访 乡镇×周 收到件数(仅有信访的周), 突增检查用",
)

ROLLUPS = [
    Rollup(table="roll_petition_delta", delete="DELETE FROM roll_petition_delta",
           steps=[Step("petitions_refresh_delta")],
           since_delete="DELETE FROM roll_petition_delta WHERE day >= :since_day"),
    Rollup(table="roll_petition_state", delete="DELETE FROM roll_petition_state",
           steps=[Step("petitions_refresh_state", per_level=False)]),
    # by week: --since rebuilds from the ISO week holding the since month's 1st (it may start in the month before)
    Rollup(table="roll_petition_week", delete="DELETE FROM roll_petition_week",
           steps=[Step("petitions_refresh_week", per_level=False)],
           since_delete="DELETE FROM roll_petition_week WHERE week >= :since_week"),
]
