"""信访: petitions from veterans' villages, with the 信访工作条例 deadlines ([L1] Art.22, 34).

≈0.05 petitions per veteran per year, weekday rhythm, busier in March (两会) and after the
discharge seasons, online channels growing. Story: 3-5 hot townships (4-8× the average, more
group and repeat visits) and one township whose petitions spike in the last ten days.
"""
from __future__ import annotations

import numpy as np

from queries.demo import dates as D
from queries.demo.columns import coded
from queries.demo.context import Ctx
from queries.demo.people import Veterans

CHANNELS = np.array(["来访", "来信", "网上信访", "来电", "12345转办"], object)
CH_EARLY = [0.36, 0.12, 0.22, 0.16, 0.14]
CH_LATE = [0.26, 0.07, 0.38, 0.13, 0.16]
CATEGORIES = np.array(["安置", "待遇", "历史遗留", "社保", "医疗", "就业", "优待落实", "住房", "困难帮扶", "其他"], object)
CAT_P = np.array([14, 20, 15, 14, 8, 9, 7, 4, 6, 3], float)
ITEM_TYPES = np.array(["建议意见", "检举控告", "申诉求决"], object)
SATISFACTION = np.array(["满意", "基本满意", "不满意", None], object)
PER_VETERAN_YEAR = 0.05
WEEKDAY = np.array([1.2, 1.05, 1.0, 1.0, 0.95, 0.35, 0.25])
SPIKE_DAYS = 10


def petition_table(ctx: Ctx, v: Veterans) -> dict:
    rng = ctx.rng("petitions")
    start, end = ctx.start, ctx.end
    ndays = int((end - start).astype(int)) + 1
    days = D.add_days(np.full(ndays, start), np.arange(ndays))
    _, month, dom = D.ymd(days)
    season = np.select([month == 3, (month == 2) & (dom < 20), np.isin(month, [4, 10])], [1.3, 0.7, 1.15], 1.0)
    w = WEEKDAY[D.weekday(days)] * season
    cw = np.concatenate([[0.0], np.cumsum(w)])

    vil = ctx.vil
    town = vil["town"].to_numpy()
    hot = ctx.stories["hot_town"][town]
    hot_factor = np.where(hot, rng.uniform(4, 8, len(ctx.town))[town], 1.0)
    vets = np.bincount(v.village[np.isnat(v.died)], minlength=len(vil))
    per_day = PER_VETERAN_YEAR / 365.25 * ndays / cw[-1]
    count = rng.poisson(vets * hot_factor * per_day * cw[-1])
    village = np.repeat(np.arange(len(vil)), count)
    day = np.clip(np.searchsorted(cw, rng.random(len(village)) * cw[-1], side="right") - 1, 0, ndays - 1)

    # The spike: the last ten days in one township run at 6× (at least a few a day).
    spike_v = np.flatnonzero(ctx.stories["spike_town"][town])
    if len(spike_v):
        normal = (vets[spike_v] * per_day * w[-SPIKE_DAYS:].mean()).sum()
        extra = rng.poisson(max(6 * normal, 3.0), SPIKE_DAYS)
        sv = rng.choice(spike_v, extra.sum(), p=(vets[spike_v] + 1) / (vets[spike_v] + 1).sum())
        village = np.concatenate([village, sv])
        day = np.concatenate([day, np.repeat(np.arange(ndays - SPIKE_DAYS, ndays), extra)])
    spike = np.zeros(len(village), bool)
    if len(spike_v):
        spike[-extra.sum():] = True
    if not (day >= ndays - 1 - int(D.weekday(np.array([end]))[0])).any():   # this week never empty
        village = np.append(village, int(np.argmax(vets)))
        day = np.append(day, ndays - 1)
        spike = np.append(spike, False)
    order = np.lexsort((village, day))
    village, day, spike = village[order], day[order], spike[order]
    n = len(village)
    received = days[day]
    hot_row = hot[village] | spike
    t = day / max(ndays - 1, 1)

    late_mix = rng.random(n) < t
    channel = np.where(late_mix, rng.choice(5, n, p=CH_LATE), rng.choice(5, n, p=CH_EARLY))
    channel = np.where(spike & (rng.random(n) < 0.6), 0, channel)
    visit = channel == 0
    u = rng.random(n)
    group_p = np.where(spike, 0.35, np.where(hot_row, 0.14, 0.08))
    persons = np.where(visit & (u < group_p), rng.integers(5, 31, n),
                       np.where(u < group_p + np.where(visit, 0.15, 0.05), rng.integers(2, 5, n), 1))
    # Hot townships argue mostly about one topic.
    dominant = rng.choice([0, 2, 1], len(ctx.town))[vil["town"].to_numpy()[village]]
    category = np.where(hot_row & (rng.random(n) < 0.5), dominant, rng.choice(10, n, p=CAT_P / CAT_P.sum()))
    item_type = rng.choice(3, n, p=[0.16, 0.12, 0.72])
    skip = rng.random(n) < np.where(visit, np.where(hot_row, 0.25, 0.10), 0.02)

    ref, repeat = _petitioners(rng, vil["town"].to_numpy()[village], hot_row, spike, item_type)

    accept_delay = np.where(rng.random(n) < np.where(hot_row, 0.85, 0.92), rng.integers(0, 16, n), rng.integers(16, 41, n))
    accepted = D.not_after(D.add_days(received, accept_delay), end)
    extended = ~np.isnat(accepted) & (rng.random(n) < 0.08)
    due = np.where(np.isnat(accepted), D.NAT, D.add_days(accepted, np.where(extended, 90, 60)))
    late = rng.random(n) < np.where(hot_row, 0.12, 0.04)
    work = np.where(late, rng.integers(1, 61, n) + np.where(extended, 90, 60),
                    np.minimum(np.round(rng.gamma(1.8, 15.0, n)) + 1, np.where(extended, 90, 60)))
    closed = D.add_days(accepted, np.where(np.isnat(accepted), 0, work).astype(np.int64))
    # A few cases stay open long past their deadline (积案).
    stuck = ~np.isnat(accepted) & (rng.random(n) < np.where(hot_row, 0.03, 0.008))
    closed = np.where(np.isnat(accepted) | stuck, D.NAT, D.not_after(closed, end))
    sat_p = np.where(hot_row[:, None], [0.50, 0.25, 0.17, 0.08], [0.70, 0.17, 0.05, 0.08])
    sat = (rng.random(n)[:, None] > np.cumsum(sat_p, 1)).sum(1)
    sat = np.where(np.isnat(closed), 3, sat)
    return {
        "petition_id": np.arange(1, n + 1),
        "region_code": coded(vil["code"].to_numpy(), village),
        "received_on": received,
        "received_day": D.day_keys(received),
        "channel": coded(CHANNELS, channel),
        "category": coded(CATEGORIES, category),
        "item_type": coded(ITEM_TYPES, item_type),
        "persons": persons,
        "is_repeat": repeat,
        "is_skip_level": skip,
        "petitioner_ref": ref,
        "accept_deadline_day": D.day_keys(D.add_days(received, 15)),
        "accepted_on": accepted,
        "accepted_day": D.day_keys(accepted),
        "due_on": due,
        "due_day": D.day_keys(due),
        "extended": extended,
        "closed_on": closed,
        "closed_day": D.day_keys(closed),
        "satisfaction": coded(SATISFACTION, sat),
    }


def _petitioners(rng, town, hot_row, spike, item_type):
    """Repeat petitioners come from a small pool per township; a row is a repeat exactly when its
    petitioner has petitioned before (rows are in date order). Some letters are anonymous."""
    n = len(town)
    wants_repeat = rng.random(n) < np.where(spike, 0.45, np.where(hot_row, 0.30, 0.14))
    pool_size = np.maximum(2, np.round(np.bincount(town) * 0.02)).astype(int)
    base = np.concatenate([[0], np.cumsum(pool_size)])
    pooled = 1_000_000 + base[town] + np.floor(rng.random(n) * pool_size[town]).astype(int)
    ref = np.where(wants_repeat, pooled, 2_000_000 + np.arange(n)).astype(float)
    anonymous = ~wants_repeat & (item_type == 1) & (rng.random(n) < 0.3)
    ref[anonymous] = np.nan
    _, first = np.unique(ref[wants_repeat], return_index=True)
    repeat = wants_repeat.copy()
    repeat[np.flatnonzero(wants_repeat)[first]] = False
    return ref, repeat
