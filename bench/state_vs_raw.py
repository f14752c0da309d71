"""Each page question's rollup query against the raw query it replaces, interleaved on one database:
median ms of each, the ratio, the load average, and whether both give the same numbers.

    python bench/state_vs_raw.py --url sqlite:////path/province.sqlite --root 43 [--repeat 5]

Uses the page functions' own binds (period 2026-11, the root and one county/township/village below it) and
compares the function's result with the raw query's result after the same normalisation the function does.
Always exits 0: it reports, it does not judge.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from queries import codes
from queries import network as qn
from queries import petitions as qp
from queries.db import Database
from queries.periods import Period, day_key
from queries.refresh import data_as_of


def _time(db, name, params) -> tuple[float, object]:
    start = time.perf_counter()
    frame = db.frame(name, params)
    return (time.perf_counter() - start) * 1000, frame


def pairs(scope: str, region: str, period: Period):
    """(label, raw name, raw binds, rollup name, rollup binds, same(raw, rollup) -> bool)."""
    nb = qn._period_binds(scope, region, period)
    level = codes.level_of(region)
    raw_units = {**nb, "child_len": codes.LEVEL_LENGTHS.get(level + 1, 12), "last_asof": 0}
    pb = qp._binds(scope, region, period)
    pb["y_ytd0"] = pb["y_d1"] // 10000 * 10000 + 101
    week = qp.spike_week(period)
    spike = {**codes_binds(scope, region), "w0": day_key(week.start), "w1": day_key(week.end),
             "b0": day_key(week.start - timedelta(weeks=4)), "b1": day_key(week.start - timedelta(days=1)),
             "min_cases": 3}
    from queries.periods import week_key
    spike_w = {**spike, "wk": week_key(week.start), "bw0": week_key(week.start - timedelta(weeks=4)),
               "bw1": week_key(week.start - timedelta(weeks=1))}
    tb = qn._trend_binds(scope, region, period, 36)
    out = [("network_units", "network_units", raw_units, "network_units_state", nb),
           ("network_expected", "network_expected", codes_binds(scope, region), "network_expected_state",
            codes_binds(scope, region)),
           ("network_founded", "network_founded", tb, "network_founded_state", tb)]
    if level <= qp.STATE_MAX_LEVEL:
        close = {**pb, "ytd_year": pb["ytd0"] // 10000, "y_year": pb["y_ytd0"] // 10000}
        local = "" if region == scope else "_local"
        out += [("petitions_close_rate", "petitions_close_rate" + local, pb, "petitions_close_rate_state", close),
                ("petitions_overdue_count", "petitions_overdue_count" + local, pb, "petitions_overdue_count_state", pb)]
    out.append(("petitions_spike", "petitions_spike", spike, "petitions_spike_week", spike_w))
    return out


def codes_binds(scope, region):
    from queries.binds import region_binds
    return region_binds(scope, region)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--root", default="43")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--period", default="2026-11")
    args = parser.parse_args()
    db = Database(args.url, timeout_ms=0)
    as_of = data_as_of(db.engine)
    period = Period.parse(args.period, as_of)
    chain = ["43", "4310", "431022", "431022101", "431022101201"] if args.root == "43" else \
        ["4310", "431022", "431022101", "431022101201"]
    print(f"{'region':13} {'question':24} {'raw ms':>8} {'rollup ms':>9} {'ratio':>6} {'load1':>6}  same numbers")
    for region in chain:
        for label, raw, rb, roll, sb in pairs(args.root, region, period):
            raw_ms, roll_ms = [], []
            for i in range(args.repeat + 1):
                a, raw_frame = _time(db, raw, rb)
                b, _ = _time(db, roll, sb)
                if i:                                   # the first pair warms the caches
                    raw_ms.append(a), roll_ms.append(b)
            same = _same(label, db, args.root, region, period, raw_frame)
            r, s = statistics.median(raw_ms), statistics.median(roll_ms)
            print(f"{region:13} {label:24} {r:8.1f} {s:9.1f} {s / r if r else 0:6.2f} {os.getloadavg()[0]:6.2f}  {same}",
                  flush=True)
    return 0


def _same(label, db, scope, region, period, raw_frame) -> str:
    """The page function's result (rollup path) against the raw query's, normalised alike."""
    try:
        if label == "network_units":
            got = qn.network_units(db, scope, region, period).set_index("region_code")
            raw = raw_frame.copy()
            raw["region_code"] = raw.pop("child").str.ljust(12, "0")
            raw = raw.set_index("region_code")
            counts = [c for c in raw.columns]
            total = raw[counts].fillna(0).sum()
            self_code = codes.code12(region)
            ok = all(int(got.loc[self_code, c]) == int(total[c]) for c in counts)
            kids = [c for c in raw.index if c != self_code and c in got.index]
            ok = ok and all(int(got.loc[k, c]) == int(raw.loc[k, c]) for k in kids for c in counts)
            return "yes" if ok else "NO"
        if label == "network_expected":
            got = qn.network_expected(db, scope, region).set_index("region_code").astype(int)
            return "yes" if got.equals(raw_frame.set_index("region_code").astype(int)) else "NO"
        if label == "network_founded":
            got = qn.network_founded(db, scope, region, period).set_index("month")["founded"].astype(int)
            raw = raw_frame.set_index("month")["founded"].astype(int)
            raw.index = raw.index.astype(int)
            return "yes" if got.to_dict() == raw.to_dict() else "NO"
        if label == "petitions_close_rate":
            got = qp.petitions_close_rate(db, scope, region, period).set_index("span")
            raw = raw_frame.set_index("span")
            return "yes" if all(_n(got.loc[s, c]) == _n(raw.loc[s, c]) for s in ("ytd", "ytd_ly")
                                for c in ("accepted", "closed")) else "NO"
        if label == "petitions_overdue_count":
            got = qp.petitions_overdue_count(db, scope, region, period).set_index("asat")
            raw = raw_frame.set_index("asat")
            return "yes" if sorted(got.index) == sorted(raw.index) and all(
                _n(got.loc[a, c]) == _n(raw.loc[a, c]) for a in raw.index
                for c in ("open_cnt", "overdue", "overdue_extended")) else "NO"
        if label == "petitions_spike":
            got = qp.petitions_spike(db, scope, region, qp.spike_week(period), 3)
            return "yes" if [tuple(map(_n, r)) for r in got.itertuples(index=False) if True] == \
                [tuple(map(_n, r)) for r in raw_frame.itertuples(index=False)] else "NO"
    except Exception as exc:  # noqa: BLE001 — report it, go on
        return f"error: {exc}"
    return "?"


def _n(v):
    if isinstance(v, str):
        return v
    return 0 if v is None or pd.isna(v) else int(v)


if __name__ == "__main__":
    sys.exit(main())
