"""Questions behind the 信访热点 page. One function per .sql file in sql/petitions/.

Rollups answer totals, rates, mixes and rankings (and roll_petition_state / roll_petition_week the
办结率, 超期 and 突增 counts at any day, queries/rollups/petitions_state.py): roll_petition_day (by day), roll_petition_month (by
received month × channel × category × item type, cut at the data's as-of date) and roll_veteran_stock
(the per-万 denominator). A day range is split into the whole months read from roll_petition_month and
the remaining days read from the raw petition table (`split_months`). The raw table is otherwise read only
for what no rollup holds (the open/overdue state at a day, the 年累计 cohort), always with a received-day
range or the open filter.
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from queries import codes
from queries.binds import all_binds, region_binds
from queries.db import Database
from queries.periods import Period, day_key, from_day_key, week_key

ACCEPT_DAYS = 15          # 《信访工作条例》 Art.22–23: acceptance notice within 15 days of receipt
OVERDUE_LIST_MAX = 200
STATE_MAX_LEVEL = 3       # roll_petition_state: province, cities, counties


def accept_cut(as_of: date) -> int:
    """Last received day whose 15-day acceptance deadline has passed by the as-of date."""
    return day_key(as_of - timedelta(days=ACCEPT_DAYS))


def _month_after(month: int) -> int:
    return month + 89 if month % 100 == 12 else month + 1


def _month_before(month: int) -> int:
    return month - 89 if month % 100 == 1 else month - 1


def split_months(d0: int, d1: int, asof: int) -> tuple[int, int, int, int]:
    """Day range [d0, d1] -> (rm0, rm1, rd0, rd1): months rm0..rm1 from roll_petition_month and days
    rd0..rd1 from the raw table; an empty part is (1, 0). The month rollup is cut at the as-of date, so a
    month counts as whole when [d0, d1] covers it to its last day or to the as-of date (both ≤ d1, ≤ as-of).
    A range not starting on the 1st (a week) is read raw: no period of the pages has a whole month after
    a mid-month start."""
    if d0 > d1:
        return 1, 0, 1, 0
    if d0 % 100 != 1:
        return 1, 0, d0, d1
    cut = min(d1, asof)
    cut_date = from_day_key(cut)
    whole_to = cut // 100 if cut == d1 == asof or (cut_date + timedelta(days=1)).day == 1 else _month_before(cut // 100)
    first = d0 // 100
    if whole_to < first:
        return 1, 0, d0, d1
    rest = _month_after(whole_to) * 100 + 1
    return (first, whole_to, rest, d1) if rest <= d1 else (first, whole_to, 1, 0)


def rollup_as_of(db: Database) -> int:
    """The data's as-of date (meta), the day the month rollup is cut at by `vetdash refresh`."""
    frame = db.frame("petitions_rollup_asof")
    return day_key(date.fromisoformat(str(frame.iloc[0, 0]))) if len(frame) else 0


def _split_binds(params: dict, asof: int, spans=(("", "d0", "d1"),)) -> dict:
    for prefix, lo, hi in spans:
        params.update(zip((f"{prefix}rm0", f"{prefix}rm1", f"{prefix}rd0", f"{prefix}rd1"),
                          split_months(params[lo], params[hi], asof)))
    return params


def _binds(scope: str, region: str, period: Period) -> dict:
    params = all_binds(scope, region, period)
    cut = accept_cut(period.as_of)
    params.update(x2_d1=min(params["d1"], cut), p_x2_d1=min(params["p_d1"], cut),
                  y_x2_d1=min(params["y_d1"], cut))
    return params


def petitions_summary(db: Database, scope: str, region: str, period: Period, children: bool = True) -> pd.DataFrame:
    """Rollup totals (cur, p_, y_) and veterans stock for the region and each child (children=False: alone)."""
    return db.frame("petitions_summary", {**_binds(scope, region, period), "children": 1 if children else 0})


def petitions_period_mix(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """Counts by span (cur/prev/ly) × channel × category × item type, with 集体访 persons: whole months
    from roll_petition_month, the other days (weeks, a cut month before the as-of date) raw."""
    params = _split_binds(_binds(scope, region, period), rollup_as_of(db),
                          (("", "d0", "d1"), ("p_", "p_d0", "p_d1"), ("y_", "y_d0", "y_d1")))
    return db.frame("petitions_period_mix", params)


def petitions_close_rate(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """X3 年累计 cohort: accepted and closed as at :d1 (span ytd) and as at :y_d1 (span ytd_ly)."""
    params = _binds(scope, region, period)
    params["y_ytd0"] = params["y_d1"] // 10000 * 10000 + 101
    state = _close_rate_from_state(db, params)
    if state is not None:
        return state
    return db.frame(_local("petitions_close_rate", params), params)


def _has_state(region: str) -> bool:
    """roll_petition_state holds counties and up; a township or village reads its own raw rows (_local)."""
    return codes.level_of(region) <= STATE_MAX_LEVEL


def _close_rate_from_state(db: Database, params: dict) -> pd.DataFrame | None:
    """petitions_close_rate's two rows from the cohort state (None: use the raw query)."""
    if params["ytd0"] % 10000 != 101 or not _has_state(params["region"]):
        return None                            # the cohort is a received year: 1 Jan to the end day
    frame = db.frame_or_none("petitions_close_rate_state",
                         {**params, "ytd_year": params["ytd0"] // 10000, "y_year": params["y_ytd0"] // 10000})
    if frame is None:
        return None
    rows = {r["span"]: r for r in frame.to_dict("records")}
    out = []
    for span in ("ytd", "ytd_ly"):
        row = rows.get(span)
        seen = row is not None and row["received"] and int(row["received"]) > 0
        # the raw query's SUM over no petition is NULL, over received-not-yet-accepted ones 0
        out.append({"span": span, "accepted": int(row["accepted"]) if seen else None,
                    "closed": int(row["closed"]) if seen else None})
    return pd.DataFrame(out, columns=["span", "accepted", "closed"])


def petitions_overdue_count(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """Open and overdue petitions as at the end of the period, the previous period and last year's."""
    params = _binds(scope, region, period)
    frame = db.frame_or_none("petitions_overdue_count_state", params) if _has_state(region) else None
    if frame is None:
        return db.frame(_local("petitions_overdue_count", params), params)
    # the raw query's GROUP BY has a 'cur' row only when something is open, 'prev'/'ly' only when overdue
    frame = frame.fillna(0)
    keep = (frame["asat"] == "cur") & (frame["open_cnt"] > 0) | (frame["asat"] != "cur") & (frame["overdue"] > 0)
    frame = frame[keep].sort_values("asat").reset_index(drop=True)
    for col in ("open_cnt", "overdue", "overdue_extended"):
        frame[col] = frame[col].astype("int64")
    return frame


OVERDUE_COLUMNS = ["open_cnt", "overdue", "overdue_prev", "overdue_ly"]


def petitions_overdue_by_child(db: Database, scope: str, region: str, period: Period) -> pd.DataFrame:
    """当前超期未办结 for the region and each child — open and overdue as at the period's end, overdue as at the
    previous period's end and last year's — with petitions_overdue_count's counts. Columns: region_code
    (12 digits; places with no open petition are absent: read them as 0) and OVERDUE_COLUMNS."""
    params = _binds(scope, region, period)
    level = codes.level_of(region)
    if level < STATE_MAX_LEVEL:                      # the children are cities or counties: their state rows
        frame = db.frame_or_none("petitions_overdue_by_child_state", params)
        if frame is not None:
            frame[OVERDUE_COLUMNS] = frame[OVERDUE_COLUMNS].fillna(0).astype("int64")
            return frame
    child_len = codes.LEVEL_LENGTHS[min(level + 1, 5)]
    groups = db.frame("petitions_overdue_by_child", {**params, "child_len": child_len})
    groups["region_code"] = [str(c).ljust(12, "0") for c in groups["child"]]
    groups = groups.drop(columns="child").groupby("region_code", as_index=False)[OVERDUE_COLUMNS].sum()
    own = pd.DataFrame([{"region_code": params["region"], **{c: groups[c].sum() for c in OVERDUE_COLUMNS}}])
    frame = pd.concat([own, groups[groups["region_code"] != params["region"]]], ignore_index=True)
    frame[OVERDUE_COLUMNS] = frame[OVERDUE_COLUMNS].fillna(0).astype("int64")
    return frame


def _local(name: str, params: dict) -> str:
    """The root view reads the day/open indexes (COALESCE on region); a region below it reads its own
    rows on ix_petition_region_day (<name>_local): same counts, bounded by the subtree's rows."""
    at_root = (params["region_lo"], params["region_hi"]) == (params["scope_lo"], params["scope_hi"])
    return name if at_root else f"{name}_local"


def petitions_overdue_list(db: Database, scope: str, region: str, period: Period,
                           max_rows: int = OVERDUE_LIST_MAX) -> pd.DataFrame:
    """Open overdue petitions as at the period end, most overdue first; adds days_overdue."""
    params = _binds(scope, region, period)
    params["max_rows"] = int(max_rows)
    frame = db.frame("petitions_overdue_list", params)
    end = from_day_key(params["d1"])
    frame["days_overdue"] = [(end - from_day_key(int(d))).days for d in frame["due_day"]]
    return frame


def month_range(period: Period, months: int) -> tuple[int, int]:
    """Day keys from the first day of the month `months - 1` before the period's last month to its last day."""
    end = period.last_day
    idx = end.year * 12 + end.month - 1 - (months - 1)
    return day_key(date(idx // 12, idx % 12 + 1, 1)), day_key(end)


def petitions_trend(db: Database, scope: str, region: str, period: Period, months: int = 36) -> pd.DataFrame:
    """Monthly rollup series of the region for the `months` months up to the period end."""
    params = region_binds(scope, region)
    params["t_d0"], params["t_d1"] = month_range(period, months)
    params["x2_cut"] = accept_cut(period.as_of)
    return db.frame("petitions_trend", params)


def petitions_monthly_mix(db: Database, scope: str, region: str, period: Period, months: int = 36) -> pd.DataFrame:
    """Monthly counts by channel × category × item type for the subtree (roll_petition_month; a last
    month cut before the as-of date, e.g. by a past week, from the raw table)."""
    params = region_binds(scope, region)
    params["t_d0"], params["t_d1"] = month_range(period, months)
    _split_binds(params, rollup_as_of(db), (("", "t_d0", "t_d1"),))
    frame = db.frame("petitions_monthly_mix", params)
    frame["month"] = frame["month"].astype(int)      # MariaDB returns (day - day % 100) / 100 as DECIMAL
    return frame


def petitions_hot_places(db: Database, scope: str, region: str, period: Period, min_cases: int = 1) -> pd.DataFrame:
    """Townships and villages inside the region with >= min_cases petitions in the period, plus veterans.

    Whole months from roll_petition_month, other days (weeks) from the raw table; veterans from
    roll_veteran_stock at the period's last month."""
    params = _split_binds(all_binds(scope, region, period), rollup_as_of(db))
    params["min_cases"] = int(min_cases)
    return db.frame("petitions_hot_places", params)


def spike_week(period: Period) -> Period:
    """The last complete ISO week ending on or before the period's last counted day."""
    end = period.last_day
    sunday = end - timedelta(days=(end.weekday() + 1) % 7)
    return Period.containing("week", sunday, period.as_of)


def petitions_spike(db: Database, scope: str, region: str, week: Period, min_cases: int = 3) -> pd.DataFrame:
    """Townships of the subtree with >= min_cases petitions in `week`, and their previous 4 weeks' total."""
    params = region_binds(scope, region)
    params.update(w0=day_key(week.start), w1=day_key(week.end),
                  b0=day_key(week.start - timedelta(weeks=4)), b1=day_key(week.start - timedelta(days=1)),
                  min_cases=int(min_cases))
    if min_cases >= 1 and week.start.weekday() == 0 and (week.end - week.start).days == 6:
        weekly = db.frame_or_none("petitions_spike_week", {
            **params, "wk": week_key(week.start), "bw0": week_key(week.start - timedelta(weeks=4)),
            "bw1": week_key(week.start - timedelta(weeks=1))})
        if weekly is not None:
            for col in ("this_week", "base_4w"):
                weekly[col] = weekly[col].astype("int64")
            return weekly
    return db.frame("petitions_spike", params)
