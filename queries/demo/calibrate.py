"""Calibrate fund amounts to published county figures (Pingjiang 2023, seed 002).

The county's generated amounts are scaled (every month of the window, so its series stays smooth)
until the year's SUM(amount_paid) equals the published figure, then the cents left over go on
one ordinary row. The filter is the report's 口径: payment.region_code in the county, month in
the year, fund kinds as listed.
"""
from __future__ import annotations

import numpy as np

from queries.demo.context import PINGJIANG, Ctx
from queries.demo.funds import PAID, Payments
from queries.demo.standards import K_YOUDAI, PERIODIC

# 优抚对象抚恤补助 7,667万元 (残疾抚恤金+定期抚恤金+定期生活补助) and 义务兵家庭优待金 841万元.
FUND_TARGETS = {(PINGJIANG, 2023): [(PERIODIC, 76_670_000.00), ((K_YOUDAI,), 8_410_000.00)]}


def year_covered(ctx: Ctx, year: int) -> bool:
    return ctx.start <= np.datetime64(f"{year}-01-01") and ctx.as_of.year > year


def calibrate_payments(ctx: Ctx, p: Payments) -> dict:
    """Scales in place; returns {(county, year, kinds): factor} for the build summary."""
    county_of_row = ctx.vil["county"].to_numpy()[p["village"]]
    year = p["month_idx"] // 12 + 1970
    codes = ctx.county["code"].to_numpy()
    factors = {}
    for (code, y), targets in FUND_TARGETS.items():
        ci = np.flatnonzero(codes == code)
        if not len(ci) or not year_covered(ctx, y):
            continue
        mine = county_of_row == ci[0]
        for kinds, target in targets:
            rows = mine & np.isin(p["kind"], kinds)
            in_year = rows & (year == y)
            f = target / p["amount_paid"][in_year].sum()
            for col in ("amount_due", "amount_paid"):
                p[col][rows] = np.round(p[col][rows] * f, 2)
            residual = round(target - p["amount_paid"][in_year].sum(), 2)
            plain = np.flatnonzero(in_year & (p["status"] == PAID) & ~p["backpay"] & ~p["foreign"])
            fix = plain[0]
            p["amount_due"][fix] = round(p["amount_due"][fix] + residual, 2)
            p["amount_paid"][fix] = p["amount_due"][fix]
            factors[(code, y, "+".join(map(str, kinds)))] = round(float(f), 4)
    return factors
