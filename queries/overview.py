"""Questions behind the overview page (驾驶舱首页) beyond its KPIs, which come from the area queries
(dashboard/region_values.py). One function per .sql file in sql/overview/."""
from __future__ import annotations

from datetime import timedelta

import pandas as pd

from queries.binds import region_binds
from queries.db import Database
from queries.periods import Period, day_key, month_key


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
