"""Veterans (建档立卡): recent discharge cohorts per county, the older stock per village.

Recent cohorts (placement window) are drawn per county × year × (service type, mode) cell so the
published Pingjiang counts can be set exactly; the older stock is drawn per village from an age
profile. ≈2.0% of residents are living registered veterans (county rates 1.6-2.5%; DOMAIN.md §3.4:
1.75-2.2%), so 郴州 ≈ 9.3万 and the province ≈ 134万; rows also hold those who died since 2019.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from queries.demo import dates as D
from queries.demo.context import PINGJIANG, Ctx

MODES = np.array(["转业", "逐月领取退役金", "自主就业", "安排工作", "退休", "供养", "复员", "自主择业"], object)
M_ZHUANYE, M_ZHUYUE, M_ZIZHU, M_ANPAI, M_TUIXIU, M_GONGYANG, M_FUYUAN, M_ZEYE = range(8)
STYPES = np.array(["军官", "军士", "义务兵"], object)
OFFICER, NCO, CONSCRIPT = range(3)

# Recent cohorts: share of each service type, then mode given type ([L2] Art.5 modes per rank).
RECENT_TYPE = {CONSCRIPT: 0.55, NCO: 0.40, OFFICER: 0.05}
RECENT_MODE = {
    CONSCRIPT: {M_ZIZHU: 0.965, M_ANPAI: 0.030, M_GONGYANG: 0.005},
    NCO: {M_ZIZHU: 0.66, M_ANPAI: 0.15, M_ZHUYUE: 0.14, M_TUIXIU: 0.045, M_GONGYANG: 0.005},
    OFFICER: {M_ZHUANYE: 0.55, M_ZHUYUE: 0.30, M_TUIXIU: 0.10, M_FUYUAN: 0.05},
}
DISCHARGES_PER_CAPITA = 0.00026       # per resident per year (≈ a county's yearly enlistment)
# Pingjiang 2023 (seed 002): 232 自主就业 received, 25 安排工作.
FIXED_COHORTS = {(PINGJIANG, 2023): {M_ZIZHU: 232, M_ANPAI: 25}}
REGISTER_START = np.datetime64("2019-01-01")   # 建档立卡 began 2018-2019: deaths before are not on file


@dataclass
class Veterans:
    village: np.ndarray       # index into ctx.vil
    birth_year: np.ndarray
    female: np.ndarray
    stype: np.ndarray         # index into STYPES
    mode: np.ndarray          # index into MODES
    enlisted: np.ndarray      # datetime64[D]
    discharged: np.ndarray
    died: np.ndarray          # NaT if alive
    recent: np.ndarray        # in a placement cohort
    laoban: np.ndarray
    zhishu: np.ndarray

    def __len__(self) -> int:
        return len(self.village)

    @property
    def ids(self) -> np.ndarray:
        return np.arange(1, len(self) + 1)


def generate_veterans(ctx: Ctx) -> Veterans:
    rng = ctx.rng("veterans")
    recent = _recent_cohorts(ctx, rng)
    old = _old_stock(ctx, rng, recent_per_capita=DISCHARGES_PER_CAPITA * (ctx.as_of.year - ctx.first_cohort + 1))
    parts = {k: np.concatenate([recent[k], old[k]]) for k in recent}
    # Stable order: by village, then discharge date -> ids follow the region tree.
    order = np.lexsort((parts["discharged"], parts["village"]))
    parts = {k: v[order] for k, v in parts.items()}
    died = _deaths(ctx, rng, parts["birth_year"], parts["discharged"])
    laoban, zhishu = _bing_flags(ctx, rng, parts["village"], parts["birth_year"], died)
    return Veterans(died=died, laoban=laoban, zhishu=zhishu, **parts)


def _recent_cohorts(ctx: Ctx, rng) -> dict:
    county = ctx.county
    years = np.arange(ctx.first_cohort, ctx.as_of.year + 1)
    cells = [(t, m, pt * pm) for t, pt in RECENT_TYPE.items() for m, pm in RECENT_MODE[t].items()]
    rows_county, rows_year, rows_type, rows_mode = [], [], [], []
    for ci, code in enumerate(county["code"]):
        lam = county["pop"].iat[ci] * DISCHARGES_PER_CAPITA
        for y in years:
            counts = rng.poisson([lam * p for _, _, p in cells])
            fixed = FIXED_COHORTS.get((code, int(y)))
            if fixed:
                for mode, total in fixed.items():
                    idx = [i for i, (_, m, _) in enumerate(cells) if m == mode]
                    share = np.array([cells[i][2] for i in idx])
                    counts[idx] = rng.multinomial(total, share / share.sum())
            n = int(counts.sum())
            rows_county.append(np.full(n, ci))
            rows_year.append(np.full(n, y))
            rows_type.append(np.repeat([t for t, _, _ in cells], counts))
            rows_mode.append(np.repeat([m for _, m, _ in cells], counts))
    ci = np.concatenate(rows_county)
    year = np.concatenate(rows_year)
    stype = np.concatenate(rows_type)
    mode = np.concatenate(rows_mode)
    n = len(ci)

    # Discharge dates: conscripts/NCOs in the spring (March) or autumn (September) season,
    # officers in the summer hand-over; FIXED cohorts must stay inside their year (they do).
    autumn = rng.random(n) < 0.55
    month = np.where(autumn, 9, 3)
    month = np.where(stype == OFFICER, rng.choice([6, 7, 8], n), month)
    day = np.clip(np.round(rng.triangular(1, 12, 30, n)), 1, 30).astype(int)
    discharged = _date(year, month, day)
    keep = discharged <= ctx.end
    # Villages: a veteran settles in a village of his county, weighted by population.
    village = _village_in_county(ctx, rng, ci)
    serv = _service_years(rng, stype, mode)
    enlisted = D.add_days(discharged, -np.round(serv * 365.25).astype(int) - rng.integers(0, 20, n))
    enlist_age = np.where(stype == OFFICER, rng.integers(18, 22, n), rng.integers(18, 21, n))
    birth = D.ymd(enlisted)[0] - enlist_age
    female = rng.random(n) < np.where(stype == OFFICER, 0.12, 0.04)
    out = {"village": village, "birth_year": birth, "female": female, "stype": stype, "mode": mode,
           "enlisted": enlisted, "discharged": discharged, "recent": np.ones(n, bool)}
    return {k: v[keep] for k, v in out.items()}


def _service_years(rng, stype, mode) -> np.ndarray:
    n = len(stype)
    years = np.full(n, 2.0)                                              # 义务兵: two years
    nco = stype == NCO
    years = np.where(nco & (mode == M_ZIZHU), 3 + rng.geometric(0.35, n) - 1, years)
    years = np.where(nco & np.isin(mode, [M_ANPAI, M_ZHUYUE]), rng.integers(12, 21, n), years)
    years = np.where(nco & (mode == M_TUIXIU), rng.integers(30, 34, n), years)
    years = np.where(nco & (mode == M_GONGYANG), rng.integers(3, 11, n), years)
    off = stype == OFFICER
    years = np.where(off & (mode == M_ZHUANYE), rng.integers(12, 23, n), years)
    years = np.where(off & (mode == M_ZHUYUE), rng.integers(20, 29, n), years)
    years = np.where(off & (mode == M_TUIXIU), rng.integers(30, 36, n), years)
    years = np.where(off & (mode == M_FUYUAN), rng.integers(8, 16, n), years)
    return np.minimum(years, 34).astype(float)


def _old_stock(ctx: Ctx, rng, recent_per_capita: float) -> dict:
    vil, county = ctx.vil, ctx.county
    rate = county["vet_rate"].to_numpy()[vil["county"].to_numpy()]
    # Rows include the ~8% who died since the register began; recent cohorts are drawn apart.
    lam = vil["pop"].to_numpy() * np.maximum(rate * 1.08 - recent_per_capita, 0.004)
    counts = rng.poisson(lam)
    village = np.repeat(np.arange(len(vil)), counts)
    n = len(village)
    last = ctx.first_cohort - 1
    ages = np.arange(ctx.as_of.year - last + 20, 96)
    weights = np.interp(ages, [25, 35, 45, 55, 62, 70, 78, 85, 95], [1.0, 1.15, 1.45, 1.85, 1.95, 1.6, 0.9, 0.45, 0.08])
    age = rng.choice(ages, n, p=weights / weights.sum())
    birth = ctx.as_of.year - age
    stype = rng.choice([CONSCRIPT, NCO, OFFICER], n, p=[0.80, 0.15, 0.05])
    dage = np.select([stype == CONSCRIPT, stype == NCO],
                     [rng.integers(20, 25, n), rng.integers(24, 39, n)], rng.integers(32, 51, n))
    dyear = birth + dage
    dyear = np.where(dyear > last, last - rng.integers(0, 4, n), dyear)
    dyear = np.maximum(dyear, birth + 19)
    month = np.where(dyear < 2013, np.where(rng.random(n) < 0.6, 12, rng.integers(1, 13, n)),
                     np.where(rng.random(n) < 0.6, 9, rng.integers(1, 13, n)))
    discharged = _date(dyear, month, rng.integers(1, 29, n))
    serv = np.select([stype == CONSCRIPT, stype == NCO],
                     [np.where(dyear < 1999, rng.integers(3, 6, n), 2), rng.integers(5, 17, n)],
                     rng.integers(15, 26, n))
    serv = np.minimum(serv, dyear - birth - 17)
    enlisted = D.add_days(discharged, -serv * 365 - rng.integers(0, 60, n))
    mode = _old_mode(rng, stype, dyear)
    female = rng.random(n) < np.where(stype == OFFICER, 0.08, 0.02)
    return {"village": village, "birth_year": birth, "female": female, "stype": stype, "mode": mode,
            "enlisted": enlisted, "discharged": discharged, "recent": np.zeros(n, bool)}


def _old_mode(rng, stype, dyear) -> np.ndarray:
    """Historical placement of the older stock, by era and rank."""
    n = len(stype)
    u = rng.random(n)
    early, mid = dyear < 1980, (dyear >= 1980) & (dyear < 2011)
    conscript = np.select([early, mid], [np.where(u < 0.7, M_FUYUAN, M_ANPAI), np.where(u < 0.3, M_ANPAI, M_ZIZHU)],
                          np.where(u < 0.06, M_ANPAI, M_ZIZHU))
    nco = np.select([u < 0.40, u < 0.80, u < 0.90], [M_ANPAI, M_ZIZHU, M_ZHUANYE], M_TUIXIU)
    officer = np.where(early, np.where(u < 0.8, M_ZHUANYE, M_TUIXIU),
                       np.select([u < 0.65, (u < 0.9) & (dyear >= 2001)], [M_ZHUANYE, M_ZEYE], M_TUIXIU))
    return np.select([stype == CONSCRIPT, stype == NCO], [conscript, nco], officer)


def _deaths(ctx: Ctx, rng, birth, discharged) -> np.ndarray:
    """Deaths since the register began (Gompertz hazard ≈0.8%/yr at 60, 6%/yr at 80)."""
    since = np.maximum(discharged, min(REGISTER_START, ctx.start))
    span = (ctx.end - since).astype(np.int64) / 365.25
    age_mid = ctx.as_of.year - birth - span / 2
    hazard = 0.008 * np.exp(0.095 * (age_mid - 60))
    t = rng.exponential(1.0, len(birth)) / hazard
    died = D.add_days(since, np.minimum(np.round(t * 365.25), 10 ** 6).astype(np.int64))
    died[died > ctx.end] = D.NAT
    return died


def _bing_flags(ctx: Ctx, rng, village, birth, died):
    age = ctx.as_of.year - birth
    alive = np.isnat(died)
    laoban = alive & (age >= 25) & (age <= 60) & (rng.random(len(birth)) < 0.008)
    # 兵支书: about 9% of villages (rural ones more often) have a veteran Party branch secretary.
    vil = ctx.vil
    p = np.where(vil["urban"].to_numpy(), 0.05, 0.10)
    has = rng.random(len(vil)) < p
    cand = np.flatnonzero(alive & (age >= 30) & (age <= 65) & has[village])
    zhishu = np.zeros(len(birth), bool)
    if len(cand):
        shuffled = cand[rng.permutation(len(cand))]
        _, first = np.unique(village[shuffled], return_index=True)
        zhishu[shuffled[first]] = True
    return laoban, zhishu


def _village_in_county(ctx: Ctx, rng, county_idx: np.ndarray) -> np.ndarray:
    vil = ctx.vil
    out = np.empty(len(county_idx), np.int64)
    vcounty = vil["county"].to_numpy()
    pop = vil["pop"].to_numpy()
    for ci in np.unique(county_idx):
        members = np.flatnonzero(vcounty == ci)
        rows = np.flatnonzero(county_idx == ci)
        out[rows] = rng.choice(members, len(rows), p=pop[members] / pop[members].sum())
    return out


def _date(year, month, day) -> np.ndarray:
    idx = (np.asarray(year) - 1970) * 12 + np.asarray(month) - 1
    return D.in_month(idx, day)


def veteran_table(ctx: Ctx, v: Veterans) -> dict:
    from queries.demo.columns import coded
    return {
        "veteran_id": v.ids,
        "region_code": coded(ctx.vil["code"].to_numpy(), v.village),
        "birth_year": v.birth_year,
        "sex": coded(["男", "女"], v.female.astype(int)),
        "service_type": coded(STYPES, v.stype),
        "enlisted_on": v.enlisted,
        "discharged_on": v.discharged,
        "discharged_day": D.day_keys(v.discharged),
        "placement_mode": coded(MODES, v.mode),
        "died_on": v.died,
        "died_day": D.day_keys(v.died),
        "is_bing_laoban": v.laoban,
        "is_bing_zhishu": v.zhishu,
    }
