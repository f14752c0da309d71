"""Reporting periods: ISO week, month, quarter, year — parsed from the URL, labelled in Chinese.

URL keys: 2026-W48, 2026-11, 2026-Q4, 2026. A period not yet over at the as-of date is cut at
that date ("截至11月23日") and compared with the same number of days of the previous period.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = {"week": "周", "month": "月", "quarter": "季", "year": "年"}


class PeriodError(ValueError):
    """Unparseable period (message in Chinese)."""


def day_key(d: date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def month_key(d: date) -> int:
    return d.year * 100 + d.month


def week_key(d: date) -> int:
    y, w, _ = d.isocalendar()
    return y * 100 + w


def from_day_key(k: int) -> date:
    return date(k // 10000, k // 100 % 100, k % 100)


def _month_end(y: int, m: int) -> date:
    return (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))


def _add_months(d: date, n: int) -> date:
    idx = d.year * 12 + d.month - 1 + n
    y, m = divmod(idx, 12)
    return date(y, m + 1, min(d.day, _month_end(y, m + 1).day))


@dataclass(frozen=True)
class Period:
    kind: str          # week | month | quarter | year
    start: date        # first day of the full period
    end: date          # last day of the full period
    as_of: date        # data as-of date: days after it are not counted

    # ------------------------------------------------------------ construction
    @classmethod
    def parse(cls, key: str | None, as_of: date, default_kind: str = "month") -> "Period":
        if not key:
            return cls.containing(default_kind, as_of, as_of)
        key = key.strip()
        if m := re.fullmatch(r"(\d{4})-W(\d{1,2})", key):
            y, w = int(m[1]), int(m[2])
            try:
                start = date.fromisocalendar(y, w, 1)
            except ValueError as exc:
                raise PeriodError(f"周次“{key}”不存在") from exc
            return cls("week", start, start + timedelta(days=6), as_of)._check(key)
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", key):
            y, mo = int(m[1]), int(m[2])
            if not 1 <= mo <= 12:
                raise PeriodError(f"月份“{key}”不存在")
            return cls("month", date(y, mo, 1), _month_end(y, mo), as_of)._check(key)
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", key):
            y, q = int(m[1]), int(m[2])
            return cls("quarter", date(y, 3 * q - 2, 1), _month_end(y, 3 * q), as_of)._check(key)
        if m := re.fullmatch(r"(\d{4})", key):
            y = int(m[1])
            return cls("year", date(y, 1, 1), date(y, 12, 31), as_of)._check(key)
        raise PeriodError(f"无法识别的期间“{key}”：应为 2026-W48、2026-11、2026-Q4 或 2026")

    @classmethod
    def containing(cls, kind: str, d: date, as_of: date) -> "Period":
        if kind == "week":
            start = d - timedelta(days=d.weekday())
            return cls("week", start, start + timedelta(days=6), as_of)
        if kind == "month":
            return cls("month", date(d.year, d.month, 1), _month_end(d.year, d.month), as_of)
        if kind == "quarter":
            q = (d.month - 1) // 3 + 1
            return cls("quarter", date(d.year, 3 * q - 2, 1), _month_end(d.year, 3 * q), as_of)
        if kind == "year":
            return cls("year", date(d.year, 1, 1), date(d.year, 12, 31), as_of)
        raise PeriodError(f"未知的期间类型“{kind}”")

    def _check(self, key: str) -> "Period":
        if self.start > self.as_of:
            raise PeriodError(f"期间“{key}”在数据截至日期（{self.as_of:%Y年%m月%d日}）之后，尚无数据")
        if self.end.year < self.as_of.year - 15:
            raise PeriodError(f"期间“{key}”过早，超出数据范围")
        return self

    # ------------------------------------------------------------ derived
    @property
    def last_day(self) -> date:
        """Last counted day: the period end, or the as-of date if the period is not over."""
        return min(self.end, self.as_of)

    @property
    def is_partial(self) -> bool:
        return self.end > self.as_of

    @property
    def key(self) -> str:
        if self.kind == "week":
            y, w, _ = self.start.isocalendar()
            return f"{y}-W{w:02d}"
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}"

    @property
    def label(self) -> str:
        s, e = self.start, self.end
        if self.kind == "week":
            y, w, _ = s.isocalendar()
            base = f"{y}年第{w}周（{s.month}月{s.day}日—{'' if e.month == s.month else f'{e.month}月'}{e.day}日）"
        elif self.kind == "month":
            base = f"{s.year}年{s.month}月"
        elif self.kind == "quarter":
            base = f"{s.year}年第{(s.month - 1) // 3 + 1}季度"
        else:
            base = f"{s.year}年"
        if self.is_partial:
            base += f" 截至{self.as_of.month}月{self.as_of.day}日"
        return base

    @property
    def days_counted(self) -> int:
        return (self.last_day - self.start).days + 1

    def shifted(self, n: int) -> "Period":
        """The period n steps later (negative: earlier), same kind, same as-of."""
        if self.kind == "week":
            return Period.containing("week", self.start + timedelta(weeks=n), self.as_of)
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        return Period.containing(self.kind, _add_months(self.start, n * months), self.as_of)

    def _cut_like(self, other: "Period") -> tuple[date, date]:
        """other's range cut to the same number of days as self counts (for partial periods)."""
        if not self.is_partial:
            return other.start, other.end
        return other.start, min(other.end, other.start + timedelta(days=self.days_counted - 1))

    def previous_range(self) -> tuple[date, date]:
        return self._cut_like(self.shifted(-1))

    def last_year_range(self) -> tuple[date, date]:
        if self.kind == "week":
            y, w, _ = self.start.isocalendar()
            try:
                start = date.fromisocalendar(y - 1, w, 1)
            except ValueError:
                start = date.fromisocalendar(y - 1, 52, 1)
            other = Period("week", start, start + timedelta(days=6), self.as_of)
        else:
            other = self.shifted(-{"month": 12, "quarter": 4, "year": 1}[self.kind])
        return self._cut_like(other)

    def day_range(self) -> tuple[int, int]:
        return day_key(self.start), day_key(self.last_day)

    def year_to_date_range(self) -> tuple[int, int]:
        """From 1 Jan of the period's year to its last counted day (年累计 indicators)."""
        return day_key(date(self.last_day.year, 1, 1)), day_key(self.last_day)

    def options(self, n: int = 24) -> list["Period"]:
        """The latest n periods of this kind up to the as-of date (for the selector)."""
        latest = Period.containing(self.kind, self.as_of, self.as_of)
        return [latest.shifted(-i) for i in range(n)]


def last_months(period: Period, n: int) -> list[int]:
    """Month keys (YYYYMM) of the n months up to the period's last counted day, oldest first (trend axes)."""
    y, m, out = period.last_day.year, period.last_day.month, []
    for _ in range(n):
        out.append(y * 100 + m)
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(out))


def year_pace(d: date) -> float:
    """序时进度 in percent: days elapsed from 1 Jan through d (inclusive) ÷ days in d's year.

    The one pace every page uses (3 Dec 2026: 337 ÷ 365 = 92.3%; 30 Nov: 334 ÷ 365 = 91.5%)."""
    start, end = date(d.year, 1, 1), date(d.year, 12, 31)
    return ((d - start).days + 1) / ((end - start).days + 1) * 100


def range_params(start: date, end: date, prefix: str = "") -> dict:
    """Bind parameters of a date range: day keys and month keys (inclusive)."""
    return {f"{prefix}d0": day_key(start), f"{prefix}d1": day_key(end),
            f"{prefix}m0": month_key(start), f"{prefix}m1": month_key(end)}


def period_params(period: Period) -> dict:
    """Current, previous and last-year ranges as binds: d0,d1,m0,m1 / p_d0… / y_d0…"""
    params = range_params(period.start, period.last_day)
    params.update(range_params(*period.previous_range(), prefix="p_"))
    params.update(range_params(*period.last_year_range(), prefix="y_"))
    params["asof"] = day_key(period.as_of)
    params["ytd0"], params["ytd1"] = period.year_to_date_range()
    params["year"] = period.last_day.year
    return params
