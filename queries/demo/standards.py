"""Annual standards (元/人/年) of the periodic benefits, raised every August (调标).

Levels are set for the standard year 2023 (Aug 2023 - Jul 2024) from DOMAIN.md §3.3: national
2019 levels grown ~5-6%/yr (一级因战残疾 88,150 in 2019 -> ~110,000), Fujian 2023 values for the
subsidies; raises follow the 2024 national round (+5.5%, +378/+504/+492/+1,321 元/年).
"""
from __future__ import annotations

import numpy as np

from queries.demo.beneficiaries import (
    C_BINGGU,
    C_CANJI,
    C_CANZHAN,
    C_DAIBING,
    C_FUYUAN,
    C_LIESHI,
    C_NONGCUN,
    C_YINGONG,
    C_YIWUBING,
    C_ZINV,
)

FUND_KINDS = np.array(["残疾抚恤金", "定期抚恤金", "定期生活补助", "义务兵家庭优待金", "医疗补助", "临时救助"], object)
K_CANJI, K_FUXU, K_SHENGHUO, K_YOUDAI, K_YILIAO, K_JIUZHU = range(6)
PERIODIC = (K_CANJI, K_FUXU, K_SHENGHUO)          # 优抚对象抚恤补助 (the Pingjiang 7,667万 口径)
KIND_OF_CATEGORY = np.array([K_CANJI, K_FUXU, K_FUXU, K_FUXU, K_SHENGHUO, K_SHENGHUO, K_SHENGHUO,
                             K_SHENGHUO, K_SHENGHUO, K_YOUDAI])
BASE_YEAR = 2023
GRADE1 = 110_000.0
GRADE_RATIO = np.array([0, 1.00, 0.90, 0.80, 0.64, 0.51, 0.41, 0.31, 0.21, 0.16, 0.12])
PCT = {C_CANJI: GRADE1, C_LIESHI: 37_000.0, C_YINGONG: 33_000.0, C_BINGGU: 31_000.0}
FLAT = {C_FUYUAN: (26_000.0, 1_321.0), C_DAIBING: (10_000.0, 378.0), C_CANZHAN: (11_500.0, 504.0),
        C_ZINV: (8_500.0, 492.0), C_NONGCUN: (650.0, 32.0)}           # (base, raise per year)
PCT_RAISE = 1.055
YOUDAI_RAISE = 1.04                                  # 优待金 follows local income, set each January


def standard_terms(category, grade, factor, youdai_base):
    """Per person: (base, rate, step) with annual(s) = base·rate^(s-2023) + step·(s-2023)."""
    category = np.asarray(category)
    base = np.zeros(len(category))
    rate = np.ones(len(category))
    step = np.zeros(len(category))
    for cat, value in PCT.items():
        m = category == cat
        base[m] = value * (GRADE_RATIO[np.asarray(grade)[m]] if cat == C_CANJI else 1.0)
        rate[m] = PCT_RAISE
    for cat, (value, raise_) in FLAT.items():
        m = category == cat
        base[m], step[m] = value, raise_
    m = category == C_YIWUBING
    base[m], rate[m] = np.asarray(youdai_base)[m], YOUDAI_RAISE
    factor = np.asarray(factor, dtype=float)
    return base * factor, rate, step * factor


def annual_from_terms(base, rate, step, s) -> np.ndarray:
    k = np.asarray(s, dtype=float) - BASE_YEAR
    return base * rate ** k + step * k


def annual_standard(category, grade, factor, youdai_base, s) -> np.ndarray:
    """Annual amount for standard year s (vectorised over rows)."""
    return annual_from_terms(*standard_terms(category, grade, factor, youdai_base), s)


def monthly(annual: np.ndarray) -> np.ndarray:
    return np.round(annual / 12.0)


def standard_ranges(first_year: int, last_year: int) -> dict[int, tuple[float, float]]:
    """fund_standard rows: monthly min/max per fund kind over the window, with a 20% margin
    (so calibrated or slightly odd amounts stay inside; anomalies are far outside)."""
    lo_s, hi_s = first_year - 1, last_year
    canji = (GRADE1 * GRADE_RATIO[10] * 0.94 * PCT_RAISE ** (lo_s - BASE_YEAR),
             GRADE1 * PCT_RAISE ** (hi_s - BASE_YEAR))
    fuxu = (PCT[C_BINGGU] * PCT_RAISE ** (lo_s - BASE_YEAR), PCT[C_LIESHI] * PCT_RAISE ** (hi_s - BASE_YEAR))
    shenghuo = ((FLAT[C_NONGCUN][0] + FLAT[C_NONGCUN][1] * (lo_s - BASE_YEAR)) * 1,
                FLAT[C_FUYUAN][0] + FLAT[C_FUYUAN][1] * (hi_s - BASE_YEAR))
    youdai = (12_000 * YOUDAI_RAISE ** (lo_s - BASE_YEAR), 22_000 * YOUDAI_RAISE ** (hi_s - BASE_YEAR))
    out = {}
    for kind, (lo, hi) in {K_CANJI: canji, K_FUXU: fuxu, K_SHENGHUO: shenghuo, K_YOUDAI: youdai}.items():
        out[kind] = (np.floor(lo / 12 * 0.8), np.ceil(hi / 12 * 1.2))
    out[K_YILIAO] = (100.0, 20_000.0)                 # one-off amounts, not monthly standards
    out[K_JIUZHU] = (100.0, 20_000.0)
    return out
