"""优抚对象: veterans with an entitlement (≈27% of the register) plus 三属, 60+烈士子女 and 义务兵家庭.

One category per person, by priority 残疾 > 在乡复员 > 参战参试 > 带病回乡 > 农村籍60+
(DOMAIN.md §1.4, [L3] Art.61-62). Counties with a 老区 profile (Pingjiang) have more 三属.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from queries.demo import dates as D
from queries.demo.context import PINGJIANG, Ctx
from queries.demo.people import CONSCRIPT, Veterans, _deaths, _village_in_county

CATEGORIES = np.array(["残疾军人", "烈士遗属", "因公牺牲军人遗属", "病故军人遗属", "在乡复员军人",
                       "带病回乡退伍军人", "参战参试退役军人", "农村籍退役士兵(60岁以上)",
                       "烈士子女(60岁以上)", "义务兵家庭"], object)
(C_CANJI, C_LIESHI, C_YINGONG, C_BINGGU, C_FUYUAN, C_DAIBING, C_CANZHAN, C_NONGCUN,
 C_ZINV, C_YIWUBING) = range(10)
SANSHU = (C_LIESHI, C_YINGONG, C_BINGGU)
# Disability grades 1 (heaviest) … 10: most disabled veterans hold grades 7-10.
GRADE_P = np.array([0.5, 0.8, 1.5, 2.5, 4, 6, 12, 20, 25, 27.7])
ENLISTMENTS_PER_CAPITA = 0.00025
FIXED_ENLISTMENTS = {(PINGJIANG, 2023): 239}      # seed 002: 239 光荣牌 for new recruits' families
SANSHU_PER_VETERAN = 0.011
ZINV_PER_VETERAN = 0.004
CUTOFF_1954 = np.datetime64("1954-11-01")
CUTOFF_2011 = np.datetime64("2011-11-01")          # 《退役士兵安置条例》 in force


@dataclass
class Beneficiaries:
    village: np.ndarray
    category: np.ndarray
    veteran_id: np.ndarray      # 0 = none
    soldier_ref: np.ndarray     # 0 = none
    grade: np.ndarray           # 0 = none
    factor: np.ndarray          # personal factor on the standard (disability type, years served…)
    since: np.ndarray
    until: np.ndarray
    died: np.ndarray

    def __len__(self) -> int:
        return len(self.village)

    @property
    def ids(self) -> np.ndarray:
        return np.arange(1, len(self) + 1)


def generate_beneficiaries(ctx: Ctx, v: Veterans) -> Beneficiaries:
    rng = ctx.rng("beneficiaries")
    parts = [_from_veterans(ctx, rng, v), _survivors(ctx, rng, v), _conscript_families(ctx, rng)]
    out = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.lexsort((out["category"], out["village"]))
    return Beneficiaries(**{k: val[order] for k, val in out.items()})


def _from_veterans(ctx: Ctx, rng, v: Veterans) -> dict:
    n = len(v)
    vil = ctx.vil
    laoqu = ctx.county["laoqu"].to_numpy()[vil["county"].to_numpy()[v.village]]
    rural = np.where(vil["urban"].to_numpy()[v.village], rng.random(n) < 0.15, rng.random(n) < 0.92)
    dyear = D.ymd(v.discharged)[0]
    age_now = ctx.as_of.year - v.birth_year
    u = rng.random(n)
    canji = u < np.where(v.stype == CONSCRIPT, 0.020, 0.028)
    fuyuan = (v.enlisted < CUTOFF_1954) & rural & (rng.random(n) < 0.8)
    war = np.where((dyear >= 1979) & (dyear <= 1992), 0.16, np.where((dyear >= 1962) & (dyear < 1979), 0.05, 0.0))
    canzhan = rng.random(n) < war * (0.85 + 0.15 * laoqu)
    daibing = (v.stype == CONSCRIPT) & (v.discharged < CUTOFF_2011) & (rng.random(n) < 0.012)
    nongcun = ((v.stype == CONSCRIPT) & (v.enlisted >= CUTOFF_1954) & (v.discharged < CUTOFF_2011)
               & rural & (age_now >= 60) & (rng.random(n) < 0.97))
    cat = np.select([canji, fuyuan, canzhan, daibing, nongcun],
                    [C_CANJI, C_FUYUAN, C_CANZHAN, C_DAIBING, C_NONGCUN], -1)
    keep = cat >= 0
    # Since when: disability from discharge; 60+ rural subsidy from the 60th birthday (policy 2011).
    birthday60 = _date(v.birth_year + 60, rng.integers(1, 13, n), rng.integers(1, 29, n))
    since = np.select(
        [cat == C_CANJI, cat == C_NONGCUN, cat == C_CANZHAN, cat == C_DAIBING],
        [D.add_days(v.discharged, rng.integers(60, 400, n)),
         np.maximum(birthday60, np.datetime64("2011-08-01")),
         D.add_days(np.datetime64("2007-08-01"), rng.integers(0, 900, n)),
         D.add_days(v.discharged, rng.integers(365, 3000, n))],
        D.add_days(np.datetime64("1985-01-01"), rng.integers(0, 3000, n)))
    keep &= since <= ctx.end
    keep &= np.isnat(v.died) | (v.died >= since)
    grade = np.where(cat == C_CANJI, rng.choice(np.arange(1, 11), n, p=GRADE_P / GRADE_P.sum()), 0)
    # Personal factor: disability type (因战/因公/因病) or years of conscript service (农村籍).
    served = np.clip(np.round((v.discharged - v.enlisted).astype(np.int64) / 365.25), 1, 6)
    factor = np.select([cat == C_CANJI, cat == C_NONGCUN],
                       [rng.choice([1.0, 0.97, 0.94], n, p=[0.4, 0.4, 0.2]), served], 1.0)
    idx = np.flatnonzero(keep)
    return {"village": v.village[idx], "category": cat[idx], "veteran_id": v.ids[idx],
            "soldier_ref": np.zeros(len(idx), np.int64), "grade": grade[idx], "factor": factor[idx].astype(float),
            "since": since[idx], "until": np.full(len(idx), D.NAT), "died": v.died[idx]}


def _survivors(ctx: Ctx, rng, v: Veterans) -> dict:
    """三属 and 60+ 烈士子女, per county in proportion to its veterans (more in 老区)."""
    vets = np.bincount(ctx.vil["county"].to_numpy()[v.village], minlength=len(ctx.county))
    laoqu = ctx.county["laoqu"].to_numpy()
    n_sanshu = rng.poisson(vets * SANSHU_PER_VETERAN * laoqu)
    n_zinv = rng.poisson(vets * ZINV_PER_VETERAN * laoqu)
    county = np.concatenate([np.repeat(np.arange(len(vets)), n_sanshu), np.repeat(np.arange(len(vets)), n_zinv)])
    n = len(county)
    zinv = np.arange(n) >= n_sanshu.sum()
    cat = np.where(zinv, C_ZINV, rng.choice(SANSHU, n, p=[0.45, 0.20, 0.35]))
    age = np.where(zinv, rng.integers(60, 86, n), rng.integers(45, 96, n))
    birth = ctx.as_of.year - age
    # Most have drawn the pension for years; a few new cases every year of the window.
    new = rng.random(n) < 0.02 * ctx.years
    window_days = (ctx.end - ctx.start).astype(np.int64)
    since = np.where(new, D.add_days(ctx.start, rng.integers(0, window_days + 1, n)),
                     D.add_days(np.datetime64("1990-01-01"), rng.integers(0, 9000, n)))
    since = np.where(zinv, np.maximum(since, _date(birth + 60, rng.integers(1, 13, n), 1)), since)
    keep = since <= ctx.end
    died = _deaths(ctx, rng, birth, since)
    village = _village_in_county(ctx, rng, county)
    idx = np.flatnonzero(keep)
    return {"village": village[idx], "category": cat[idx], "veteran_id": np.zeros(len(idx), np.int64),
            "soldier_ref": np.zeros(len(idx), np.int64), "grade": np.zeros(len(idx), np.int64),
            "factor": np.ones(len(idx)), "since": since[idx], "until": np.full(len(idx), D.NAT), "died": died[idx]}


def _conscript_families(ctx: Ctx, rng) -> dict:
    """义务兵家庭: eligible from enlistment for the two years of service (spring and autumn intakes)."""
    county = ctx.county
    years = np.arange(ctx.as_of.year - ctx.years - 2, ctx.as_of.year + 1)
    rows_c, rows_d = [], []
    for ci, code in enumerate(county["code"]):
        for y in years:
            n = FIXED_ENLISTMENTS.get((code, int(y)), rng.poisson(county["pop"].iat[ci] * ENLISTMENTS_PER_CAPITA))
            spring = rng.random(n) < (0.4 if y >= 2020 else 0.0)      # two intakes a year since 2020
            when = np.where(spring, _date(np.full(n, y), 3, rng.integers(1, 20, n)),
                            _date(np.full(n, y), 9, rng.integers(1, 25, n)))
            rows_c.append(np.full(n, ci))
            rows_d.append(when)
    ci = np.concatenate(rows_c)
    since = np.concatenate(rows_d)
    keep = since <= ctx.end
    ci, since = ci[keep], since[keep]
    n = len(ci)
    until = (since.astype("datetime64[M]") + np.timedelta64(24, "M")).astype("datetime64[D]") + (
        since - since.astype("datetime64[M]").astype("datetime64[D]"))
    return {"village": _village_in_county(ctx, rng, ci), "category": np.full(n, C_YIWUBING),
            "veteran_id": np.zeros(n, np.int64), "soldier_ref": np.arange(1, n + 1) * 7919 % 10_000_000 + 10_000_000,
            "grade": np.zeros(n, np.int64), "factor": np.ones(n), "since": since, "until": until,
            "died": np.full(n, D.NAT)}


def _date(year, month, day):
    idx = (np.asarray(year) - 1970) * 12 + np.asarray(month) - 1
    return D.in_month(idx, day)


def beneficiary_table(ctx: Ctx, b: Beneficiaries) -> dict:
    from queries.demo.columns import coded
    ref = np.where(b.soldier_ref > 0, b.soldier_ref, 0)
    labels = np.array([None] + [f"S{r}" for r in ref[ref > 0]], object)
    ref_codes = np.zeros(len(b), np.int64)
    ref_codes[ref > 0] = np.arange(1, (ref > 0).sum() + 1)
    return {
        "beneficiary_id": b.ids,
        "region_code": coded(ctx.vil["code"].to_numpy(), b.village),
        "category": coded(CATEGORIES, b.category),
        "veteran_id": np.where(b.veteran_id > 0, b.veteran_id, np.nan),
        "soldier_ref": coded(labels, ref_codes),
        "disability_grade": np.where(b.grade > 0, b.grade, np.nan),
        "since_on": b.since,
        "until_on": b.until,
        "died_on": b.died,
        "died_day": D.day_keys(b.died),
    }
