"""Questions behind the 资金发放 page. One function per .sql file in sql/funds/.

Every figure reads a rollup: totals and trends roll_payment_month / roll_payment_people, F5
roll_payment_backpay, the four anomaly checks roll_payment_audit (counts per child) and
roll_payment_audit_case (the newest-first lists, through ix_rpac), all built by `vetdash refresh`
(queries/rollups/funds.py). Only a village's beneficiary categories read raw payment rows. Anomaly lists
leave this module with masked IDs only (queries.codes.mask_id): the raw beneficiary_id never reaches the
dashboard.
"""
from __future__ import annotations

from datetime import timedelta

import pandas as pd

from queries.binds import all_binds, region_binds
from queries.codes import mask_id
from queries.db import Database
from queries.periods import Period, month_key
from queries.rollups.funds import CHECK_KINDS

LIST_LIMIT = 200
CHECKS = CHECK_KINDS                                 # anomaly checks, in display order


def _binds(scope: str, region: str, period: Period) -> dict:
    """all_binds plus the previous period's year-to-date start and year (for F2's comparison)."""
    params = all_binds(scope, region, period)
    params["p_year"] = params["p_m1"] // 100
    params["p_ytd_m0"] = params["p_year"] * 100 + 1
    params["p_ytd_d0"] = params["p_year"] * 10000 + 101               # 1 Jan of the previous period's year
    params["y_ytd_d0"] = (params["y_d1"] // 10000) * 10000 + 101      # 1 Jan last year (to the same day)
    return params


def funds_summary(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """F1-F4 inputs for the region and its children: paid, year-to-date paid vs budget, on-time rows,
    beneficiaries — each for the period, the previous period and the same period last year."""
    return db.frame("funds_summary", _binds(scope, region, period))


def funds_kind_month(db: Database, scope: str, region: str, period: Period, months: int = 36) -> pd.DataFrame:
    """Amounts by fund kind and month for the `months` months up to the period's end."""
    params = region_binds(scope, region)
    first = period.last_day.replace(day=1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    params.update(t_m0=month_key(first), t_m1=month_key(period.last_day))
    return db.frame("funds_kind_month", params)


def funds_kind_by_child(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """Amounts by fund kind in the period, for the region and each child."""
    return db.frame("funds_kind_by_child", _binds(scope, region, period))


def funds_backpay(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """调标补发 rows due this year and those paid in full, for the region (its whole subtree) and each child."""
    return db.frame("funds_backpay", _binds(scope, region, period))


def funds_village_categories(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """A village's beneficiaries paid in the period, by category (raw rows: villages only)."""
    return db.frame("funds_village_categories", _binds(scope, region, period))


# ----------------------------------------------------------------------------- anomaly checks
def funds_audit_by_child(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """Cases and 实发 amount per check this year, for the region (its whole subtree) and each child:
    columns region_code, check_kind, cases, amount (only pairs with cases)."""
    return db.frame("funds_audit_by_child", _binds(scope, region, period))


def funds_dup_list(db: Database, scope: str, region: str, period: Period, limit: int = LIST_LIMIT) -> pd.DataFrame:
    """The first `limit` 重复发放 cases in the subtree, newest first, with masked IDs."""
    return _masked(db.frame("funds_dup_list", {**_binds(scope, region, period), "limit": int(limit)}))


def funds_death_list(db: Database, scope: str, region: str, period: Period, limit: int = LIST_LIMIT) -> pd.DataFrame:
    """The first `limit` 死亡后发放 rows in the subtree, newest first, with masked IDs."""
    return _masked(db.frame("funds_death_list", {**_binds(scope, region, period), "limit": int(limit)}))


def funds_range_list(db: Database, scope: str, region: str, period: Period, limit: int = LIST_LIMIT) -> pd.DataFrame:
    """The first `limit` 超出标准范围 rows in the subtree, newest first, with masked IDs."""
    return _masked(db.frame("funds_range_list", {**_binds(scope, region, period), "limit": int(limit)}))


def funds_register_list(db: Database, scope: str, region: str, period: Period,
                        limit: int = LIST_LIMIT) -> pd.DataFrame:
    """The first `limit` 不在登记地名册 rows in the subtree, newest first, with masked IDs."""
    return _masked(db.frame("funds_register_list", {**_binds(scope, region, period), "limit": int(limit)}))


ANOMALY_LISTS = {"dup": funds_dup_list, "death": funds_death_list,
                 "range": funds_range_list, "register": funds_register_list}


def _masked(frame: pd.DataFrame) -> pd.DataFrame:
    """Replace beneficiary_id by its masked form (****3821); keep the row order of the query."""
    out = frame.copy()
    ids = out.pop("beneficiary_id")
    out.insert(0, "masked_id", pd.Series([mask_id(v) for v in ids], index=out.index, dtype=object))
    return out
