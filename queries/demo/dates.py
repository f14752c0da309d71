"""Vectorised date helpers: dates are numpy datetime64[D] arrays, NaT means "not (yet) happened"."""
from __future__ import annotations

from datetime import date

import numpy as np

NAT = np.datetime64("NaT", "D")


def d64(d: date | str) -> np.datetime64:
    return np.datetime64(d, "D")


def days(a: np.datetime64, b: np.datetime64) -> int:
    """Whole days from a to b."""
    return int((b - a).astype(int))


def ymd(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day of each date (garbage where NaT: mask it yourself)."""
    d = np.asarray(d, dtype="datetime64[D]")
    months = d.astype("datetime64[M]")
    y = months.astype(np.int64) // 12 + 1970
    m = months.astype(np.int64) % 12 + 1
    dd = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
    return y, m, dd


def _keyed(d: np.ndarray, key: np.ndarray) -> np.ndarray:
    """int64 keys, or float64 with NaN where the date is NaT (the loader writes NULL)."""
    nat = np.isnat(d)
    if nat.any():
        out = key.astype(np.float64)
        out[nat] = np.nan
        return out
    return key


def _by_lookup(d: np.ndarray, compute) -> np.ndarray:
    """Apply a per-day key function through a table over the array's day range: calendar
    conversions of 20 million dates cost seconds, a gather costs milliseconds."""
    d = np.asarray(d, dtype="datetime64[D]")
    n = d.view(np.int64)
    nat = np.isnat(d)
    if nat.all():
        return np.full(len(d), np.nan)
    if nat.any():
        lo, hi = n[~nat].min(), n[~nat].max()
        idx = np.where(nat, 0, n - lo)
    else:
        lo, hi = n.min(), n.max()
        idx = n - lo
    table = compute(np.arange(lo, hi + 1).astype("datetime64[D]"))
    return _keyed(d, table[idx])


def _day_key(d):
    y, m, dd = ymd(d)
    return y * 10000 + m * 100 + dd


def _month_key(d):
    y, m, _ = ymd(d)
    return y * 100 + m


def _week_key(d):
    n = d.astype(np.int64)
    weekday = (n + 3) % 7                 # 1970-01-01 was a Thursday; Monday = 0
    thursday = n - weekday + 3            # the ISO year is the year of the week's Thursday
    iso_year = thursday.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    jan1 = (iso_year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    return iso_year * 100 + (thursday - jan1) // 7 + 1


def day_keys(d: np.ndarray) -> np.ndarray:
    """20261123-style keys (queries.periods.day_key, vectorised); NaN where NaT."""
    return _by_lookup(d, _day_key)


def month_keys(d: np.ndarray) -> np.ndarray:
    return _by_lookup(d, _month_key)


def week_keys(d: np.ndarray) -> np.ndarray:
    """ISO year*100 + ISO week, like queries.periods.week_key."""
    return _by_lookup(d, _week_key)


def weekday(d: np.ndarray) -> np.ndarray:
    """Monday = 0 … Sunday = 6."""
    return (np.asarray(d, dtype="datetime64[D]").astype(np.int64) + 3) % 7


def month_index(d: np.ndarray) -> np.ndarray:
    """Months since 1970-01 (a dense integer month axis)."""
    return np.asarray(d, dtype="datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_start(idx: np.ndarray) -> np.ndarray:
    """First day of the month for month_index values."""
    return np.asarray(idx, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]")


def in_month(idx: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The given day of month (clipped to the month's length) for month_index values."""
    first = month_start(idx)
    length = (month_start(np.asarray(idx) + 1) - first).astype(np.int64)
    return first + (np.minimum(np.asarray(day), length) - 1).astype("timedelta64[D]")


def add_days(d: np.ndarray, n) -> np.ndarray:
    return np.asarray(d, dtype="datetime64[D]") + np.asarray(n, dtype=np.int64).astype("timedelta64[D]")


def not_after(d: np.ndarray, limit: np.datetime64) -> np.ndarray:
    """Dates after the limit become NaT (an event that has not happened yet at as_of)."""
    d = np.array(d, dtype="datetime64[D]", copy=True)
    d[d > limit] = NAT
    return d
