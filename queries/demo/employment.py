"""自主就业 veterans after discharge: status history (一人一档), "311" services and training.

Everyone starts 待就业 on the discharge day; most find a destination within weeks (the 清零
curve after each discharge season), the slow county keeps many 待就业. Some change again later
(new job, start a business, graduate). Status ids follow (veteran, date), so "latest row" =
highest status_id among the latest effective_day.
"""
from __future__ import annotations

import numpy as np

from queries.demo import dates as D
from queries.demo.columns import coded
from queries.demo.context import PINGJIANG, Ctx
from queries.demo.people import M_ZIZHU, Veterans
from queries.demo.placement import Placements

STATUSES = np.array(["复学", "考试入学", "城镇就业", "返乡务农", "创业", "待就业"], object)
S_FUXUE, S_KAOSHI, S_CHENGZHEN, S_WUNONG, S_CHUANGYE, S_DAI = range(6)
EMPLOYED = (S_CHENGZHEN, S_WUNONG, S_CHUANGYE)
OUTCOME_P = np.array([0.09, 0.06, 0.50, 0.13, 0.10, 0.03])          # last = still without destination
# Pingjiang 2023 (seed 002): 415 helped into employment or entrepreneurship. 口径: distinct
# veterans with a status row 城镇就业/返乡务农/创业 effective in 2023 (employment_status, county 430626).
FIXED_EMPLOYED = {(PINGJIANG, 2023): 415}
EVENT_KINDS = np.array(["岗位推荐", "职业指导", "技能培训信息"], object)
TRAINING_KINDS = np.array(["适应性培训", "职业技能培训", "学历提升"], object)


def _sept(year, rng, n):
    """School start: 1-10 September of the given year(s)."""
    first = D.in_month((np.broadcast_to(year, (n,)) - 1970) * 12 + 8, np.ones(n, np.int64))
    return D.add_days(first, rng.integers(0, 10, n))


def generate_status(ctx: Ctx, pl: Placements) -> dict:
    """Rows: pidx (index into placements), date, status, hardship."""
    rng = ctx.rng("employment")
    z = np.flatnonzero(pl.mode == M_ZIZHU)
    n = len(z)
    dis = pl.discharged[z]
    year, month, _ = D.ymd(dis)
    slow = ctx.stories["slow_county"][pl.county[z]]
    p_slow = OUTCOME_P.copy()
    p_slow[-1] = 0.18
    outcome = np.where(slow, rng.choice(6, n, p=p_slow / p_slow.sum()), rng.choice(6, n, p=OUTCOME_P / OUTCOME_P.sum()))
    job_wait = 7 + rng.gamma(1.6, 38.0, n) * np.where(slow, 2.5, 1.0)
    t1 = np.select(
        [outcome == S_FUXUE, outcome == S_KAOSHI],
        [np.where(month <= 8, _sept(year, rng, n), D.add_days(dis, rng.integers(5, 26, n))),
         _sept(np.where(month <= 6, year, year + 1), rng, n)],
        D.add_days(dis, np.round(job_wait).astype(np.int64)))
    has1 = (outcome != S_DAI) & (t1 <= ctx.end)

    parts = [(z, dis, np.full(n, S_DAI), np.zeros(n, bool)),
             (z[has1], t1[has1], outcome[has1], np.zeros(has1.sum(), bool))]
    # Found hard to place: re-registered as 待就业 with the hardship flag after ~3 months.
    t_h = D.add_days(dis, rng.integers(90, 111, n))
    hard = (rng.random(n) < 0.4) & (t_h <= ctx.end) & (~has1 | (t1 > t_h))
    parts.append((z[hard], t_h[hard], np.full(hard.sum(), S_DAI), np.ones(hard.sum(), bool)))
    # Later changes (up to two): a new job, a business, back to farming; the bureau records
    # each one it helped with. Students graduate into jobs.
    employed = has1 & np.isin(outcome, EMPLOYED)
    t_prev, again = t1, employed
    for p_again in (0.7, 0.5):
        t_next = D.add_days(t_prev, rng.integers(120, 601, n))
        again = again & (rng.random(n) < p_again) & (t_next <= ctx.end)
        s_next = rng.choice([S_CHENGZHEN, S_CHUANGYE, S_WUNONG], n, p=[0.5, 0.3, 0.2])
        parts.append((z[again], t_next[again], s_next[again], np.zeros(again.sum(), bool)))
        t_prev = t_next
    t3 = D.add_days(t1, rng.integers(730, 1461, n))
    grad = has1 & ~employed & (rng.random(n) < 0.9) & (t3 <= ctx.end)
    parts.append((z[grad], t3[grad], np.full(grad.sum(), S_CHENGZHEN), np.zeros(grad.sum(), bool)))

    rows = {"pidx": np.concatenate([p[0] for p in parts]), "date": np.concatenate([p[1] for p in parts]),
            "status": np.concatenate([p[2] for p in parts]), "hardship": np.concatenate([p[3] for p in parts])}
    rows = _calibrate(ctx, pl, rows, rng)
    order = np.lexsort((np.arange(len(rows["pidx"])), rows["date"], rows["pidx"]))
    return {k: v[order] for k, v in rows.items()}


def _calibrate(ctx: Ctx, pl: Placements, rows: dict, rng) -> dict:
    """Set the count of veterans placed into work in a target county-year exactly (seed figures).

    Adds job changes in that year for veterans already employed (or converts long-term 待就业
    into employment), or removes later job changes; never touches a first outcome.
    """
    codes = ctx.county["code"].to_numpy()
    for (code, year), target in FIXED_EMPLOYED.items():
        ci = np.flatnonzero(codes == code)
        if not len(ci) or not _year_complete(ctx, year):
            continue
        lo, hi = np.datetime64(f"{year}-01-01"), np.datetime64(f"{year}-12-31")
        mine = pl.county[rows["pidx"]] == ci[0]
        in_year = mine & (rows["date"] >= lo) & (rows["date"] <= hi) & np.isin(rows["status"], EMPLOYED)
        counted = np.unique(rows["pidx"][in_year])
        gap = target - len(counted)
        if gap > 0:
            rows = _add_changes(rows, pl, ci[0], counted, lo, hi, gap, rng)
        elif gap < 0:
            rows = _drop_changes(rows, counted, in_year, -gap, rng)
    return rows


def _add_changes(rows, pl, ci, counted, lo, hi, gap, rng):
    """Veterans of the county not yet counted whose history leaves room for a change in the year."""
    mine = np.flatnonzero(pl.county[rows["pidx"]] == ci)
    first_day = {}
    latest_before, next_after = {}, {}
    for i in mine[np.argsort(rows["date"][mine], kind="stable")]:
        p, d = rows["pidx"][i], rows["date"][i]
        first_day.setdefault(p, d)
        if d < lo:
            latest_before[p] = rows["status"][i]
        elif d > hi and p not in next_after:
            next_after[p] = d
    counted = set(counted.tolist())
    cands = [p for p, s in latest_before.items() if p not in counted and s != S_FUXUE and s != S_KAOSHI]
    cands = [cands[i] for i in rng.permutation(len(cands))][:gap]
    if len(cands) < gap:
        raise RuntimeError(f"cannot calibrate employment: need {gap} more, found {len(cands)}")
    add_p, add_d, add_s = [], [], []
    for p in cands:
        end = min(hi, next_after.get(p, hi + 1) - 1)
        span = int((end - lo).astype(int))
        add_p.append(p)
        add_d.append(lo + np.timedelta64(int(rng.integers(0, span + 1)), "D"))
        add_s.append(rng.choice([S_CHENGZHEN, S_CHUANGYE, S_WUNONG], p=[0.55, 0.25, 0.2]))
    extra = {"pidx": np.array(add_p), "date": np.array(add_d, dtype="datetime64[D]"),
             "status": np.array(add_s), "hardship": np.zeros(len(add_p), bool)}
    return {k: np.concatenate([rows[k], extra[k]]) for k in rows}


def _drop_changes(rows, counted, in_year, excess, rng):
    """Remove second changes in the year of veterans whose first outcome lies before it."""
    first_emp = {}
    for i in np.argsort(rows["date"], kind="stable"):
        if rows["status"][i] in EMPLOYED:
            first_emp.setdefault(rows["pidx"][i], i)
    idx = np.flatnonzero(in_year)
    droppable = [p for p in counted if first_emp.get(p) is not None and not in_year[first_emp[p]]]
    droppable = [droppable[i] for i in rng.permutation(len(droppable))][:excess]
    if len(droppable) < excess:
        raise RuntimeError("cannot calibrate employment: too many first outcomes in the year")
    keep = np.ones(len(rows["pidx"]), bool)
    keep[idx[np.isin(rows["pidx"][idx], droppable)]] = False
    return {k: v[keep] for k, v in rows.items()}


def _year_complete(ctx: Ctx, year: int) -> bool:
    return ctx.first_cohort <= year - 1 and ctx.as_of.year > year


def status_table(ctx: Ctx, v: Veterans, pl: Placements, st: dict) -> dict:
    vet = pl.vet[st["pidx"]]
    return {
        "status_id": np.arange(1, len(vet) + 1),
        "veteran_id": v.ids[vet],
        "region_code": coded(ctx.vil["code"].to_numpy(), v.village[vet]),
        "cohort_year": pl.year[st["pidx"]],
        "effective_on": st["date"],
        "effective_day": D.day_keys(st["date"]),
        "status": coded(STATUSES, st["status"]),
        "hardship": st["hardship"],
    }


def service_event_table(ctx: Ctx, v: Veterans, pl: Placements) -> dict:
    """"311": each year for three years after discharge, up to 3 岗位推荐, 1 职业指导, 1 技能培训信息."""
    rng = np.random.default_rng([ctx.seed, 3000])
    z = np.flatnonzero(pl.mode == M_ZIZHU)
    years_after = 3
    pz = np.repeat(z, years_after)
    year = pl.year[pz] + np.tile(np.arange(years_after), len(z))
    ok = year <= ctx.as_of.year
    pz, year = pz[ok], year[ok]
    slow = ctx.stories["slow_county"][pl.county[pz]]
    n = len(pz)
    recs = np.where(slow, rng.choice(4, n, p=[0.10, 0.15, 0.25, 0.50]), rng.choice(4, n, p=[0.03, 0.07, 0.15, 0.75]))
    guide = rng.random(n) < np.where(slow, 0.70, 0.90)
    info = rng.random(n) < np.where(slow, 0.65, 0.87)
    counts = np.stack([recs, guide, info], 1)
    kind = np.repeat(np.tile([0, 1, 2], n), counts.ravel())
    owner = np.repeat(np.repeat(np.arange(n), 3), counts.ravel())
    start = np.maximum(np.array([f"{y}-01-01" for y in range(2000, 2100)], dtype="datetime64[D]")[year[owner] - 2000],
                       D.add_days(pl.discharged[pz[owner]], 7))
    end = np.array([f"{y}-12-31" for y in range(2000, 2100)], dtype="datetime64[D]")[year[owner] - 2000]
    span = np.maximum((end - start).astype(np.int64), 0)
    when = D.add_days(start, np.floor(rng.random(len(owner)) * (span + 1)).astype(np.int64))
    keep = when <= ctx.end
    vet = pl.vet[pz[owner]][keep]
    when = when[keep]
    order = np.lexsort((when, vet))
    vet, when, kind = vet[order], when[order], kind[keep][order]
    return {
        "event_id": np.arange(1, len(vet) + 1),
        "veteran_id": v.ids[vet],
        "region_code": coded(ctx.vil["code"].to_numpy(), v.village[vet]),
        "event_on": when,
        "day": D.day_keys(when),
        "kind": coded(EVENT_KINDS, kind),
    }


def training_table(ctx: Ctx, v: Veterans, pl: Placements, st: dict) -> dict:
    """适应性培训 (placement.trained), 职业技能培训 for ~25% of 自主就业, 学历提升 for 考试入学."""
    rng = np.random.default_rng([ctx.seed, 4000])
    adaptive = np.flatnonzero(~np.isnat(pl.trained_on))
    a_start = pl.trained_on[adaptive]
    a_end = D.add_days(a_start, 4)
    z = np.flatnonzero((pl.mode == M_ZIZHU) & (rng.random(len(pl)) < 0.25))
    s_start = D.add_days(pl.discharged[z], rng.integers(30, 366, len(z)))
    s_end = D.add_days(s_start, rng.integers(15, 91, len(z)))
    exam = st["status"] == S_KAOSHI
    e_p = st["pidx"][exam]
    e_start = st["date"][exam]
    e_end = D.add_days(e_start, rng.choice([730, 1095, 1460], len(e_p)))
    pidx = np.concatenate([adaptive, z, e_p])
    kind = np.concatenate([np.zeros(len(adaptive), int), np.ones(len(z), int), np.full(len(e_p), 2)])
    start = np.concatenate([a_start, s_start, e_start])
    end = D.not_after(np.concatenate([a_end, s_end, e_end]), ctx.end)
    keep = start <= ctx.end
    pidx, kind, start, end = pidx[keep], kind[keep], start[keep], end[keep]
    order = np.lexsort((start, pidx))
    pidx, kind, start, end = pidx[order], kind[order], start[order], end[order]
    vet = pl.vet[pidx]
    return {
        "training_id": np.arange(1, len(vet) + 1),
        "veteran_id": v.ids[vet],
        "region_code": coded(ctx.vil["code"].to_numpy(), v.village[vet]),
        "kind": coded(TRAINING_KINDS, kind),
        "started_on": start,
        "started_day": D.day_keys(start),
        "finished_on": end,
    }
