"""roll_calendar (queries/rollups/days.py): every day from the first record to as-of + 40 days, consecutive
day numbers and ISO weeks, on every dialect."""
from __future__ import annotations

from datetime import date, timedelta

from tests.fixtures import FIXTURE_AS_OF


def test_calendar_is_contiguous(fixture_db, fixture_data):
    frame = fixture_db.frame("test_calendar", sql="SELECT day, day_no, week FROM roll_calendar ORDER BY day")
    first = min([a["day"] for a in fixture_data["station_activity"]] + [u["founded_day"] for u in fixture_data["service_unit"]]
                + [p["received_day"] for p in fixture_data["petition"]])
    start = date(first // 10000, first // 100 % 100, first % 100)
    expected = []
    d = start
    while d <= FIXTURE_AS_OF + timedelta(days=40):
        y, w, _ = d.isocalendar()
        expected.append((d.year * 10000 + d.month * 100 + d.day, d.toordinal(), y * 100 + w))
        d += timedelta(days=1)
    assert [tuple(int(x) for x in r) for r in frame.itertuples(index=False)] == expected
