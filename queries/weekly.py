"""Questions only the weekly review (/weekly) asks. One function per .sql file in sql/weekly/."""
from __future__ import annotations

from datetime import timedelta

import pandas as pd

from queries.binds import region_binds
from queries.db import Database
from queries.periods import Period, day_key


def weekly_placement_unreported(db: Database, scope: str, region: str, period: Period,
                                lookback_days: int = 365) -> pd.DataFrame:
    """Per region (the region and its children): people past their 30-day report deadline at the
    period's last day and not yet received (报到登记); deadlines within lookback_days of that day."""
    params = region_binds(scope, region)
    end = period.last_day
    params.update(d1=day_key(end), due0=day_key(end - timedelta(days=lookback_days)))
    frame = db.frame("weekly_placement_unreported", params)
    frame["unreported"] = frame["unreported"].astype("int64")
    return frame
