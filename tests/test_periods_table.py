"""Period arithmetic in one place (queries/periods.py), table-driven with literal expectations."""
from __future__ import annotations

from datetime import date

import pytest

from queries.periods import Period, year_pace


@pytest.mark.parametrize("day, pace", [
    (date(2026, 1, 1), 1 / 365 * 100),          # 1 Jan counts as elapsed: 0.27 %
    (date(2024, 2, 29), 60 / 366 * 100),        # leap day: 16.39 %
    (date(2025, 3, 1), 60 / 365 * 100),
    (date(2026, 11, 30), 334 / 365 * 100),      # 91.51 %
    (date(2026, 12, 1), 335 / 365 * 100),       # the 1st of a month: not a whole month more (was 100 %)
    (date(2026, 12, 3), 337 / 365 * 100),       # 92.33 %
    (date(2026, 12, 31), 100.0),
    (date(2024, 12, 31), 100.0),
])
def test_year_pace(day, pace):
    assert year_pace(day) == pytest.approx(pace)


def test_pace_barely_moves_over_a_month_end():
    assert 91.5 <= year_pace(date(2026, 11, 30)) <= 92.3 and 91.5 <= year_pace(date(2026, 12, 3)) <= 92.34
    assert year_pace(date(2026, 12, 3)) - year_pace(date(2026, 11, 30)) < 1.0


@pytest.mark.parametrize("key, as_of, label, prev, last_year", [
    # a month not over: compared with the same number of days (the 1st–3rd of a month)
    ("2026-12", date(2026, 12, 1), "2026年12月 截至12月1日", (date(2026, 11, 1), date(2026, 11, 1)),
     (date(2025, 12, 1), date(2025, 12, 1))),
    ("2026-12", date(2026, 12, 3), "2026年12月 截至12月3日", (date(2026, 11, 1), date(2026, 11, 3)),
     (date(2025, 12, 1), date(2025, 12, 3))),
    ("2026-03", date(2026, 3, 31), "2026年3月", (date(2026, 2, 1), date(2026, 2, 28)),
     (date(2025, 3, 1), date(2025, 3, 31))),
    # a whole month (as-of on its last day): whole months, 31 March against February's 28 days
    ("2026-11", date(2026, 12, 3), "2026年11月", (date(2026, 10, 1), date(2026, 10, 31)),
     (date(2025, 11, 1), date(2025, 11, 30))),
    # leap years: March 2024 compares with February's 29 days
    ("2024-03", date(2026, 12, 3), "2024年3月", (date(2024, 2, 1), date(2024, 2, 29)),
     (date(2023, 3, 1), date(2023, 3, 31))),
    # ISO weeks, including week 53 (2026 has one; 2025 does not: last year = week 52)
    ("2026-W48", date(2026, 12, 3), "2026年第48周（11月23日—29日）", (date(2026, 11, 16), date(2026, 11, 22)),
     (date(2025, 11, 24), date(2025, 11, 30))),
    ("2026-W53", date(2027, 1, 10), "2026年第53周（12月28日—1月3日）", (date(2026, 12, 21), date(2026, 12, 27)),
     (date(2025, 12, 22), date(2025, 12, 28))),
    ("2026-W49", date(2026, 12, 3), "2026年第49周（11月30日—12月6日） 截至12月3日",
     (date(2026, 11, 23), date(2026, 11, 26)), (date(2025, 12, 1), date(2025, 12, 4))),
    # a year not over: 1 Jan … 3 Dec against 1 Jan … 3 Dec last year
    ("2026", date(2026, 12, 3), "2026年 截至12月3日", (date(2025, 1, 1), date(2025, 12, 3)),
     (date(2025, 1, 1), date(2025, 12, 3))),
    ("2026-Q4", date(2026, 12, 31), "2026年第4季度", (date(2026, 7, 1), date(2026, 9, 30)),
     (date(2025, 10, 1), date(2025, 12, 31))),
])
def test_period_table(key, as_of, label, prev, last_year):
    p = Period.parse(key, as_of)
    assert p.label == label
    assert p.previous_range() == prev
    assert p.last_year_range() == last_year


def test_last_complete_week_and_month():
    as_of = date(2026, 12, 3)
    week = Period.containing("week", as_of, as_of).shifted(-1)
    assert week.key == "2026-W48" and not week.is_partial
    month = Period.containing("month", as_of, as_of).shifted(-1)
    assert month.key == "2026-11" and month.label == "2026年11月"
