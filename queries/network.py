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


def rollup_as_of(db: Database) -> int:
    """The data's as-of date (meta): roll_activity_month is cut at it, roll_unit_last taken at it."""
    frame = db.frame("network_rollup_asof")
    return day_key(date.fromisoformat(str(frame.iloc[0, 0]))) if len(frame) else 0


def split_months(d0: int, d1: int, asof: int) -> tuple[int, int, int, int]:
    """Day range [d0, d1] (d0 the 1st of a month) -> (rm0, rm1, rd0, rd1): whole months rm0..rm1 from
    roll_activity_month and the days rd0..rd1 of a last month cut before the as-of date (a past week)
    from day-level data; an empty part is (1, 0). The month rollup is cut at the as-of date, so the as-of
    month is whole when the range ends on the as-of date."""
    if d0 > d1:
        return 1, 0, 1, 0
    if d0 % 100 != 1:
        return 1, 0, d0, d1
    cut = min(d1, asof)
    month_end = (from_day_key(cut) + timedelta(days=1)).day == 1
    last = cut // 100
    if not (month_end or cut == d1 == asof):
        last = last - 89 if last % 100 == 1 else last - 1
    if last < d0 // 100:
        return 1, 0, d0, d1
    rest = (last + 89 if last % 100 == 12 else last + 1) * 100 + 1
    return (d0 // 100, last, rest, d1) if rest <= d1 else (d0 // 100, last, 1, 0)


def _month_binds(db: Database, params: dict) -> dict:
    params["rm0"], params["rm1"], params["rd0"], params["rd1"] = split_months(
        params["t_d0"], params["t_d1"], rollup_as_of(db))
    params["rd_month"] = params["rd1"] // 100
    return params


def network_expected(db: Database, scope: str, region: str) -> pd.DataFrame:
    """N1 应建数 by tier (centres, townships, villages) for the region and its children (roll_network_expected;
    the region table's subtree when the rollup has no row)."""
    params = region_binds(scope, region)
    frame = db.frame_or_none("network_expected_state", params)
    return frame if frame is not None and len(frame) else db.frame("network_expected", params)


def network_units(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """Built stations, 五有 items, grades, staff, objects and 运行 counts for the region and children.

    The SQL groups the subtree's stations by their child's code prefix in one range scan (each
    station read once); here the prefixes become child codes, children without a station get zeros,
    and the region's own row (its own centre) becomes the subtree total. A refreshed roll_network_state
    gives the same rows from 3 seeks per child instead (network_units_state).
    """
    params = _period_binds(scope, region, period)
    state = _units_from_state(db, params)
    if state is not None:
        return state
    level = codes.level_of(region)
    params["child_len"] = codes.LEVEL_LENGTHS.get(level + 1, 12)
    params["last_asof"] = rollup_as_of(db)
    frame = db.frame("network_units", params)
    rows = db.frame("network_regions", params)[["region_code"]]
    frame["region_code"] = frame.pop("child").str.ljust(12, "0")
    frame = rows.merge(frame, on="region_code", how="left")
    counts = [c for c in frame.columns if c != "region_code"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    is_self = frame["region_code"] == params["region"]
    frame.loc[is_self, counts] = frame[counts].sum().to_numpy()
    return frame


def _units_from_state(db: Database, params: dict) -> pd.DataFrame | None:
    """network_units' rows from roll_network_state, or None when the rollup has no row for the region
    (a database not refreshed since the rollup was added): the caller then reads the raw tables."""
    frame = db.frame_or_none("network_units_state", params)
    if frame is None:                  # no such table yet: `vetdash refresh` creates and fills it
        return None
    is_self = frame["region_code"] == params["region"]
    if not is_self.any() or not int(frame.loc[is_self, "has_state"].iloc[0]):
        return None
    frame = frame.drop(columns="has_state")
    counts = [c for c in frame.columns if c != "region_code"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    return frame.reset_index(drop=True)


def network_activity(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """办件量, 走访人次 and records in the period (and previous / last year) for region and children."""
    return db.frame("network_activity", all_binds(scope, region, period))


def network_idle(db: Database, scope: str, region: str, period: Period,
                 max_rows: int = IDLE_LIST_MAX) -> pd.DataFrame:
    """Stations built by the period end with no service record in the 30 days to it (capped list).

    When the period ends on the data's as-of date (the default view) the stations' last records come
    from roll_unit_last (network_idle_asof); an earlier end day (a past week of 周例会) reads the 未运行
    gaps of roll_unit_idle (network_idle_state), or — a database refreshed before that rollup existed —
    seeks each station's last record in station_activity (network_idle)."""
    params = _period_binds(scope, region, period)
    params["max_rows"] = int(max_rows)
    if params["d1"] == rollup_as_of(db):
        frame = db.frame("network_idle_asof", params)
    else:
        frame = db.frame_or_none("network_idle_state", params)
        if frame is None:
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
    """Monthly 办件量 / 走访人次 / records of the region (roll_activity_month; a last month cut before the
    as-of date from roll_activity_day)."""
    return _int_columns(db.frame("network_trend", _month_binds(db, _trend_binds(scope, region, period, months))))


def network_founded(db: Database, scope: str, region: str, period: Period, months: int = 36) -> pd.DataFrame:
    """Stations of the subtree by founding month, up to the period end (roll_network_delta's founding days;
    service_unit when the rollup has no row for the region)."""
    params = _trend_binds(scope, region, period, months)
    # a township's or village's few stations are read directly (faster than its rollup days)
    frame = db.frame_or_none("network_founded_state", params) if codes.level_of(region) <= 3 else None
    if frame is None or not len(frame):
        frame = db.frame("network_founded", params)
    return _int_columns(frame)


def network_active_months(db: Database, scope: str, region: str, period: Period,
                          months: int = 36) -> pd.DataFrame:
    """Distinct stations of the subtree with a service record, per month (roll_activity_month.active_units;
    a last month cut before the as-of date from station_activity)."""
    return _int_columns(db.frame("network_active_months",
                                 _month_binds(db, _trend_binds(scope, region, period, months))))
