"""Questions behind the overview page (驾驶舱首页). One function per .sql file in sql/overview/."""
from __future__ import annotations

from datetime import timedelta

import pandas as pd

from queries.binds import all_binds as _binds, region_binds
from queries.db import Database
from queries.periods import Period, day_key, month_key


def overview_network(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """Stations that should exist vs built, and 五有 compliance, for the region and its children."""
    return db.frame("overview_network", _binds(scope, region, period))


def overview_placement(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """Year's placement task vs placed-and-reported, for the region and its children (county-level)."""
    return db.frame("overview_placement", _binds(scope, region, period))


def overview_employment(db: Database, scope: str, region: str, period: Period,
                        as_of_day: int | None = None, with_children: bool = True,
                        cohort: int | None = None) -> pd.DataFrame:
    """Latest status of a 自主就业 cohort (default: the previous year's) as at the period end (or as_of_day)."""
    params = _binds(scope, region, period)
    params.update(cohort=cohort or period.last_day.year - 1, with_children=1 if with_children else 0,
                  asof_day=as_of_day or params["d1"])
    return db.frame("overview_employment", params)


def overview_funds(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """Amounts paid, year-to-date execution against budget, on-time-in-full counts."""
    return db.frame("overview_funds", _binds(scope, region, period))


def overview_petitions(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """Petitions received, due and closed on time; veterans for the per-万 rate."""
    return db.frame("overview_petitions", _binds(scope, region, period))


def overview_trend(db: Database, scope: str, region: str, period: Period, months: int = 36) -> pd.DataFrame:
    """Monthly series (funds, petitions, activity, discharges) for the months up to the period end."""
    params = region_binds(scope, region)
    end = period.last_day
    first = end.replace(day=1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    params.update(t_m0=month_key(first), t_m1=month_key(end), t_d0=day_key(first), t_d1=day_key(end))
    frame = db.frame("overview_trend", params)
    frame["month"] = frame["month"].astype(int)      # MariaDB's "/" yields decimals (202611.0000)
    return frame


def station_card(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """The station serving exactly this region, with its last-30-days activity as at the period end."""
    params = region_binds(scope, region)
    end = period.last_day
    params.update(asof_day=day_key(end), d30=day_key(end - timedelta(days=29)))
    return db.frame("station_card", params)
