"""A county's year in figures, the way its 工作总结 reports them (e.g. 平江县 2023, seed 002).

One .sql file per figure in sql/report/; every query filters by the region's subtree and by the
viewer's scope. 口径 of each figure is in the header comment of its .sql file.
"""
from __future__ import annotations

import pandas as pd

from queries import codes
from queries.db import Database
from queries.regions import OutOfScope

COLUMNS = ["figure", "value", "unit"]


def _binds(scope: str, region: str, year: int) -> dict:
    if not codes.is_within(region, scope):
        raise OutOfScope(f"区划“{codes.short_code(region)}”不在您的查看范围内")
    region_lo, region_hi = codes.subtree_range(region)
    scope_lo, scope_hi = codes.subtree_range(scope)
    return {"region": codes.code12(region), "region_lo": region_lo, "region_hi": region_hi,
            "scope_lo": scope_lo, "scope_hi": scope_hi,
            "year": int(year), "d0": year * 10000 + 101, "d1": year * 10000 + 1231,
            "m0": year * 100 + 1, "m1": year * 100 + 12}


def _first(frame: pd.DataFrame, column: str) -> float:
    value = frame[column].iloc[0] if len(frame) else None
    return 0 if value is None or pd.isna(value) else value


def county_year_summary(db: Database, scope: str, region: str, year: int) -> pd.DataFrame:
    """Published-style yearly figures for a region (usually a county): one row per figure."""
    params = _binds(scope, region, year)
    received = db.frame("report_zizhu_received", params)
    anpai = db.frame("report_anpai_destinations", params)
    helped = db.frame("report_employed_helped", params)
    fuxu = db.frame("report_fuxu_paid", params)
    youdai = db.frame("report_youdai_paid", params)
    rows = [
        ("接收自主就业退役士兵", int(_first(received, "received")), "人"),
        ("接收政府安排工作退役士兵", int(_first(anpai, "total")), "人"),
        ("其中：安置到事业单位", int(_first(anpai, "shiye")), "人"),
        ("其中：安置到央企", int(_first(anpai, "yangqi")), "人"),
        ("其中：安置到党政机关", int(_first(anpai, "dangzheng")), "人"),
        ("其中：安置到地方国企", int(_first(anpai, "difang_guoqi")), "人"),
        ("帮助实现就业创业", int(_first(helped, "helped")), "人"),
        ("优抚对象抚恤补助资金发放", round(float(_first(fuxu, "paid")) / 10_000, 2), "万元"),
        ("义务兵家庭优待金发放", round(float(_first(youdai, "paid")) / 10_000, 2), "万元"),
    ]
    return pd.DataFrame(rows, columns=COLUMNS)
