"""四级服务网络: one centre per city/county, one station per township and village (a few missing),
and the stations' daily service records.

Missing village stations and weaker 五有 concentrate in the weak counties/townships; ~10% of
stations are signposted but inactive (no record in the last 30-90 days), mostly in a few
"slack" townships. service_objects = veterans + other 优抚对象 living in the unit's area
(village for a village station, the whole township/county/city for the others).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from queries.demo import dates as D
from queries.demo.beneficiaries import Beneficiaries
from queries.demo.columns import coded
from queries.demo.context import Ctx
from queries.demo.people import Veterans

GRADES = np.array(["国家级", "省级", "市级", "县级", None], object)
KINDS = np.array(["政策咨询", "帮扶救助", "走访慰问", "就业服务", "权益维护", "其他"], object)
WEEKDAY = np.array([1.05, 1.0, 1.0, 1.0, 0.95, 0.3, 0.2])          # Monday … Sunday
RATE = {2: 1.5, 3: 2.0, 4: 0.6, 5: 0.035}                          # random records per working day
ROUTINE_DAYS = (12, 25)        # stations also log a routine visit every 12-24 days while active
BENCHMARK_TOWNS = {"430626": "童市镇"}                              # seed 002: first 标杆型 station


@dataclass
class Units:
    region: np.ndarray         # 12-digit code
    level: np.ndarray
    name: np.ndarray
    founded: np.ndarray
    town: np.ndarray           # township index (-1 above township)
    county: np.ndarray         # county index (-1 for city centres)
    village: np.ndarray        # village index (-1 above village)

    def __len__(self) -> int:
        return len(self.region)


def generate_units(ctx: Ctx) -> Units:
    rng = ctx.rng("network")
    lo, hi = ctx.root.ljust(12, "0"), ctx.root.ljust(12, "9")
    reg = ctx.regions
    sub = reg[(reg["code"] >= lo) & (reg["code"] <= hi)]
    weak_c = ctx.stories["weak_county"]
    cities = sub[sub["level"] == 2]
    counties = sub[sub["level"] == 3]
    town_in = np.isin(ctx.town["code"].to_numpy(), sub["code"].to_numpy())
    town_idx = np.flatnonzero(town_in)
    t_weak = weak_c[ctx.town["county"].to_numpy()[town_idx]]
    t_missing = rng.random(len(town_idx)) < (np.where(ctx.town["kind"].to_numpy()[town_idx] == "其他", 0.3, 0.01)
                                             + 0.05 * t_weak)
    town_idx = town_idx[~t_missing]
    vil = ctx.vil
    v_weak = weak_c[vil["county"].to_numpy()] * 0.18 + ctx.stories["weak_town"][vil["town"].to_numpy()] * 0.30
    v_idx = np.flatnonzero(rng.random(len(vil)) >= 0.004 + v_weak)

    county_index = {c: i for i, c in enumerate(ctx.county["code"])}
    region = np.concatenate([cities["code"], counties["code"], ctx.town["code"].to_numpy()[town_idx],
                             vil["code"].to_numpy()[v_idx]]).astype(object)
    level = np.concatenate([np.full(len(cities), 2), np.full(len(counties), 3), np.full(len(town_idx), 4),
                            np.full(len(v_idx), 5)])
    names = np.concatenate([cities["name"], counties["name"], ctx.town["name"].to_numpy()[town_idx],
                            vil["name"].to_numpy()[v_idx]]).astype(object)
    names = np.array([_unit_name(nm, lv) for nm, lv in zip(names, level)], object)
    n = len(region)
    town = np.concatenate([np.full(len(cities) + len(counties), -1), town_idx, vil["town"].to_numpy()[v_idx]])
    county = np.concatenate([np.full(len(cities), -1), [county_index.get(c, -1) for c in counties["code"]],
                             ctx.town["county"].to_numpy()[town_idx], vil["county"].to_numpy()[v_idx]]).astype(int)
    village = np.concatenate([np.full(n - len(v_idx), -1), v_idx])

    # Founded: centres in 2019, township stations 2019-2020, village stations 2019-2021,
    # late builders in weak counties up to 2025.
    base = np.select([level == 2, level == 3, level == 4],
                     [D.add_days(np.datetime64("2019-03-01"), rng.integers(0, 180, n)),
                      D.add_days(np.datetime64("2019-04-01"), rng.integers(0, 270, n)),
                      D.add_days(np.datetime64("2019-06-01"), rng.integers(0, 580, n))],
                     D.add_days(np.datetime64("2019-09-01"), rng.integers(0, 850, n)))
    weak = (county >= 0) & weak_c[np.maximum(county, 0)]
    late = weak & (level == 5) & (rng.random(n) < 0.25)
    founded = np.where(late, D.add_days(np.datetime64("2022-01-01"), rng.integers(0, 1400, n)), base)
    founded = np.minimum(founded, ctx.end)
    return Units(region=region, level=level, name=names, founded=founded, town=town, county=county, village=village)


def _unit_name(name: str, level: int) -> str:
    for long, short in (("村民委员会", "村"), ("居民委员会", "社区"), ("社区居委会", "社区"), ("居委会", "社区")):
        if name.endswith(long):
            name = name[: -len(long)] + short
            break
    return name + ("退役军人服务中心" if level <= 3 else "退役军人服务站")


def unit_table(ctx: Ctx, u: Units, v: Veterans, b: Beneficiaries) -> dict:
    rng = np.random.default_rng([ctx.seed, 5000])
    n = len(u)
    lv = u.level
    weak = ((u.county >= 0) & ctx.stories["weak_county"][np.maximum(u.county, 0)]) | (
        (u.town >= 0) & ctx.stories["weak_town"][np.maximum(u.town, 0)])
    # Per item: ≈93% of village stations meet all five; weak areas clearly fewer.
    base = np.select([lv <= 3, lv == 4], [0.995, 0.99], 0.986) - 0.07 * weak

    def item(extra=0.0):
        return rng.random(n) < base + extra

    model = rng.random(n) < np.select([lv <= 3, lv == 4], [0.30, 0.10], 0.03)
    grade = np.where(model, rng.choice(4, n, p=[0.04, 0.16, 0.35, 0.45]), 4)
    benchmark = (lv == 4) & (rng.random(n) < 0.02)
    for county, town_name in BENCHMARK_TOWNS.items():
        benchmark |= (lv == 4) & (u.region.astype(str) >= county.ljust(12, "0")) & (
            u.region.astype(str) <= county.ljust(12, "9")) & (u.name == town_name + "退役军人服务站")
    full = np.select([lv == 2, lv == 3, lv == 4], [rng.integers(10, 21, n), rng.integers(5, 13, n),
                                                   rng.integers(2, 5, n)], rng.integers(0, 2, n))
    part = np.select([lv <= 3, lv == 4], [rng.integers(0, 4, n), rng.integers(1, 4, n)], rng.integers(1, 4, n))
    cert = rng.binomial(full + part, np.select([lv <= 3, lv == 4], [0.6, 0.5], 0.25))
    return {
        "unit_id": np.arange(1, n + 1),
        "region_code": u.region,
        "level": lv,
        "name": u.name,
        "founded_on": u.founded,
        "founded_day": D.day_keys(u.founded),
        "has_institution": item(0.02),
        "has_quota": item(np.where(lv == 5, -0.01, 0.0)),
        "has_personnel": item(0.02),
        "has_funding": item(),
        "has_safeguards": item(),
        "is_model": model,
        "model_grade": coded(GRADES, grade),
        "is_benchmark": benchmark,
        "is_red": rng.random(n) < np.where(lv == 4, 0.06, 0.03),
        "yibu_yizhan": (lv == 4) & (rng.random(n) < 0.85),
        "staff_full": full,
        "staff_part": part,
        "staff_certified": cert,
        "service_objects": _service_objects(ctx, u, v, b),
    }


def _service_objects(ctx: Ctx, u: Units, v: Veterans, b: Beneficiaries) -> np.ndarray:
    alive_vets = np.bincount(v.village[np.isnat(v.died)], minlength=len(ctx.vil))
    current = (b.veteran_id == 0) & np.isnat(b.died) & (np.isnat(b.until) | (b.until > ctx.end))
    per_village = alive_vets + np.bincount(b.village[current], minlength=len(ctx.vil))
    codes = ctx.vil["code"].to_numpy().astype(str)
    order = np.argsort(codes)
    csum = np.concatenate([[0], np.cumsum(per_village[order])])
    sorted_codes = codes[order]
    # Area total = villages whose code lies in the unit's subtree range.
    lens = np.array([{2: 4, 3: 6, 4: 9, 5: 12}[lv] for lv in u.level])
    lo = np.array([c[:k].ljust(12, "0") for c, k in zip(u.region.astype(str), lens)])
    hi = np.array([c[:k].ljust(12, "9") for c, k in zip(u.region.astype(str), lens)])
    return csum[np.searchsorted(sorted_codes, hi, "right")] - csum[np.searchsorted(sorted_codes, lo, "left")]


def _routine(rng, stations, first, last, days):
    """Routine records every 12-24 days (moved off weekends): an active station is never silent
    for 30 days, so "inactive" means the story's inactive stations only."""
    period = rng.integers(*ROUTINE_DAYS, len(first))
    offset = np.floor(rng.random(len(first)) * period).astype(np.int64)
    count = np.where(stations & (last >= first + offset), (last - first - offset) // period + 1, 0)
    unit = np.repeat(np.arange(len(first)), count)
    k = np.arange(len(unit)) - np.repeat(np.cumsum(count) - count, count)
    day = first[unit] + offset[unit] + k * period[unit]
    wd = D.weekday(days[day])
    shift = rng.integers(1, 3, len(day))           # Saturday -> Thu/Fri, Sunday -> Mon/Tue
    day = np.clip(day + np.select([wd == 5, wd == 6], [-shift, shift], 0), first[unit], last[unit])
    return unit, day


def activity_table(ctx: Ctx, u: Units) -> dict:
    """Service records: Poisson counts per unit over its active window, dated by a day-weight curve
    (weekdays, 春节/八一 visiting seasons, a slow upward trend)."""
    rng = ctx.rng("activity")
    start, end = ctx.start, ctx.end
    ndays = int((end - start).astype(int)) + 1
    days = D.add_days(np.full(ndays, start), np.arange(ndays))
    _, month, dom = D.ymd(days)
    season = np.where((month == 1) | ((month == 2) & (dom < 20)) | ((month == 7) & (dom >= 20)) | ((month == 8) & (dom <= 3)), 1.35, 1.0)
    w = WEEKDAY[D.weekday(days)] * season * np.linspace(0.8, 1.2, ndays)
    cw = np.concatenate([[0.0], np.cumsum(w)])

    n = len(u)
    # Inactive: the last record 30-90 days before as_of; mostly village stations in slack townships.
    slack = (u.town >= 0) & ctx.stories["slack_town"][np.maximum(u.town, 0)]
    p_inactive = np.select([u.level == 5, u.level == 4], [np.where(slack, 0.55, 0.06), 0.01], 0.0)
    inactive = rng.random(n) < p_inactive
    first = np.clip((np.maximum(u.founded, start) - start).astype(np.int64), 0, ndays)
    last = np.where(inactive, ndays - 1 - rng.integers(30, 91, n), ndays - 1)
    last = np.maximum(last, first - 1)
    rate = np.array([RATE[lv] for lv in u.level]) * rng.lognormal(0, 0.45, n)
    weight = cw[last + 1] - cw[first]
    count = rng.poisson(rate * weight)
    unit = np.repeat(np.arange(n), count)
    pos = cw[first[unit]] + rng.random(len(unit)) * (cw[last[unit] + 1] - cw[first[unit]])
    day = np.clip(np.searchsorted(cw, pos, side="right") - 1, first[unit], last[unit])
    r_unit, r_day = _routine(rng, u.level >= 4, first, last, days)
    unit, day = np.concatenate([unit, r_unit]), np.concatenate([day, r_day])
    # Make sure this week has records even for a tiny root.
    week_start = ndays - 1 - int(D.weekday(np.array([end]))[0])
    if not (day >= week_start).any():
        active = np.flatnonzero(~inactive)
        extra = active[: max(1, min(3, len(active)))]
        unit = np.concatenate([unit, extra])
        day = np.concatenate([day, np.full(len(extra), ndays - 1)])
    order = np.lexsort((day, unit))       # unit (region) order: sequential reads by region
    unit, day = unit[order], day[order]
    dates = days[day]
    m = month[day]
    visit_season = (m == 1) | (m == 2) | (m == 7) | (m == 8)
    kind = np.where(visit_season, rng.choice(6, len(unit), p=[0.22, 0.12, 0.40, 0.12, 0.06, 0.08]),
                    rng.choice(6, len(unit), p=[0.32, 0.12, 0.22, 0.16, 0.08, 0.10]))
    items = np.minimum(rng.geometric(0.55, len(unit)), 20)
    visits = np.where(kind == 2, rng.integers(1, 9, len(unit)), np.where(kind == 1, rng.integers(0, 3, len(unit)), 0))
    return {
        "activity_id": np.arange(1, len(unit) + 1),
        "unit_id": unit + 1,
        "region_code": coded(u.region, unit),
        "activity_on": dates,
        "day": D.day_keys(dates),
        "week": D.week_keys(dates),
        "month": D.month_keys(dates),
        "kind": coded(KINDS, kind),
        "items": items,
        "visits": visits,
    }
