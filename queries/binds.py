"""Bind parameters every query takes: region, its subtree range, the viewer's scope, the period."""
from __future__ import annotations

from queries import codes
from queries.periods import Period, period_params
from queries.regions import OutOfScope


def region_binds(scope: str, region: str) -> dict:
    """region (12 digits), region_lo/hi (its subtree), scope_lo/hi (the viewer's subtree).

    Refuses a region outside the scope before any SQL runs; the SQL filters by the scope again.
    """
    if not codes.is_within(region, scope):
        raise OutOfScope(f"区划“{codes.short_code(region)}”不在您的查看范围内")
    region_lo, region_hi = codes.subtree_range(region)
    scope_lo, scope_hi = codes.subtree_range(scope)
    return {"region": codes.code12(region), "region_lo": region_lo, "region_hi": region_hi,
            "scope_lo": scope_lo, "scope_hi": scope_hi}


def all_binds(scope: str, region: str, period: Period) -> dict:
    """region_binds + period_params (d0,d1,m0,m1, p_*, y_*, ytd0/ytd1, ytd_m0, year, asof)."""
    params = region_binds(scope, region)
    params.update(period_params(period))
    params["ytd_m0"] = params["ytd0"] // 100
    return params
