"""roll_calendar: one row per day (day key 20261130 → day number, ISO week), so refresh SQL can step N days
and group by week on every database without dialect date functions (the 30-day 运行 window of
roll_unit_span, the day after a petition's deadline, petition weeks).

Filled from Python (no SQL can generate dates portably): from the earliest station record, founding day or
petition to 40 days after the as-of date.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Column, Index, Integer, Table, text

from queries.periods import day_key, from_day_key, week_key
from queries.rollups import Rollup
from queries.schema import metadata

roll_calendar = Table(
    "roll_calendar", metadata,
    Column("day", Integer, primary_key=True, autoincrement=False, comment="日期 20261130"),
    Column("day_no", Integer, nullable=False, comment="连续日序号(公历序数)"),
    Column("week", Integer, nullable=False, comment="ISO 周 202648"),
    Index("ix_rcal_no", "day_no", unique=True),
    comment="日历: 日期与连续日序号对照(刷新时生成)",
)

_FIRST = ("SELECT MIN(d) FROM (SELECT MIN(day) AS d FROM station_activity "
          "UNION ALL SELECT MIN(founded_day) FROM service_unit "
          "UNION ALL SELECT MIN(received_day) FROM petition) t")
_INSERT = "INSERT INTO roll_calendar (day, day_no, week) VALUES (:day, :day_no, :week)"


def fill_calendar(conn, asof: int) -> None:
    """Insert every day from the earliest station record, founding day or petition to as-of + 40 days."""
    first = conn.execute(text(_FIRST)).scalar()
    if not first:
        return
    day, last = from_day_key(int(first)), from_day_key(asof) + timedelta(days=40)
    rows = []
    while day <= last:
        rows.append({"day": day_key(day), "day_no": day.toordinal(), "week": week_key(day)})
        day += timedelta(days=1)
    conn.execute(text(_INSERT), rows)


ROLLUPS = [Rollup(table="roll_calendar", delete="DELETE FROM roll_calendar", fill=fill_calendar)]
