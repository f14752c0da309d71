"""Every placement/employment query equals a plain-Python computation from the fixture's raw rows,
on SQLite, PostgreSQL and MariaDB (fixture_db is parametrized over the three)."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import pandas as pd
import pytest

from queries import placement as q
from queries.binds import all_binds
from queries.periods import Period, day_key, from_day_key
from tests.fixtures import (BAISHIDU, CITY, FIXTURE_AS_OF, FIXTURE_ROOT, YANGMEISHAN, YIZHANG)

PERIODS = ["2026-11", "2026-W10", "2025", "2026-Q1", "2025-10"]
EMPLOYED = {"城镇就业", "返乡务农", "创业"}
STUDYING = {"复学", "考试入学"}
VILLAGE = "431022102200"                    # 杨梅山村


def period(key: str) -> Period:
    return Period.parse(key, FIXTURE_AS_OF)


def binds(region: str, key: str) -> dict:
    return all_binds(FIXTURE_ROOT, region, period(key))


def short(code12: str) -> str:
    return next(r for r in _REGIONS if r["code"] == code12)["short_code"]


_REGIONS: list[dict] = []


@pytest.fixture(autouse=True)
def _regions(fixture_data):
    _REGIONS[:] = fixture_data["region"]


def inside(code: str, region12: str) -> bool:
    return code.startswith(short(region12))


def self_and_children(region12: str) -> list[str]:
    return sorted([region12] + [r["code"] for r in _REGIONS if r["parent_code"] == region12])


def rows_of(frame: pd.DataFrame, key: str = "region_code") -> dict:
    """DataFrame -> {key: {column: int|None}} (NaN -> None, floats from MariaDB DECIMAL -> int)."""
    out = {}
    for rec in frame.to_dict("records"):
        k = rec.pop(key) if isinstance(key, str) else tuple(rec.pop(c) for c in key)
        out[k] = {c: None if v is None or v != v else (int(v) if isinstance(v, (int, float)) else v)
                  for c, v in rec.items()}
    return out


# ------------------------------------------------------------------------- placement
def expected_placement_summary(data, region12: str, b: dict) -> dict:
    year, out = b["year"], {}
    for g in self_and_children(region12):
        ps = [p for p in data["placement"] if inside(p["region_code"], g)]
        tasks = [t for t in data["placement_task"] if inside(t["region_code"], g)]

        def n(cond):
            return sum(1 for p in ps if cond(p))

        def le(day, limit):
            return day is not None and day <= limit

        task = lambda y: sum(t["task"] for t in tasks if t["year"] == y) if any(t["year"] == y for t in tasks) else None  # noqa: E731
        gov, soe = ("党政机关", "事业单位"), ("央企", "地方国企")
        row = {
            "task": task(year), "task_ly": task(year - 1),
            "received": n(lambda p: p["received_day"] is not None and b["d0"] <= p["received_day"] <= b["d1"]),
            "received_prev": n(lambda p: p["received_day"] is not None and b["p_d0"] <= p["received_day"] <= b["p_d1"]),
            "received_ly": n(lambda p: p["received_day"] is not None and b["y_d0"] <= p["received_day"] <= b["y_d1"]),
            "done": n(lambda p: p["is_task"] and p["cohort_year"] == year and le(p["reported_day"], b["d1"])),
            "done_prev": n(lambda p: p["is_task"] and p["cohort_year"] == year and le(p["reported_day"], b["p_d1"])),
            "done_ly": n(lambda p: p["is_task"] and p["cohort_year"] == year - 1 and le(p["reported_day"], b["y_d1"])),
            "placed": n(lambda p: p["is_task"] and p["cohort_year"] == year and le(p["placed_day"], b["d1"])),
            "placed_gov": n(lambda p: p["is_task"] and p["cohort_year"] == year and le(p["placed_day"], b["d1"])
                            and p["destination"] in gov),
            "placed_soe": n(lambda p: p["is_task"] and p["cohort_year"] == year and le(p["placed_day"], b["d1"])
                            and p["destination"] in soe),
            "placed_prev": n(lambda p: p["is_task"] and p["cohort_year"] == year and le(p["placed_day"], b["p_d1"])),
            "placed_gov_prev": n(lambda p: p["is_task"] and p["cohort_year"] == year and le(p["placed_day"], b["p_d1"])
                                 and p["destination"] in gov),
            "placed_ly": n(lambda p: p["is_task"] and p["cohort_year"] == year - 1 and le(p["placed_day"], b["y_d1"])),
            "placed_gov_ly": n(lambda p: p["is_task"] and p["cohort_year"] == year - 1 and le(p["placed_day"], b["y_d1"])
                               and p["destination"] in gov),
        }
        row.update(_report_and_training(ps, year, b))
        out[g] = row
    return out


def _report_and_training(ps: list[dict], year: int, b: dict) -> dict:
    def due(p, y, limit):
        return p["mode"] == "自主就业" and p["cohort_year"] == y and p["report_deadline_day"] <= limit

    def ontime(p):
        return p["received_day"] is not None and p["received_day"] <= p["report_deadline_day"]

    out = {}
    for suffix, y, limit in (("", year, b["d1"]), ("_prev", year, b["p_d1"]), ("_ly", year - 1, b["y_d1"])):
        out["report_due" + suffix] = sum(1 for p in ps if due(p, y, limit))
        out["report_ontime" + suffix] = sum(1 for p in ps if due(p, y, limit) and ontime(p))
        disc = [p for p in ps if p["cohort_year"] == y and p["discharged_day"] <= limit]
        out["discharged" + suffix] = len(disc)
        out["trained" + suffix] = sum(1 for p in disc if p["trained"])
    return out


@pytest.mark.parametrize("key", PERIODS)
@pytest.mark.parametrize("region", [CITY, YIZHANG])
def test_placement_summary(fixture_db, fixture_data, region, key):
    got = rows_of(q.placement_summary(fixture_db, FIXTURE_ROOT, region, period(key)))
    want = expected_placement_summary(fixture_data, region, binds(region, key))
    if region == YIZHANG:                       # below county the receiving-county rows are not used
        got, want = {YIZHANG: got[YIZHANG]}, {YIZHANG: want[YIZHANG]}
    assert got == want


@pytest.mark.parametrize("key", PERIODS)
@pytest.mark.parametrize("region", [YIZHANG, YANGMEISHAN, VILLAGE])
def test_placement_summary_residence(fixture_db, fixture_data, region, key):
    b = binds(region, key)
    county = region[:6] + "000000"
    home = {v["veteran_id"]: v["region_code"] for v in fixture_data["veteran"]}
    want = {}
    for g in self_and_children(region):
        ps = [p for p in fixture_data["placement"] if p["region_code"] == county
              and b["year"] - 2 <= p["cohort_year"] <= b["year"] and inside(home[p["veteran_id"]], g)]
        row = {"received": sum(1 for p in ps if p["received_day"] and b["d0"] <= p["received_day"] <= b["d1"]),
               "received_prev": sum(1 for p in ps if p["received_day"] and b["p_d0"] <= p["received_day"] <= b["p_d1"]),
               "received_ly": sum(1 for p in ps if p["received_day"] and b["y_d0"] <= p["received_day"] <= b["y_d1"])}
        row.update(_report_and_training(ps, b["year"], b))
        want[g] = row
    assert rows_of(q.placement_summary_residence(fixture_db, FIXTURE_ROOT, region, period(key))) == want


@pytest.mark.parametrize("key", ["2026-11", "2025-06"])
@pytest.mark.parametrize("region", [CITY, YIZHANG])
def test_placement_mix(fixture_db, fixture_data, region, key):
    b = binds(region, key)
    want = Counter((p["cohort_year"], p["cohort_season"], p["mode"], p["destination"])
                   for p in fixture_data["placement"] if inside(p["region_code"], region)
                   and b["year"] - 3 <= p["cohort_year"] <= b["year"] and p["discharged_day"] <= b["d1"])
    frame = q.placement_mix(fixture_db, FIXTURE_ROOT, region, period(key))
    got = {(int(r.cohort_year), r.cohort_season, r.mode, None if r.destination is None or r.destination != r.destination
            else r.destination): int(r.placements) for r in frame.itertuples()}
    assert got == dict(want)
    assert sum(want.values()) > 0


# ------------------------------------------------------------------------- employment
def status_at(data, day: int) -> dict[int, dict]:
    """Each veteran's latest employment_status row with effective_day <= day (ties: higher status_id)."""
    best: dict[int, dict] = {}
    for r in data["employment_status"]:
        if r["effective_day"] <= day:
            cur = best.get(r["veteran_id"])
            if cur is None or (r["effective_day"], r["status_id"]) > (cur["effective_day"], cur["status_id"]):
                best[r["veteran_id"]] = r
    return best


def cohort_counts(data, g: str, cohort: int, day: int) -> dict:
    rows = [r for r in status_at(data, day).values() if r["cohort_year"] == cohort and inside(r["region_code"], g)]
    return {"cohort_size": len(rows), "employed": sum(r["status"] in EMPLOYED for r in rows),
            "studying": sum(r["status"] in STUDYING for r in rows),
            "waiting": sum(r["status"] == "待就业" for r in rows)}


@pytest.mark.parametrize("key", PERIODS)
@pytest.mark.parametrize("region", [CITY, YIZHANG, BAISHIDU])
def test_employment_summary(fixture_db, fixture_data, region, key):
    b = binds(region, key)
    y = b["year"]
    want = {}
    for g in self_and_children(region):
        row = dict(cohort_counts(fixture_data, g, y - 1, b["d1"]))
        for suffix, cohort, day in (("_prev", y - 1, b["p_d1"]), ("_ly", y - 2, b["y_d1"])):
            row.update({k + suffix: v for k, v in cohort_counts(fixture_data, g, cohort, day).items()})
        row["waiting_start"] = cohort_counts(fixture_data, g, y - 1, (y - 1) * 10000 + 1231)["waiting"]
        row["waiting_start_ly"] = cohort_counts(fixture_data, g, y - 2, (y - 2) * 10000 + 1231)["waiting"]
        new = cohort_counts(fixture_data, g, y, b["d1"])
        row["new_size"], row["new_waiting"] = new["cohort_size"], new["waiting"]
        row["new_waiting_prev"] = cohort_counts(fixture_data, g, y, b["p_d1"])["waiting"]
        row["new_waiting_ly"] = cohort_counts(fixture_data, g, y - 1, b["y_d1"])["waiting"]
        want[g] = row
    assert rows_of(q.employment_summary(fixture_db, FIXTURE_ROOT, region, period(key))) == want


@pytest.mark.parametrize("key", ["2026-11", "2025", "2026-W20"])
@pytest.mark.parametrize("region", [CITY, YIZHANG, VILLAGE])
def test_employment_weekly_rebuilds_daily_levels(fixture_db, fixture_data, region, key):
    """Baseline + cumulative changes reproduce the 待就业 count on every Sunday and at the period end."""
    b = binds(region, key)
    frame = q.employment_weekly(fixture_db, FIXTURE_ROOT, region, period(key))
    first, last = from_day_key(b["ytd0"]), from_day_key(b["d1"])
    days = [day_key(first + timedelta(days=i)) for i in range((last - first).days + 1)
            if (first + timedelta(days=i)).weekday() == 6] + [b["d1"]]
    assert days
    for cohort in (b["year"] - 1, b["year"]):
        part = frame[frame["cohort_year"] == cohort]
        for d in days:
            level = int(part.loc[part["day"] <= d, "delta"].sum())
            assert level == cohort_counts(fixture_data, region, cohort, d)["waiting"], (cohort, d)


@pytest.mark.parametrize("key", ["2026-11", "2026-03"])
@pytest.mark.parametrize("region", [CITY, YIZHANG, VILLAGE])
def test_employment_cohorts_compare_at_the_same_age(fixture_db, fixture_data, region, key):
    b = binds(region, key)
    end = from_day_key(b["d1"])
    want = {}
    for cohort in range(b["year"] - 4, b["year"]):
        day = date(end.year - (b["year"] - 1 - cohort), end.month, end.day)
        counts = cohort_counts(fixture_data, region, cohort, day_key(day))
        if counts["cohort_size"]:
            want[cohort] = counts
    got = rows_of(q.employment_cohorts(fixture_db, FIXTURE_ROOT, region, period(key)), key="cohort_year")
    assert got == want


def expected_311(data, region12: str, t0: int, t1: int, with_children: bool = True) -> dict:
    """People: 自主就业 placements discharged t0-1yr .. t1 (by residence); services t0 .. t1."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for e in data["service_event"]:
        if t0 <= e["day"] <= t1 and inside(e["region_code"], region12):
            counts[e["veteran_id"]][e["kind"]] += 1
    home = {v["veteran_id"]: v["region_code"] for v in data["veteran"]}
    out = {}
    for g in (self_and_children(region12) if with_children else [region12]):
        people = [p["veteran_id"] for p in data["placement"] if p["mode"] == "自主就业"
                  and inside(home[p["veteran_id"]], g) and t0 - 10000 <= p["discharged_day"] <= t1]
        c = [counts[vid] for vid in people]
        out[g] = {"served": len(people), "ref_ok": sum(x["岗位推荐"] >= 3 for x in c),
                  "guide_ok": sum(x["职业指导"] >= 1 for x in c), "info_ok": sum(x["技能培训信息"] >= 1 for x in c),
                  "all_ok": sum(x["岗位推荐"] >= 3 and x["职业指导"] >= 1 and x["技能培训信息"] >= 1 for x in c)}
    return out


@pytest.mark.parametrize("key", ["2026-11", "2025", "2026-Q2", "2026-W01"])
@pytest.mark.parametrize("region", [CITY, YIZHANG, YANGMEISHAN])
def test_employment_311(fixture_db, fixture_data, region, key):
    b = binds(region, key)
    now = expected_311(fixture_data, region, b["ytd0"], b["d1"])
    prev = expected_311(fixture_data, region, b["ytd0"], b["p_d1"])      # empty services across new year
    ly = expected_311(fixture_data, region, b["ytd0"] - 10000, b["y_d1"])
    want = {g: {**now[g], "served_prev": prev[g]["served"], "all_ok_prev": prev[g]["all_ok"],
                "served_ly": ly[g]["served"], "all_ok_ly": ly[g]["all_ok"]} for g in now}
    assert rows_of(q.employment_311(fixture_db, FIXTURE_ROOT, region, period(key))) == want


@pytest.mark.parametrize("key", PERIODS)
@pytest.mark.parametrize("region", [CITY, YANGMEISHAN])
def test_employment_training(fixture_db, fixture_data, region, key):
    b = binds(region, key)
    want = {}
    for g in self_and_children(region):
        for t in fixture_data["training"]:
            if inside(t["region_code"], g) and b["y_d0"] <= t["started_day"] <= b["d1"]:
                row = want.setdefault((g, t["kind"]), {"started": 0, "started_prev": 0, "started_ly": 0})
                for suffix, lo, hi in (("", "d0", "d1"), ("_prev", "p_d0", "p_d1"), ("_ly", "y_d0", "y_d1")):
                    row["started" + suffix] += int(b[lo] <= t["started_day"] <= b[hi])
    got = rows_of(q.employment_training(fixture_db, FIXTURE_ROOT, region, period(key)), key=["region_code", "kind"])
    assert got == want


@pytest.mark.parametrize("key", ["2026-11", "2024-12"])
@pytest.mark.parametrize("region", [CITY, YIZHANG, VILLAGE])
def test_employment_bing(fixture_db, fixture_data, region, key):
    b = binds(region, key)
    day = b["d1"]
    want = {}
    for g in self_and_children(region):
        alive = [v for v in fixture_data["veteran"] if inside(v["region_code"], g) and v["discharged_day"] <= day
                 and (v["died_day"] is None or v["died_day"] > day)]
        want[g] = {"villages": sum(1 for r in _REGIONS if r["level"] == 5 and inside(r["code"], g)),
                   "bing_laoban": sum(bool(v["is_bing_laoban"]) for v in alive),
                   "bing_zhishu": sum(bool(v["is_bing_zhishu"]) for v in alive),
                   "villages_with_zhishu": len({v["region_code"] for v in alive if v["is_bing_zhishu"]})}
    assert rows_of(q.employment_bing(fixture_db, FIXTURE_ROOT, region, period(key))) == want
    if region == CITY:
        assert want[CITY]["bing_laoban"] > 0 and want[CITY]["villages_with_zhishu"] > 0


@pytest.mark.parametrize("key", ["2026-11", "2026-04"])
@pytest.mark.parametrize("village", [VILLAGE, "431022101201", "431002002002"])
def test_employment_village_list(fixture_db, fixture_data, village, key):
    b = binds(village, key)
    latest = status_at(fixture_data, b["d1"])
    events = Counter((e["veteran_id"], e["kind"]) for e in fixture_data["service_event"]
                     if b["ytd0"] <= e["day"] <= b["d1"] and e["region_code"] == village)
    want = {vid: {"cohort_year": r["cohort_year"], "status": r["status"], "hardship": int(bool(r["hardship"])),
                  "since_day": r["effective_day"], "n_ref": events[(vid, "岗位推荐")],
                  "n_guide": events[(vid, "职业指导")], "n_info": events[(vid, "技能培训信息")]}
            for vid, r in latest.items() if r["region_code"] == village and b["year"] - 1 <= r["cohort_year"] <= b["year"]}
    frame = q.employment_village_list(fixture_db, FIXTURE_ROOT, village, period(key))
    got = rows_of(frame.assign(hardship=frame["hardship"].astype(int)), key="veteran_id")
    assert got == want


def test_region_outside_scope_is_refused(fixture_db):
    from queries.regions import OutOfScope
    with pytest.raises(OutOfScope, match="不在您的查看范围"):
        q.employment_summary(fixture_db, "431022", "431002", period("2026-11"))
