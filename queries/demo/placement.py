"""移交安置: one placement row per veteran of the recent cohorts, and the county's yearly task.

自主就业 veterans report within 30 days mostly ([L2] Art.51), some late; task placements
(转业, 安排工作) are placed within months, slowly in the slow county. Pingjiang's 2023
安排工作 destinations are the published 20 事业单位 + 5 央企 (seed 002).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from queries.demo import dates as D
from queries.demo.columns import coded
from queries.demo.context import PINGJIANG, Ctx
from queries.demo.people import M_ANPAI, M_ZHUANYE, M_ZIZHU, MODES, Veterans

DESTINATIONS = np.array(["党政机关", "事业单位", "央企", "地方国企", "其他"], object)
DEST_P = {M_ZHUANYE: [0.55, 0.35, 0.05, 0.05, 0.0], M_ANPAI: [0.05, 0.60, 0.12, 0.20, 0.03]}
FIXED_DESTINATIONS = {(PINGJIANG, 2023): {"事业单位": 20, "央企": 5}}


@dataclass
class Placements:
    vet: np.ndarray            # index into Veterans
    county: np.ndarray
    year: np.ndarray
    autumn: np.ndarray
    mode: np.ndarray
    dest: np.ndarray           # index into DESTINATIONS, -1 none
    discharged: np.ndarray
    received: np.ndarray
    placed: np.ndarray
    reported: np.ndarray
    trained_on: np.ndarray     # adaptive-training start (NaT: not trained)

    def __len__(self) -> int:
        return len(self.vet)


def generate_placements(ctx: Ctx, v: Veterans) -> Placements:
    rng = ctx.rng("placement")
    vet = np.flatnonzero(v.recent)
    n = len(vet)
    county = ctx.vil["county"].to_numpy()[v.village[vet]]
    slow = ctx.stories["slow_county"][county]
    mode = v.mode[vet]
    discharged = v.discharged[vet]
    year, month, _ = D.ymd(discharged)

    dest = np.full(n, -1)
    for m, p in DEST_P.items():
        rows = np.flatnonzero(mode == m)
        dest[rows] = rng.choice(len(DESTINATIONS), len(rows), p=p)
    for (code, y), fixed in FIXED_DESTINATIONS.items():
        rows = np.flatnonzero((ctx.county["code"].to_numpy()[county] == code) & (year == y) & (mode == M_ANPAI))
        wanted = np.repeat([list(DESTINATIONS).index(d) for d in fixed], list(fixed.values()))
        if len(rows) == len(wanted):
            dest[rows] = rng.permutation(wanted)

    # Reporting: most within the 30 days, some late (never beyond 90, so the year is kept).
    u = rng.random(n)
    late_share = np.where(slow, 0.30, 0.15)
    report_delay = np.where(u < 1 - late_share, rng.integers(2, 31, n),
                            np.where(u < 1 - late_share / 5, rng.integers(31, 61, n), rng.integers(61, 91, n)))
    report_delay = np.where(mode == M_ZIZHU, report_delay, rng.integers(10, 61, n))
    received = D.not_after(D.add_days(discharged, report_delay), ctx.end)

    task = np.isin(mode, [M_ZHUANYE, M_ANPAI])
    wait = np.where(mode == M_ZHUANYE, rng.integers(120, 300, n), rng.integers(90, 240, n))
    wait = wait + np.where(slow, rng.integers(60, 150, n), 0)
    placed = D.add_days(discharged, wait)
    reported = D.add_days(placed, rng.integers(5, 31, n))
    placed = np.where(task, D.not_after(placed, ctx.end), D.NAT)
    reported = np.where(task & ~np.isnat(placed), D.not_after(reported, ctx.end), D.NAT)

    # 适应性培训 ("返乡第一课") a few weeks after reporting; most attend.
    attends = rng.random(n) < np.where(slow, 0.80, 0.92)
    start = D.add_days(np.where(np.isnat(received), discharged, received), rng.integers(5, 40, n))
    trained_on = np.where(attends, D.not_after(start, ctx.end), D.NAT)
    return Placements(vet=vet, county=county, year=year, autumn=month > 6, mode=mode, dest=dest,
                      discharged=discharged, received=received, placed=placed, reported=reported,
                      trained_on=trained_on)


def placement_table(ctx: Ctx, v: Veterans, pl: Placements) -> dict:
    task = np.isin(pl.mode, [M_ZHUANYE, M_ANPAI])
    return {
        "placement_id": np.arange(1, len(pl) + 1),
        "veteran_id": v.ids[pl.vet],
        "region_code": coded(ctx.county["code"].to_numpy(), pl.county),
        "cohort_year": pl.year,
        "cohort_season": coded(["春季", "秋季"], pl.autumn.astype(int)),
        "mode": coded(MODES, pl.mode),
        "destination": coded(np.append(DESTINATIONS, None), np.where(pl.dest < 0, len(DESTINATIONS), pl.dest)),
        "is_task": task,
        "discharged_on": pl.discharged,
        "discharged_day": D.day_keys(pl.discharged),
        "report_deadline_day": D.day_keys(D.add_days(pl.discharged, 30)),
        "received_on": pl.received,
        "received_day": D.day_keys(pl.received),
        "placed_on": pl.placed,
        "placed_day": D.day_keys(pl.placed),
        "reported_on": pl.reported,
        "reported_day": D.day_keys(pl.reported),
        "trained": ~np.isnat(pl.trained_on),
    }


def placement_task_table(ctx: Ctx, pl: Placements) -> dict:
    """Per county and cohort year: task = 转业 + 安排工作 placements; posts offered ≥ task (×1.1-1.4)."""
    rng = np.random.default_rng([ctx.seed, 2000])
    years = np.arange(ctx.first_cohort, ctx.as_of.year + 1)
    nc = len(ctx.county)
    task = np.isin(pl.mode, [M_ZHUANYE, M_ANPAI])
    counts = np.bincount(pl.county[task] * len(years) + (pl.year[task] - years[0]), minlength=nc * len(years))
    posts = np.ceil(counts * rng.uniform(1.1, 1.4, len(counts))).astype(int)
    c, y = np.divmod(np.arange(nc * len(years)), len(years))
    return {"region_code": coded(ctx.county["code"].to_numpy(), c), "year": years[y],
            "task": counts, "posts": posts}
