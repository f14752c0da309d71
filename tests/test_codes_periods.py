"""Unit tests of queries/codes.py (region codes) and queries/periods.py (periods, labels, comparisons)."""
from __future__ import annotations

from datetime import date

import pytest

from queries import codes
from queries.codes import RegionCodeError
from queries.periods import (Period, PeriodError, day_key, from_day_key, month_key, period_params,
                             range_params, week_key)

AS_OF = date(2026, 11, 23)        # a Monday: ISO week 2026-W48 has one day of data


# ------------------------------------------------------------------------------------------ codes
@pytest.mark.parametrize("code,short", [
    ("430000000000", "43"), ("431000000000", "4310"), ("431022000000", "431022"),
    ("431022101000", "431022101"), ("431022101201", "431022101201"),
    ("43", "43"), ("4310", "4310"), ("431022", "431022"), ("431022101", "431022101"),
    ("431000", "4310"),           # a city's boundary adcode
    ("430000", "43"), ("4300", "43"),
    (" 431022 ", "431022"),
])
def test_short_code(code, short):
    assert codes.short_code(code) == short


@pytest.mark.parametrize("code,full,level", [
    ("43", "430000000000", 1), ("4310", "431000000000", 2), ("431022", "431022000000", 3),
    ("431022101", "431022101000", 4), ("431022101201", "431022101201", 5), ("431000", "431000000000", 2),
])
def test_code12_and_level(code, full, level):
    assert codes.code12(code) == full
    assert codes.level_of(code) == level
    assert codes.level_of(full) == level


@pytest.mark.parametrize("bad,fragment", [
    ("", "应为数字"), ("abc", "应为数字"), ("4310-22", "应为数字"),
    ("４３１０", "应为数字"),
    ("431", "长度不对"), ("43102", "长度不对"), ("4310221012011", "长度不对"), ("1234567", "长度不对"),
])
def test_bad_codes_raise_chinese_errors(bad, fragment):
    with pytest.raises(RegionCodeError, match=fragment):
        codes.short_code(bad)
    with pytest.raises(ValueError):            # RegionCodeError is a ValueError
        codes.code12(bad)


def test_none_is_a_bad_code():
    with pytest.raises(RegionCodeError):
        codes.short_code(None)


def test_subtree_range():
    assert codes.subtree_range("431022") == ("431022000000", "431022999999")
    assert codes.subtree_range("431022101201") == ("431022101201", "431022101201")
    lo, hi = codes.subtree_range("4310")
    assert lo <= "431022101201" <= hi and not lo <= "431100000000" <= hi
    assert not lo <= "430000000000" <= hi          # the parent is outside its child's range


def test_is_within():
    assert codes.is_within("431022101201", "4310")
    assert codes.is_within("431022", "431022")
    assert codes.is_within("431022000000", "431022")
    assert not codes.is_within("431002001001", "431022")
    assert not codes.is_within("4310", "431022")    # an ancestor is not within its descendant


def test_child_length_and_ancestors():
    assert [codes.child_length(c) for c in ("43", "4310", "431022", "431022101", "431022101201")] == [4, 6, 9, 12, None]
    assert codes.ancestors_short("431022101201") == ["43", "4310", "431022", "431022101", "431022101201"]
    assert codes.ancestors_short("431022000000") == ["43", "4310", "431022"]
    assert codes.ancestors_short("43") == ["43"]


def test_level_tables_agree():
    assert codes.LEVEL_LENGTHS == {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
    assert {codes.LENGTH_LEVELS[n] for n in codes.LEVEL_LENGTHS.values()} == set(codes.LEVEL_LENGTHS)
    assert codes.LEVEL_NAMES[5] == "村(社区)"


@pytest.mark.parametrize("value,masked", [(3821, "****3821"), (12, "****0012"), ("1234567890", "****7890")])
def test_mask_id(value, masked):
    assert codes.mask_id(value) == masked


# ------------------------------------------------------------------------------------------ keys
def test_keys():
    d = date(2026, 11, 23)
    assert (day_key(d), month_key(d), week_key(d)) == (20261123, 202611, 202648)
    assert from_day_key(20261123) == d
    assert week_key(date(2027, 1, 1)) == 202653          # ISO week belongs to 2026
    assert week_key(date(2024, 12, 30)) == 202501        # ... and to 2025
    assert week_key(date(2026, 1, 1)) == 202601
    for k in (20240229, 20251231, 20260101):
        assert day_key(from_day_key(k)) == k


# ------------------------------------------------------------------------------------------ parsing
@pytest.mark.parametrize("key,kind,start,end", [
    ("2026-W48", "week", date(2026, 11, 23), date(2026, 11, 29)),
    ("2026-W1", "week", date(2025, 12, 29), date(2026, 1, 4)),
    ("2026-11", "month", date(2026, 11, 1), date(2026, 11, 30)),
    ("2026-2", "month", date(2026, 2, 1), date(2026, 2, 28)),
    ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
    ("2026-Q4", "quarter", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026-Q1", "quarter", date(2026, 1, 1), date(2026, 3, 31)),
    ("2025", "year", date(2025, 1, 1), date(2025, 12, 31)),
    (" 2026-11 ", "month", date(2026, 11, 1), date(2026, 11, 30)),
])
def test_parse(key, kind, start, end):
    p = Period.parse(key, AS_OF)
    assert (p.kind, p.start, p.end, p.as_of) == (kind, start, end, AS_OF)


@pytest.mark.parametrize("key", ["2026-W48", "2026-W01", "2026-11", "2026-01", "2026-Q4", "2025"])
def test_key_round_trip(key):
    assert Period.parse(key, AS_OF).key == key
    assert Period.parse(Period.parse(key, AS_OF).key, AS_OF) == Period.parse(key, AS_OF)


def test_key_is_normalised():
    assert Period.parse("2026-1", AS_OF).key == "2026-01"
    assert Period.parse("2026-W1", AS_OF).key == "2026-W01"


def test_default_is_the_current_month_to_date():
    for empty in (None, ""):
        p = Period.parse(empty, AS_OF)
        assert (p.kind, p.start, p.last_day, p.is_partial) == ("month", date(2026, 11, 1), AS_OF, True)
    assert Period.parse(None, AS_OF, default_kind="week").key == "2026-W48"


@pytest.mark.parametrize("key,fragment", [
    ("2026-W54", "周次“2026-W54”不存在"),
    ("2026-W00", "不存在"),
    ("2025-W53", "不存在"),                       # 2025 has 52 ISO weeks
    ("2026-13", "月份“2026-13”不存在"),
    ("2026-00", "月份“2026-00”不存在"),
    ("2026-Q5", "无法识别的期间“2026-Q5”"),
    ("abc", "无法识别的期间“abc”：应为 2026-W48、2026-11、2026-Q4 或 2026"),
    ("2026/11", "无法识别"),
    ("26-11", "无法识别"),
    ("2026-12", "在数据截至日期（2026年11月23日）之后，尚无数据"),
    ("2026-W49", "之后"),
    ("2027", "之后"),
    ("2000", "过早"),
])
def test_bad_periods_raise_chinese_errors(key, fragment):
    with pytest.raises(PeriodError, match=fragment):
        Period.parse(key, AS_OF)


def test_period_error_is_a_value_error():
    assert issubclass(PeriodError, ValueError)
    with pytest.raises(PeriodError, match="未知的期间类型“decade”"):
        Period.containing("decade", AS_OF, AS_OF)


# ------------------------------------------------------------------------------------------ labels
@pytest.mark.parametrize("key,label", [
    ("2026-W48", "2026年第48周（11月23日—29日） 截至11月23日"),
    ("2026-W47", "2026年第47周（11月16日—22日）"),
    ("2026-W44", "2026年第44周（10月26日—11月1日）"),        # a week across two months
    ("2026-W01", "2026年第1周（12月29日—1月4日）"),           # ISO week 1 starts in the previous year
    ("2026-11", "2026年11月 截至11月23日"),
    ("2026-10", "2026年10月"),
    ("2026-Q4", "2026年第4季度 截至11月23日"),
    ("2026-Q3", "2026年第3季度"),
    ("2026", "2026年 截至11月23日"),
    ("2025", "2025年"),
])
def test_labels(key, label):
    assert Period.parse(key, AS_OF).label == label


def test_period_ending_on_the_as_of_date_is_complete():
    p = Period.parse("2026-W47", date(2026, 11, 22))
    assert not p.is_partial and p.label == "2026年第47周（11月16日—22日）"
    assert Period.parse("2026-10", date(2026, 10, 31)).label == "2026年10月"


# ------------------------------------------------------------------------------------------ comparisons
@pytest.mark.parametrize("key,days,prev,last_year", [
    # partial periods: compare the same number of days
    ("2026-W48", 1, (date(2026, 11, 16), date(2026, 11, 16)), (date(2025, 11, 24), date(2025, 11, 24))),
    ("2026-11", 23, (date(2026, 10, 1), date(2026, 10, 23)), (date(2025, 11, 1), date(2025, 11, 23))),
    ("2026-Q4", 54, (date(2026, 7, 1), date(2026, 8, 23)), (date(2025, 10, 1), date(2025, 11, 23))),
    ("2026", 327, (date(2025, 1, 1), date(2025, 11, 23)), (date(2025, 1, 1), date(2025, 11, 23))),
    # complete periods: the whole previous period
    ("2026-W47", 7, (date(2026, 11, 9), date(2026, 11, 15)), (date(2025, 11, 17), date(2025, 11, 23))),
    ("2026-10", 31, (date(2026, 9, 1), date(2026, 9, 30)), (date(2025, 10, 1), date(2025, 10, 31))),
    ("2026-03", 31, (date(2026, 2, 1), date(2026, 2, 28)), (date(2025, 3, 1), date(2025, 3, 31))),
    ("2026-Q1", 90, (date(2025, 10, 1), date(2025, 12, 31)), (date(2025, 1, 1), date(2025, 3, 31))),
    ("2025", 365, (date(2024, 1, 1), date(2024, 12, 31)), (date(2024, 1, 1), date(2024, 12, 31))),
])
def test_previous_and_last_year_ranges(key, days, prev, last_year):
    p = Period.parse(key, AS_OF)
    assert p.days_counted == days
    assert p.previous_range() == prev
    assert p.last_year_range() == last_year


def test_partial_month_longer_than_the_previous_month_is_capped():
    p = Period.parse("2026-03", date(2026, 3, 30))           # 30 days of March vs a 28-day February
    assert p.is_partial and p.days_counted == 30
    assert p.previous_range() == (date(2026, 2, 1), date(2026, 2, 28))


def test_week_53_compares_with_week_52():
    p = Period.parse("2026-W53", date(2027, 1, 10))          # 2026 has 53 ISO weeks, 2025 has 52
    assert (p.start, p.end) == (date(2026, 12, 28), date(2027, 1, 3))
    assert p.label == "2026年第53周（12月28日—1月3日）"
    assert p.last_year_range() == (date(2025, 12, 22), date(2025, 12, 28))


def test_shifted():
    assert Period.parse("2026-01", AS_OF).shifted(-1).key == "2025-12"
    assert Period.parse("2026-W01", AS_OF).shifted(-1).key == "2025-W52"
    assert Period.parse("2026-Q1", AS_OF).shifted(-1).key == "2025-Q4"
    assert Period.parse("2026-10", AS_OF).shifted(1).key == "2026-11"
    assert Period.parse("2025", AS_OF).shifted(-2).key == "2023"


def test_options_are_the_latest_periods():
    opts = Period.parse("2026-W46", AS_OF).options(3)
    assert [o.key for o in opts] == ["2026-W48", "2026-W47", "2026-W46"]
    assert [o.key for o in Period.parse("2026-01", AS_OF).options(13)][::12] == ["2026-11", "2025-11"]


def test_day_ranges_and_params():
    p = Period.parse("2026-11", AS_OF)
    assert p.day_range() == (20261101, 20261123)
    assert p.year_to_date_range() == (20260101, 20261123)
    assert range_params(date(2026, 10, 1), date(2026, 10, 23), prefix="p_") == {
        "p_d0": 20261001, "p_d1": 20261023, "p_m0": 202610, "p_m1": 202610}
    params = period_params(p)
    assert params == {
        "d0": 20261101, "d1": 20261123, "m0": 202611, "m1": 202611,
        "p_d0": 20261001, "p_d1": 20261023, "p_m0": 202610, "p_m1": 202610,
        "y_d0": 20251101, "y_d1": 20251123, "y_m0": 202511, "y_m1": 202511,
        "asof": 20261123, "ytd0": 20260101, "ytd1": 20261123, "year": 2026,
    }


def test_params_of_a_complete_week_across_months():
    params = period_params(Period.parse("2026-W44", AS_OF))
    assert (params["d0"], params["d1"], params["m0"], params["m1"]) == (20261026, 20261101, 202610, 202611)
    assert params["year"] == 2026 and params["ytd1"] == 20261101
