"""Payments (one row per beneficiary × month × fund kind), the yearly budget and fund standards.

Timing: each county pays on its own day of the month; most rows are paid on or just before the
due day, the late county pays late (and lately months behind), and anything that would be paid
after as_of is still 未发放. Every August the standards rise; counties implement the raise in
Aug-Nov and pay the difference as a back-pay row (调标补发). A few auditor anomalies are injected
(see `_anomalies`).
"""
from __future__ import annotations

import numpy as np

from queries.demo import dates as D
from queries.demo.beneficiaries import (
    C_CANJI,
    C_CANZHAN,
    C_DAIBING,
    C_FUYUAN,
    C_YIWUBING,
    Beneficiaries,
)
from queries.demo.columns import coded
from queries.demo.context import PINGJIANG, Ctx
from queries.demo.standards import (
    FUND_KINDS,
    K_JIUZHU,
    K_YILIAO,
    K_YOUDAI,
    KIND_OF_CATEGORY,
    PERIODIC,
    annual_from_terms,
    monthly,
    standard_ranges,
    standard_terms,
)

STATUS = np.array(["已发放", "未发放", "退回"], object)
PAID, UNPAID, RETURNED = range(3)
ANOMALIES_PER_MILLION = {"duplicate": 40, "after_death": 25, "out_of_range": 20, "foreign_region": 20}


class Payments(dict):
    """Column arrays (bene, village, kind, month_idx, due, paid_on, amount_due, amount_paid, status, backpay)."""

    def __len__(self) -> int:
        return len(self["bene"])


def generate_payments(ctx: Ctx, b: Beneficiaries) -> Payments:
    rng = ctx.rng("payments")
    county_of_vil = ctx.vil["county"].to_numpy()
    youdai_base = rng.uniform(14_000, 20_000, len(ctx.county))
    youdai_base[ctx.county["code"].eq(PINGJIANG).to_numpy()] = 15_200.0
    p = _periodic_rows(ctx, b, county_of_vil, youdai_base, rng)
    p = _append(p, _backpay_rows(ctx, p, rng))
    p = _append(p, _occasional_rows(ctx, b, p, rng))
    _timing(ctx, p, county_of_vil, rng)
    p = _anomalies(ctx, b, p, rng)
    return p


# ---------------------------------------------------------------- rows
def _periodic_rows(ctx: Ctx, b: Beneficiaries, county_of_vil, youdai_base, rng) -> Payments:
    m0, m1 = D.month_index(ctx.start), D.month_index(ctx.end)
    first = np.maximum(D.month_index(b.since), m0)
    last = np.full(len(b), m1)
    died = ~np.isnat(b.died)
    last[died] = np.minimum(last[died], D.month_index(b.died[died]))
    ended = ~np.isnat(b.until)
    last[ended] = np.minimum(last[ended], D.month_index(b.until[ended]) - 1)   # paid while in service
    count = np.maximum(last - first + 1, 0)
    bene = np.repeat(np.arange(len(b)), count)
    offset = np.arange(len(bene)) - np.repeat(np.cumsum(count) - count, count)
    midx = first[bene] + offset
    year = midx // 12 + 1970
    month = midx % 12 + 1
    cat = b.category[bene]
    county = county_of_vil[b.village[bene]]
    # Standard year: a raise takes effect in August, but a county applies it only from its
    # implementation month; the months in between are paid at the old rate and back-paid later.
    impl, base_year = _implementation_month(ctx, rng)
    s = np.where(month >= 8, year, year - 1)
    applied = impl[county, np.clip(year - base_year, 0, impl.shape[1] - 1)]
    lagging = (month >= 8) & (month < applied)
    s_paid = np.where(cat == C_YIWUBING, year, np.where(lagging, s - 1, s))
    base, rate, step = standard_terms(b.category, b.grade, b.factor, youdai_base[county_of_vil[b.village]])
    terms = (base[bene], rate[bene], step[bene])
    amount = monthly(annual_from_terms(*terms, s_paid))
    p = Payments(bene=bene, village=b.village[bene], kind=KIND_OF_CATEGORY[cat], month_idx=midx,
                 amount_due=amount, backpay=np.zeros(len(bene), bool))
    # What the back-pay rows owe: new minus old standard on the lagging months.
    owed = np.where(lagging & (cat != C_YIWUBING), monthly(annual_from_terms(*terms, s)) - amount, 0.0)
    p["_owed"] = owed
    p["_applied"] = applied
    return p


def _implementation_month(ctx: Ctx, rng) -> tuple[np.ndarray, int]:
    """Month (8-12) from which each county pays the new standard, per year; 13 = not yet."""
    years = np.arange(ctx.start.astype("datetime64[Y]").astype(int) + 1970, ctx.as_of.year + 1)
    late = ctx.stories["late_county"]
    normal = rng.choice([8, 9, 10, 11], (len(ctx.county), len(years)), p=[0.3, 0.35, 0.25, 0.1])
    slow = rng.choice([10, 11, 12], (len(ctx.county), len(years)), p=[0.3, 0.4, 0.3])
    impl = np.where(late[:, None], slow, normal)
    # This year: a county whose month is still ahead has not implemented the raise yet.
    impl[:, -1] = np.where(impl[:, -1] > ctx.as_of.month, 13, impl[:, -1])
    return impl, int(years[0])


def _backpay_rows(ctx: Ctx, p: Payments, rng) -> Payments:
    """One 调标补发 row per beneficiary and year, in the month the county applied the raise."""
    owed = p["_owed"] > 0
    if not owed.any():
        return None
    year = p["month_idx"][owed] // 12
    key = p["bene"][owed].astype(np.int64) * 10_000 + year
    _, first, inv = np.unique(key, return_index=True, return_inverse=True)
    total = np.bincount(inv, weights=p["_owed"][owed])
    src = np.flatnonzero(owed)[first]
    pay_month = year[first] * 12 + p["_applied"][src] - 1
    ok = (p["_applied"][src] <= 12) & (pay_month <= D.month_index(ctx.end))
    src, total, pay_month = src[ok], total[ok], pay_month[ok]
    return Payments(bene=p["bene"][src], village=p["village"][src], kind=p["kind"][src], month_idx=pay_month,
                    amount_due=np.round(total, 2), backpay=np.ones(len(src), bool))


def _occasional_rows(ctx: Ctx, b: Beneficiaries, p: Payments, rng) -> Payments:
    """医疗补助 for the disabled and elderly groups; 临时救助 now and then for anyone in hardship."""
    cat = b.category[p["bene"]]
    base = ~p["backpay"] & (cat != C_YIWUBING)
    heavy = (cat == C_CANJI) & (b.grade[p["bene"]] <= 6)
    rate_med = np.where(heavy, 0.8, np.where(np.isin(cat, [C_CANJI, C_CANZHAN, C_FUYUAN, C_DAIBING]), 0.2, 0.0))
    u = rng.random(len(cat))
    med = base & (u < rate_med / 12)
    relief = base & ~med & (rng.random(len(cat)) < 0.03 / 12)
    rows = np.concatenate([np.flatnonzero(med), np.flatnonzero(relief)])
    kind = np.concatenate([np.full(med.sum(), K_YILIAO), np.full(relief.sum(), K_JIUZHU)])
    amount = np.where(kind == K_YILIAO, rng.lognormal(np.log(1800), 0.7, len(rows)),
                      rng.lognormal(np.log(1500), 0.8, len(rows)))
    amount = np.round(np.clip(amount, 200, 15_000), -1)
    return Payments(bene=p["bene"][rows], village=p["village"][rows], kind=kind, month_idx=p["month_idx"][rows],
                    amount_due=amount, backpay=np.zeros(len(rows), bool))


def _append(p: Payments, extra: Payments | None) -> Payments:
    """p plus extra's rows (columns of p only; working columns starting with _ are dropped)."""
    out = Payments()
    for k, v in p.items():
        if not k.startswith("_"):
            out[k] = np.concatenate([v, extra[k]]) if extra is not None and len(extra) else v
    return out


# ---------------------------------------------------------------- timing
def _timing(ctx: Ctx, p: Payments, county_of_vil, rng) -> None:
    n = len(p)
    county = county_of_vil[p["village"]]
    payday = ctx.county["payday"].to_numpy()[county]
    due = D.in_month(p["month_idx"], payday)
    # Late payers: the late county throughout, and badly in its last three months (a backlog).
    months_back = D.month_index(ctx.end) - p["month_idx"]
    late_c = ctx.stories["late_county"][county]
    p_late = np.where(late_c, np.where(months_back <= 2, 0.45, 0.12), 0.02)
    late = rng.random(n) < p_late
    delay = np.where(late, 1 + rng.geometric(np.where(late_c, 1 / 25, 1 / 6), n), -rng.integers(0, 5, n))
    paid_on = D.add_days(due, delay)
    status = np.where(paid_on <= ctx.end, PAID, UNPAID)
    returned = rng.random(n) < 0.0003
    status[returned & (status == PAID)] = RETURNED
    paid_on[status != PAID] = D.NAT
    p["due"] = due
    p["paid_on"] = paid_on
    p["status"] = status
    p["amount_paid"] = np.where(status == PAID, p["amount_due"], 0.0)


# ---------------------------------------------------------------- anomalies
def _anomalies(ctx: Ctx, b: Beneficiaries, p: Payments, rng) -> Payments:
    """Duplicates, payments after death, amounts outside the standard, rows filed in another village."""
    n = len(p)
    per = {k: max(3, round(v * n / 1e6)) for k, v in ANOMALIES_PER_MILLION.items()}
    regular = np.flatnonzero(~p["backpay"] & (p["status"] == PAID) & np.isin(p["kind"], PERIODIC + (K_YOUDAI,)))
    dup = rng.choice(regular, min(per["duplicate"], len(regular)), replace=False)

    # Payments continuing 1-3 months after the death month. Periodic rows come first in the
    # table, in beneficiary then month order, so a beneficiary's last one is its death month's.
    m_end = D.month_index(ctx.end)
    died = np.flatnonzero(~np.isnat(b.died) & (b.category != C_YIWUBING))
    died = died[D.month_index(b.died[died]) <= m_end - 3]
    ghosts = np.sort(rng.choice(died, min(per["after_death"], len(died)), replace=False))
    periodic_rows = np.flatnonzero(~p["backpay"] & np.isin(p["kind"], PERIODIC))
    bene_rows = p["bene"][periodic_rows]
    at = np.searchsorted(bene_rows, ghosts, side="right") - 1
    found = (at >= 0) & (bene_rows[np.maximum(at, 0)] == ghosts)
    src = periodic_rows[at[found]]
    months_after = rng.integers(1, 4, len(src))
    ghost_src = np.repeat(src, months_after)
    ghost_shift = np.arange(len(ghost_src)) - np.repeat(np.cumsum(months_after) - months_after, months_after) + 1

    extra = np.concatenate([dup, ghost_src])
    out = Payments({k: np.concatenate([v, v[extra]]) for k, v in p.items()})
    d = slice(n, n + len(dup))
    out["paid_on"][d] = np.minimum(D.add_days(out["paid_on"][d], rng.integers(1, 6, len(dup))), ctx.end)
    g = slice(n + len(dup), len(out))
    out["month_idx"][g] += ghost_shift
    payday = ctx.county["payday"].to_numpy()[ctx.vil["county"].to_numpy()[out["village"][g]]]
    out["due"][g] = D.in_month(out["month_idx"][g], payday)
    out["paid_on"][g] = np.minimum(out["due"][g], ctx.end)

    # Amounts outside the standard range (keying errors: far above the top or a few yuan).
    odd = rng.choice(regular, min(per["out_of_range"], len(regular)), replace=False)
    big = rng.random(len(odd)) < 0.6
    ranges = standard_ranges(*_window_years(ctx))
    top = np.array([ranges[k][1] for k in range(len(FUND_KINDS))])[out["kind"][odd]]
    out["amount_due"][odd] = np.where(big, np.round(top * rng.uniform(1.5, 3.0, len(odd))),
                                      rng.integers(1, 10, len(odd)).astype(float))
    out["amount_paid"][odd] = out["amount_due"][odd]
    # Rows filed under another village than the beneficiary's register entry.
    out["foreign"] = np.zeros(len(out), bool)
    if len(ctx.vil) > 1:
        moved = rng.choice(regular, min(per["foreign_region"], len(regular)), replace=False)
        shift = rng.integers(1, len(ctx.vil), len(moved))
        out["village"][moved] = (out["village"][moved] + shift) % len(ctx.vil)
        out["foreign"][moved] = True
    return out


# ---------------------------------------------------------------- tables
def payment_table(ctx: Ctx, b: Beneficiaries, p: Payments) -> dict:
    # Rows stored in (village, month) order (stable: beneficiary order kept within): the rollup
    # refresh and region-filtered detail queries then read the table sequentially.
    key = p["village"].astype(np.int64) * 100_000 + (p["month_idx"] - p["month_idx"].min())
    o = np.argsort(key, kind="stable")
    due, paid = p["due"][o], p["paid_on"][o]
    midx = p["month_idx"][o]
    return {
        "payment_id": np.arange(1, len(o) + 1),
        "beneficiary_id": b.ids[p["bene"][o]],
        "region_code": coded(ctx.vil["code"].to_numpy(), p["village"][o]),
        "fund_kind": coded(FUND_KINDS, p["kind"][o]),
        "month": (midx // 12 + 1970) * 100 + midx % 12 + 1,
        "amount_due": p["amount_due"][o],
        "amount_paid": p["amount_paid"][o],
        "due_on": due,
        "due_day": D.day_keys(due),
        "paid_on": paid,
        "paid_day": D.day_keys(paid),
        "status": coded(STATUS, p["status"][o]),
        "is_backpay": p["backpay"][o],
    }


def budget_table(ctx: Ctx, p: Payments) -> dict:
    """Per county × year × fund kind: the year's expected payments × 1.00-1.10 (lagging counties
    are budgeted ×1.18-1.28 and so execute behind pace)."""
    rng = np.random.default_rng([ctx.seed, 1000])
    county = ctx.vil["county"].to_numpy()[p["village"]]
    year = p["month_idx"] // 12 + 1970
    y0 = int(year.min())
    ny = int(year.max()) - y0 + 1
    nk = len(FUND_KINDS)
    size = len(ctx.county) * ny * nk
    cy = county * ny + (year - y0)
    due = np.bincount(cy * nk + p["kind"], weights=p["amount_due"], minlength=size)
    # Months of the year inside the window (per county-year): annualises the partial first and
    # current years, so the budget is for the whole year.
    covered = np.bincount(np.unique(cy * 12 + p["month_idx"] % 12) // 12, minlength=len(ctx.county) * ny)
    annual = due / np.maximum(np.repeat(covered, nk), 1) * 12
    lag = np.repeat(ctx.stories["lag_county"], ny * nk)
    factor = np.where(lag, rng.uniform(1.18, 1.28, size), rng.uniform(1.0, 1.1, size))
    amount = np.round(annual * factor, -2)
    idx = np.flatnonzero(amount > 0)
    c, rest = np.divmod(idx, ny * nk)
    yi, k = np.divmod(rest, nk)
    return {"region_code": coded(ctx.county["code"].to_numpy(), c), "year": yi + y0,
            "fund_kind": coded(FUND_KINDS, k), "amount": amount[idx]}


def _window_years(ctx: Ctx) -> tuple[int, int]:
    return int(ctx.start.astype("datetime64[Y]").astype(int) + 1970), ctx.as_of.year


def fund_standard_table(ctx: Ctx) -> dict:
    ranges = standard_ranges(*_window_years(ctx))
    kinds = sorted(ranges)
    return {"fund_kind": FUND_KINDS[kinds], "min_monthly": np.array([ranges[k][0] for k in kinds]),
            "max_monthly": np.array([ranges[k][1] for k in kinds])}
