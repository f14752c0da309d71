"""Questions behind the 服务网络 page (four-tier service network). One function per sql/network/*.sql."""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from queries import codes
from queries.binds import all_binds, region_binds
from queries.db import Database
from queries.periods import Period, day_key, from_day_key

RUNNING_DAYS = 30          # 运行: at least one service record in the 30 days to the period end
IDLE_LIST_MAX = 200        # the 挂牌未运行 list shows at most this many stations


def window_start(end: date, days: int = RUNNING_DAYS) -> int:
    """Day key of the first day of the `days`-day window ending on `end` (inclusive)."""
    return day_key(end - timedelta(days=days - 1))


def _period_binds(scope: str, region: str, period: Period) -> dict:
    """all_binds plus a30 / p_a30 / y_a30: the start of the 30-day window before each end day."""
    params = all_binds(scope, region, period)
    for prefix in ("", "p_", "y_"):
        params[f"{prefix}a30"] = window_start(from_day_key(params[f"{prefix}d1"]))
    return params


def trend_months(period: Period, months: int = 36) -> list[int]:
    """Month keys (202611) of the `months` months ending with the period's last counted month."""
    y, m = period.last_day.year, period.last_day.month
    out = []
    for _ in range(months):
        out.append(y * 100 + m)
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(out))


def _trend_binds(scope: str, region: str, period: Period, months: int) -> dict:
    params = region_binds(scope, region)
    first = trend_months(period, months)[0]
    params.update(t_d0=first * 100 + 1, t_d1=day_key(period.last_day))
    return params


def network_expected(db: Database, scope: str, region: str) -> pd.DataFrame:
    """N1 应建数 by tier (centres, townships, villages) for the region and its children."""
    return db.frame("network_expected", region_binds(scope, region))


def network_units(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """Built stations, 五有 items, grades, staff, objects and 运行 counts for the region and children.

    The SQL groups the subtree's stations by their child's code prefix in one range scan (each
    station read once); here the prefixes become child codes, children without a station get zeros,
    and the region's own row (its own centre) becomes the subtree total.
    """
    params = _period_binds(scope, region, period)
    level = codes.level_of(region)
    params["child_len"] = codes.LEVEL_LENGTHS.get(level + 1, 12)
    frame = db.frame("network_units", params)
    rows = db.frame("network_regions", params)[["region_code"]]
    frame["region_code"] = frame.pop("child").str.ljust(12, "0")
    frame = rows.merge(frame, on="region_code", how="left")
    counts = [c for c in frame.columns if c != "region_code"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    is_self = frame["region_code"] == params["region"]
    frame.loc[is_self, counts] = frame[counts].sum().to_numpy()
    return frame


def network_activity(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """办件量, 走访人次 and records in the period (and previous / last year) for region and children."""
    return db.frame("network_activity", all_binds(scope, region, period))


def network_idle(db: Database, scope: str, region: str, period: Period,
                 max_rows: int = IDLE_LIST_MAX) -> pd.DataFrame:
    """Stations built by the period end with no service record in the 30 days to it (capped list)."""
    params = _period_binds(scope, region, period)
    params["max_rows"] = int(max_rows)
    frame = db.frame("network_idle", params)
    for col in ("unit_id", "level", "founded_day", "last_day"):
        frame[col] = frame[col].astype("int64")
    return frame


def _int_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Month keys and counts as int (MariaDB returns (day - day % 100) / 100 and SUMs as decimals)."""
    for col in frame.columns:
        frame[col] = frame[col].fillna(0).astype("int64")
    return frame


def network_trend(db: Database, scope: str, region: str, period: Period, months: int = 36) -> pd.DataFrame:
    """Monthly 办件量 / 走访人次 / records of the region (roll_activity_day)."""
    return _int_columns(db.frame("network_trend", _trend_binds(scope, region, period, months)))


def network_founded(db: Database, scope: str, region: str, period: Period, months: int = 36) -> pd.DataFrame:
    """Stations of the subtree by founding month, up to the period end."""
    return _int_columns(db.frame("network_founded", _trend_binds(scope, region, period, months)))


def network_active_months(db: Database, scope: str, region: str, period: Period,
                          months: int = 36) -> pd.DataFrame:
    """Distinct stations of the subtree with a service record, per month."""
    return _int_columns(db.frame("network_active_months", _trend_binds(scope, region, period, months)))
