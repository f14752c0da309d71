"""Questions behind the 安置就业 page. One function per .sql file in sql/placement/.

Placements carry the RECEIVING county (placement.region_code); employment facts carry the veteran's
village. So placement figures are read by county at county level and above, and by residence below it.
Region-wide figures read the roll_* tables of queries/rollups/employment.py (one index range per region);
only the narrow county/village queries (placement_summary_residence, employment_village_list) read raw rows.
"""
from __future__ import annotations

import pandas as pd

from queries import codes
from queries.binds import all_binds as _binds
from queries.db import Database
from queries.periods import Period

TREND_YEARS = 4          # cohorts shown in the "是否在改善" charts: the current year and 3 before


def placement_summary(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """P1/P2/P3/P5/P6 counts by receiving county, for the region and its children (county level and up)."""
    return db.frame("placement_summary", _binds(scope, region, period))


def placement_summary_residence(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """P1/P5/P6 counts by the veterans' residence, for a region at county level or below and its children."""
    params = _binds(scope, region, period)
    params["county"] = codes.code12(codes.short_code(region)[:6])     # placements carry the county
    return db.frame("placement_summary_residence", params)


def placement_mix(db: Database, scope: str, region: str, period: Period,
                  years: int = TREND_YEARS) -> pd.DataFrame:
    """Placements per cohort year × season × mode × destination, the last `years` cohorts (receiving county)."""
    params = _binds(scope, region, period)
    params["first_cohort"] = params["year"] - years + 1
    return db.frame("placement_mix", params)


def employment_summary(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """E1 and E2 counts (now, previous period end, last year) for the region and its children."""
    return db.frame("employment_summary", _binds(scope, region, period))


def employment_weekly(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """Per-day changes of 待就业 this year (day 0 = baseline) for cohorts year-1 and year; one region."""
    return db.frame("employment_weekly", _binds(scope, region, period))


def employment_cohorts(db: Database, scope: str, region: str, period: Period,
                       years: int = TREND_YEARS) -> pd.DataFrame:
    """E1 counts of each cohort year-`years` .. year-1, each as at the same day of its following year."""
    params = _binds(scope, region, period)
    params["first_cohort"] = params["year"] - years
    return db.frame("employment_cohorts", params)


def employment_311(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """E4 "311" completion counts (year to the period end, to the previous period's end, last year)."""
    return db.frame("employment_311", _binds(scope, region, period))


def employment_training(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """E5 trainings started per kind (period, previous, last year) for the region and its children."""
    return db.frame("employment_training", _binds(scope, region, period))


def employment_bing(db: Database, scope: str, region: str, period: Period,
                    as_of_day: int | None = None) -> pd.DataFrame:
    """E9 兵老板 and E10 villages with a 兵支书, as at the period end, for the region and its children."""
    params = _binds(scope, region, period)
    params["asof_day"] = as_of_day or params["d1"]
    return db.frame("employment_bing", params)


def employment_village_list(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """One village's 自主就业 veterans (cohorts year-1, year): latest status and this year's 311 services."""
    return db.frame("employment_village_list", _binds(scope, region, period))
