"""The 安置就业 rollups (queries/rollups/employment.py) equal plain-Python computations from the raw rows, on
SQLite, PostgreSQL and MariaDB.

Two kinds of checks:
- whole tables: each rollup row equals what its definition gives (roll_311_person, roll_311_day,
  roll_placement_day, roll_placement_mix, roll_training_day, roll_employment_day);
- "as at day D" semantics: for every region and every day on which anything changes (and the day before),
  SUM over day <= D of the day-keyed tables equals the state computed directly from the raw rows — the
  latest status row (ties: the higher status_id) for roll_employment_day, living flagged veterans for
  roll_veteran_flags_day, the "311" definition (docs/indicators/placement.md E4) for roll_311_day.

Checked on the fixture as it is and with extra rows that hit the edge cases (two status rows on one day,
a veteran who moves to another county, a same-status update, a cohort change between rows, services before
discharge and on one day, a village whose two 兵支书 die one after the other, a death recorded before the
discharge). The extra rows are inserted, this area's rollups refreshed and compared, then the rows deleted
and the rollups refreshed again, so the fixture database is as it was (checked at the end).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, text

from queries import placement as q
from queries import schema
from queries.loader import load_sql
from queries.periods import Period, day_key
from queries.refresh import data_as_of, since_binds
from queries.rollups import employment as rollups
from tests.fixtures import CITY, FIXTURE_AS_OF, FIXTURE_ROOT, YANGMEISHAN, YIZHANG, _complete

EXTRA = 95_000_000                      # ids of the rows injected for the edge cases
EMPLOYED = {"城镇就业", "返乡务农", "创业"}
STUDYING = {"复学", "考试入学"}
VILLAGE_A, VILLAGE_A2 = "431002001001", "431002001002"        # 北湖区
VILLAGE_B = "431022102200"                                    # 宜章县 杨梅山村
VILLAGE_Z = "431022101202"                                    # 宜章县 高龙桥村: no 兵支书 in the fixture


# ------------------------------------------------------------------------- refresh this area only
def refresh_employment_rollups(engine) -> None:
    """Rebuild this area's rollups only, exactly as queries.refresh.refresh runs every rollup."""
    asof = day_key(data_as_of(engine))
    sql = load_sql(*{step.sql_name for r in rollups.ROLLUPS for step in r.steps})
    for rollup in rollups.ROLLUPS:
        with engine.begin() as conn:
            conn.execute(text(rollup.delete))
            for step in rollup.steps:
                for level in ((5, 4, 3, 2, 1) if step.per_level else (None,)):
                    params = {"asof": asof} if level is None else \
                        {"level": level, "child_level": level + 1, "asof": asof}
                    params.update(since_binds(None))      # the day/month-local steps' binds: every day
                    conn.execute(text(sql[step.sql_name]), params)


def read(db, table: str, cols: list[str]) -> list[dict]:
    frame = db.frame(f"test_{table}", sql=f"SELECT {', '.join(cols)} FROM {table}")
    out = []
    for rec in frame.to_dict("records"):
        out.append({c: (None if v is None or v != v else (v if isinstance(v, str) else int(v)))
                    for c, v in rec.items()})
    return out


def keyed(rows: list[dict], keys: list[str], values: list[str], table: str) -> dict:
    out = {}
    for r in rows:
        k = tuple(r[c] for c in keys)
        assert k not in out, f"{table}: duplicate row {k}"
        out[k] = tuple(r[c] for c in values)
    return out


def assert_same(table: str, actual: dict, expected: dict) -> None:
    missing = sorted(set(expected) - set(actual), key=str)[:5]
    extra = sorted(set(actual) - set(expected), key=str)[:5]
    assert not missing and not extra, f"{table}: rows missing {missing}, unexpected {extra}"
    wrong = [(k, actual[k], expected[k]) for k in expected if actual[k] != expected[k]]
    assert not wrong, f"{table}: {len(wrong)} rows differ, e.g. (key, actual, expected) {wrong[:3]}"


# ------------------------------------------------------------------------- independent expectations
def ancestors(data) -> dict[str, list[str]]:
    """Region code -> itself and every ancestor, by code prefix (not by parent_code)."""
    regions = data["region"]
    return {r["code"]: [a["code"] for a in regions if r["code"].startswith(a["short_code"])] for r in regions}


def inside_fn(data):
    short = {r["code"]: r["short_code"] for r in data["region"]}
    return lambda code, region: code.startswith(short[region])


def year_of(day: int) -> int:
    return day // 10000


def status_at(data, day: int) -> dict[int, dict]:
    """Each veteran's latest employment_status row with effective_day <= day (ties: the higher status_id)."""
    best: dict[int, dict] = {}
    for r in data["employment_status"]:
        if r["effective_day"] <= day:
            cur = best.get(r["veteran_id"])
            if cur is None or (r["effective_day"], r["status_id"]) > (cur["effective_day"], cur["status_id"]):
                best[r["veteran_id"]] = r
    return best


def expected_employment_day(data) -> dict:
    """+1 for each row's (region, cohort, status) on its day, −1 for the same veteran's previous row."""
    up, out = ancestors(data), Counter()
    by_vet = defaultdict(list)
    for r in data["employment_status"]:
        by_vet[r["veteran_id"]].append(r)
    for rows in by_vet.values():
        rows.sort(key=lambda r: (r["effective_day"], r["status_id"]))
        for prev, row in zip([None] + rows[:-1], rows):
            for code in up[row["region_code"]]:
                out[(code, row["cohort_year"], row["effective_day"], row["status"])] += 1
            if prev is not None:
                for code in up[prev["region_code"]]:
                    out[(code, prev["cohort_year"], row["effective_day"], prev["status"])] -= 1
    return {k: (v,) for k, v in out.items() if v}


def ref3_guide_info(events: list[dict], year: int) -> tuple[int | None, int | None, int | None]:
    """Days in `year` of the 3rd 岗位推荐 (by day, event_id), the 1st 职业指导 and the 1st 技能培训信息."""
    mine = sorted((e for e in events if year_of(e["day"]) == year), key=lambda e: (e["day"], e["event_id"]))
    refs = [e["day"] for e in mine if e["kind"] == "岗位推荐"]
    guide = [e["day"] for e in mine if e["kind"] == "职业指导"]
    info = [e["day"] for e in mine if e["kind"] == "技能培训信息"]
    return (refs[2] if len(refs) >= 3 else None, guide[0] if guide else None, info[0] if info else None)


def expected_311_person(data) -> dict:
    home = {v["veteran_id"]: v["region_code"] for v in data["veteran"]}
    events = defaultdict(list)
    for e in data["service_event"]:
        events[e["veteran_id"]].append(e)
    out = Counter()
    for p in data["placement"]:
        if p["mode"] != "自主就业" or p["veteran_id"] not in home:
            continue
        disch = p["discharged_day"]
        for year in (year_of(disch), year_of(disch) + 1):
            days = [None if d is None else max(d, disch) for d in ref3_guide_info(events[p["veteran_id"]], year)]
            done = None if None in days else max(days)
            out[(p["veteran_id"], home[p["veteran_id"]], year, disch, *days, done)] += 1
    return out


def expected_311_day(data) -> dict:
    up, out = ancestors(data), defaultdict(lambda: [0] * 5)
    for (_, region, year, disch, ref, guide, info, done), n in expected_311_person(data).items():
        for code in up[region]:
            for i, day in enumerate((disch, ref, guide, info, done)):
                if day is not None:
                    out[(code, year, day)][i] += n
    return {k: tuple(v) for k, v in out.items()}


def expected_placement_day(data) -> dict:
    up, out = ancestors(data), defaultdict(lambda: [0] * 9)
    for p in data["placement"]:
        adds = []                                           # (day, measure index)
        if p["received_day"] is not None:
            adds.append((p["received_day"], 0))
        if p["is_task"] and p["reported_day"] is not None:
            adds.append((p["reported_day"], 1))
        if p["is_task"] and p["placed_day"] is not None:
            adds.append((p["placed_day"], 2))
            if p["destination"] in ("党政机关", "事业单位"):
                adds.append((p["placed_day"], 3))
            if p["destination"] in ("央企", "地方国企"):
                adds.append((p["placed_day"], 4))
        if p["mode"] == "自主就业":
            adds.append((p["report_deadline_day"], 5))
            if p["received_day"] is not None and p["received_day"] <= p["report_deadline_day"]:
                adds.append((p["report_deadline_day"], 6))
        adds.append((p["discharged_day"], 7))
        if p["trained"]:
            adds.append((p["discharged_day"], 8))
        for code in up[p["region_code"]]:
            for day, i in adds:
                out[(code, p["cohort_year"], day)][i] += 1
    return {k: tuple(v) for k, v in out.items()}


def expected_placement_mix(data) -> dict:
    up, out = ancestors(data), Counter()
    for p in data["placement"]:
        for code in up[p["region_code"]]:
            out[(code, p["cohort_year"], p["cohort_season"], p["mode"], p["destination"], p["discharged_day"])] += 1
    return {k: (v,) for k, v in out.items()}


def expected_training_day(data) -> dict:
    up, out = ancestors(data), Counter()
    for t in data["training"]:
        for code in up[t["region_code"]]:
            out[(code, t["started_day"], t["kind"])] += 1
    return {k: (v,) for k, v in out.items()}


def probe_days(days) -> list[int]:
    """Every given day key and the day before it (as integers: 20260301 - 1 is fine as a bound)."""
    return sorted({d for x in days for d in (x, x - 1)})


# ------------------------------------------------------------------------- checks
TABLES = {   # table: (key columns, value columns, expectation)
    "roll_employment_day": (["region_code", "cohort_year", "day", "status"], ["delta"], expected_employment_day),
    "roll_311_day": (["region_code", "year", "day"], ["served", "ref_ok", "guide_ok", "info_ok", "all_ok"],
                     expected_311_day),
    "roll_placement_day": (["region_code", "cohort_year", "day"],
                           ["received", "done", "placed", "placed_gov", "placed_soe", "report_due",
                            "report_ontime", "discharged", "trained"], expected_placement_day),
    "roll_placement_mix": (["region_code", "cohort_year", "cohort_season", "mode", "destination", "day"],
                           ["placements"], expected_placement_mix),
    "roll_training_day": (["region_code", "day", "kind"], ["started"], expected_training_day),
}
PERSON_COLS = ["veteran_id", "region_code", "year", "discharged_day", "ref_ok_day", "guide_ok_day",
               "info_ok_day", "all_ok_day"]
FLAG_COLS = ["region_code", "day", "laoban", "zhishu", "zhishu_villages", "villages"]


def check_whole_tables(db, data) -> None:
    for table, (keys, values, expect) in TABLES.items():
        expected = expect(data)
        assert expected, f"nothing expected for {table}"
        assert_same(table, keyed(read(db, table, keys + values), keys, values, table), expected)
    got = Counter(tuple(r[c] for c in PERSON_COLS) for r in read(db, "roll_311_person", PERSON_COLS))
    assert got == expected_311_person(data)


def cumulative(rows: list[dict], keys: list[str], values: list[str]):
    """(key..., ) -> sorted [(day, running totals)] for as-at lookups."""
    series = defaultdict(list)
    for r in sorted(rows, key=lambda r: r["day"]):
        series[tuple(r[k] for k in keys)].append((r["day"], [r[v] for v in values]))
    out = {}
    for k, items in series.items():
        run, acc = [0] * len(values), []
        for day, vals in items:
            run = [a + b for a, b in zip(run, vals)]
            acc.append((day, tuple(run)))
        out[k] = acc
    return out


def as_at(series, key, day: int, width: int) -> tuple:
    last = (0,) * width
    for d, run in series.get(key, []):
        if d > day:
            break
        last = run
    return last


def check_employment_semantics(db, data) -> None:
    rows = read(db, "roll_employment_day", ["region_code", "cohort_year", "day", "status", "delta"])
    series = cumulative(rows, ["region_code", "cohort_year", "status"], ["delta"])
    codes = [r["code"] for r in data["region"]]
    inside = inside_fn(data)
    days = probe_days([r["effective_day"] for r in data["employment_status"]] + [day_key(FIXTURE_AS_OF)])
    cohorts = {r["cohort_year"] for r in data["employment_status"]}
    statuses = EMPLOYED | STUDYING | {"待就业"}
    for day in days:
        latest = list(status_at(data, day).values())
        for code in codes:
            want = Counter((r["cohort_year"], r["status"]) for r in latest if inside(r["region_code"], code))
            for cohort in cohorts:
                for status in statuses:
                    got = as_at(series, (code, cohort, status), day, 1)[0]
                    assert got == want[(cohort, status)], (code, cohort, status, day)


def check_flags_semantics(db, data) -> None:
    rows = read(db, "roll_veteran_flags_day", FLAG_COLS)
    keyed(rows, ["region_code", "day"], FLAG_COLS[2:], "roll_veteran_flags_day")      # no duplicates
    series = cumulative(rows, ["region_code"], FLAG_COLS[2:])
    inside = inside_fn(data)
    flagged = [v for v in data["veteran"] if v["is_bing_laoban"] or v["is_bing_zhishu"]]
    days = [0] + probe_days([day_key(FIXTURE_AS_OF)] + [v["discharged_day"] for v in flagged]
                            + [v["died_day"] for v in flagged if v["died_day"]])
    villages = {r["code"]: sum(1 for x in data["region"] if x["level"] == 5 and inside(x["code"], r["code"]))
                for r in data["region"]}
    assert all((r["code"],) in series for r in data["region"]), "every region node has a row"
    for day in days:
        alive = [v for v in flagged if v["discharged_day"] <= day and (v["died_day"] is None or v["died_day"] > day)]
        for code, n_villages in villages.items():
            mine = [v for v in alive if inside(v["region_code"], code)]
            want = (sum(bool(v["is_bing_laoban"]) for v in mine), sum(bool(v["is_bing_zhishu"]) for v in mine),
                    len({v["region_code"] for v in mine if v["is_bing_zhishu"]}), n_villages)
            assert as_at(series, (code,), day, 4) == want, (code, day)


def check_311_semantics(db, data) -> None:
    """As at D in service year Y: people discharged (Y−1)-01-01 .. D, their services of Y up to D."""
    rows = read(db, "roll_311_day", ["region_code", "year", "day", "served", "ref_ok", "guide_ok", "info_ok", "all_ok"])
    series = cumulative(rows, ["region_code", "year"], ["served", "ref_ok", "guide_ok", "info_ok", "all_ok"])
    inside = inside_fn(data)
    home = {v["veteran_id"]: v["region_code"] for v in data["veteran"]}
    people = [p for p in data["placement"] if p["mode"] == "自主就业" and p["veteran_id"] in home]
    events = defaultdict(list)
    for e in data["service_event"]:
        events[e["veteran_id"]].append(e)
    probe = probe_days([p["discharged_day"] for p in people] + [e["day"] for e in data["service_event"]])
    years = {year_of(p["discharged_day"]) + k for p in people for k in (0, 1)}
    for year in sorted(years | {year_of(e["day"]) for e in data["service_event"]}):
        for day in [d for d in probe if (year - 1) * 10000 + 101 <= d <= year * 10000 + 1231]:
            served = [p for p in people if (year - 1) * 10000 + 101 <= p["discharged_day"] <= day]
            counts = {}
            for p in served:
                c = Counter(e["kind"] for e in events[p["veteran_id"]] if year * 10000 + 101 <= e["day"] <= day)
                counts[p["placement_id"]] = (c["岗位推荐"] >= 3, c["职业指导"] >= 1, c["技能培训信息"] >= 1)
            for code in {r["code"] for r in data["region"]}:
                mine = [counts[p["placement_id"]] for p in served if inside(home[p["veteran_id"]], code)]
                want = (len(mine), sum(c[0] for c in mine), sum(c[1] for c in mine), sum(c[2] for c in mine),
                        sum(all(c) for c in mine))
                assert as_at(series, (code, year), day, 5) == want, (code, year, day)


def check_all(db, data) -> None:
    check_whole_tables(db, data)
    check_employment_semantics(db, data)
    check_flags_semantics(db, data)
    check_311_semantics(db, data)


def test_tables_are_registered():
    registered = {r.table for r in rollups.ROLLUPS}
    assert registered == set(TABLES) | {"roll_311_person", "roll_veteran_flags_day"}
    assert registered <= set(schema.rollup_tables())


def test_rollups_equal_python(fixture_db, fixture_data):
    check_all(fixture_db, fixture_data)


# ------------------------------------------------------------------------- edge cases
def _veteran(vid, village, discharged: date, mode="自主就业", died: date | None = None, **flags):
    return {"veteran_id": vid, "region_code": village, "birth_year": discharged.year - 22, "sex": "男",
            "service_type": "义务兵", "discharged_on": discharged, "discharged_day": day_key(discharged),
            "placement_mode": mode, "died_on": died, "died_day": day_key(died) if died else None,
            "is_bing_laoban": flags.get("laoban", False), "is_bing_zhishu": flags.get("zhishu", False)}


def _placement(pid, vid, county, discharged: date, mode="自主就业", received: int | None = None, **kw):
    d = day_key(discharged)
    return {"placement_id": pid, "veteran_id": vid, "region_code": county, "cohort_year": discharged.year,
            "cohort_season": "春季" if discharged.month <= 6 else "秋季", "mode": mode,
            "destination": kw.get("destination"), "is_task": mode in ("转业", "安排工作"),
            "discharged_on": discharged, "discharged_day": d,
            "report_deadline_day": day_key(discharged + timedelta(days=30)),
            "received_day": received, "placed_day": kw.get("placed"), "reported_day": kw.get("reported"),
            "trained": kw.get("trained", False)}


def _status(sid, vid, village, cohort, day: int, status):
    return {"status_id": sid, "veteran_id": vid, "region_code": village, "cohort_year": cohort,
            "effective_on": date(day // 10000, day // 100 % 100, day % 100), "effective_day": day,
            "status": status, "hardship": False}


def _event(eid, vid, village, day: int, kind):
    return {"event_id": eid, "veteran_id": vid, "region_code": village,
            "event_on": date(day // 10000, day // 100 % 100, day % 100), "day": day, "kind": kind}


def edge_rows() -> dict[str, list[dict]]:
    x = EXTRA
    veterans = [
        _veteran(x + 1, VILLAGE_A, date(2025, 3, 12)),
        _veteran(x + 2, VILLAGE_B, date(2025, 9, 9)),                 # moves from 北湖区 to 宜章县
        _veteran(x + 3, VILLAGE_A2, date(2026, 3, 11)),
        _veteran(x + 4, VILLAGE_A2, date(2025, 3, 12)),
        _veteran(x + 5, VILLAGE_B, date(2026, 3, 11), mode="安排工作"),
        _veteran(x + 6, VILLAGE_Z, date(2000, 1, 1), mode="复员", died=date(2026, 5, 1), zhishu=True),
        _veteran(x + 7, VILLAGE_Z, date(2010, 6, 1), mode="复员", died=date(2026, 8, 1), zhishu=True),
        _veteran(x + 8, VILLAGE_Z, date(2020, 1, 1), mode="复员", died=date(2019, 1, 1), zhishu=True, laoban=True),
        _veteran(x + 9, VILLAGE_B, date(2026, 11, 23), mode="退休", laoban=True),
        _veteran(x + 10, VILLAGE_Z, date(2026, 5, 1), mode="复员", died=date(2026, 5, 1), zhishu=True),
    ]
    placements = [
        _placement(x + 1, x + 1, "431002000000", date(2025, 3, 12), received=20250420, trained=True),
        _placement(x + 2, x + 2, "431022000000", date(2025, 9, 9), received=20250915),
        _placement(x + 3, x + 3, "431002000000", date(2026, 3, 11)),                          # never received
        _placement(x + 4, x + 4, "431002000000", date(2025, 3, 12), received=20250412),      # on the deadline
        _placement(x + 5, x + 5, "431022000000", date(2026, 3, 11), mode="安排工作", received=20260320,
                   destination="央企", placed=20260601, reported=20260610),
    ]
    statuses = [
        # the same day: the higher status_id wins (城镇就业); a later day wins whatever its id
        _status(x + 11, x + 1, VILLAGE_A, 2025, 20250420, "待就业"),
        _status(x + 12, x + 1, VILLAGE_A, 2025, 20250420, "城镇就业"),
        _status(x + 10, x + 1, VILLAGE_A, 2025, 20250601, "待就业"),
        # a move between counties, a same-status update, then employed
        _status(x + 20, x + 2, VILLAGE_A2, 2025, 20251015, "待就业"),
        _status(x + 21, x + 2, VILLAGE_B, 2025, 20260203, "待就业"),
        _status(x + 22, x + 2, VILLAGE_B, 2025, 20260505, "创业"),
        # the same day the other way round (待就业 wins), then a same-status update in the same village
        _status(x + 31, x + 3, VILLAGE_A2, 2026, 20260401, "城镇就业"),
        _status(x + 32, x + 3, VILLAGE_A2, 2026, 20260401, "待就业"),
        _status(x + 33, x + 3, VILLAGE_A2, 2026, 20260601, "待就业"),
        # the cohort changes between two rows
        _status(x + 40, x + 4, VILLAGE_A2, 2025, 20250501, "复学"),
        _status(x + 41, x + 4, VILLAGE_A2, 2026, 20260401, "考试入学"),
    ]
    events = [
        # 4 × 岗位推荐 on one day; 职业指导 before the discharge; 技能培训信息 only next year
        *[_event(x + 100 + i, x + 1, VILLAGE_A, 20250510, "岗位推荐") for i in range(4)],
        _event(x + 104, x + 1, VILLAGE_A, 20250301, "职业指导"),
        _event(x + 105, x + 1, VILLAGE_A, 20260105, "技能培训信息"),
        _event(x + 106, x + 1, VILLAGE_A, 20260201, "岗位推荐"),
        _event(x + 107, x + 1, VILLAGE_A, 20260201, "岗位推荐"),
        _event(x + 108, x + 1, VILLAGE_A, 20260707, "岗位推荐"),
        _event(x + 109, x + 1, VILLAGE_A, 20260303, "职业指导"),
        # services recorded in another village than the veteran's home
        *[_event(x + 110 + i, x + 2, VILLAGE_A2, 20260110 + i, "岗位推荐") for i in range(3)],
        _event(x + 113, x + 2, VILLAGE_A2, 20260301, "职业指导"),
        _event(x + 114, x + 2, VILLAGE_B, 20260302, "技能培训信息"),
        # a 安排工作 veteran's services are not "311" (not a 自主就业 placement)
        _event(x + 115, x + 5, VILLAGE_B, 20260401, "职业指导"),
    ]
    return {"veteran": veterans, "placement": placements, "employment_status": statuses, "service_event": events}


ID_COLUMN = {"veteran": "veteran_id", "placement": "placement_id", "employment_status": "status_id",
             "service_event": "event_id"}


@pytest.fixture
def with_edge_cases(fixture_db, fixture_data):
    """The fixture plus edge_rows(), in the database (this area's rollups refreshed) and as Python rows."""
    extra = {name: _complete(name, rows) for name, rows in edge_rows().items()}
    data = {name: rows + extra.get(name, []) for name, rows in fixture_data.items()}
    engine = fixture_db.engine
    try:
        with engine.begin() as conn:
            for name, rows in extra.items():
                conn.execute(schema.metadata.tables[name].insert(), rows)
        refresh_employment_rollups(engine)
        yield data
    finally:
        with engine.begin() as conn:
            for name, col in ID_COLUMN.items():
                table = schema.metadata.tables[name]
                conn.execute(delete(table).where(table.c[col] >= EXTRA))
        refresh_employment_rollups(engine)


def test_edge_cases_follow_the_definitions(fixture_db, with_edge_cases):
    check_all(fixture_db, with_edge_cases)


@pytest.mark.parametrize("key", ["2026-11", "2026-02", "2025-10", "2026-W18"])
def test_edge_cases_on_the_pages(fixture_db, with_edge_cases, key):
    """The page queries (the overview reads the same) count each veteran once, by his latest row, where that row is."""
    data, period = with_edge_cases, Period.parse(key, FIXTURE_AS_OF)
    inside = inside_fn(data)
    d1, year = day_key(period.last_day), period.last_day.year

    def counts(region, cohort, day):
        rows = [r for r in status_at(data, day).values() if r["cohort_year"] == cohort and inside(r["region_code"], region)]
        return (len(rows), sum(r["status"] in EMPLOYED for r in rows), sum(r["status"] in STUDYING for r in rows),
                sum(r["status"] == "待就业" for r in rows))

    for region in (CITY, YIZHANG, YANGMEISHAN, VILLAGE_A2):
        summary = q.employment_summary(fixture_db, FIXTURE_ROOT, region, period).set_index("region_code")
        for code, rec in summary.iterrows():
            got = tuple(int(rec[c]) for c in ("cohort_size", "employed", "studying", "waiting"))
            assert got == counts(code, year - 1, d1), (region, code)
            assert int(rec["cohort_size"]) == counts(code, year - 1, d1)[0], (region, code)
            assert int(rec["waiting"]) == counts(code, year - 1, d1)[3], (region, code)
            assert int(rec["waiting_start"]) == counts(code, year - 1, year * 10000 + 101 - 1)[3], (region, code)
            assert int(rec["new_waiting"]) == counts(code, year, d1)[3], (region, code)
        cohorts = q.employment_cohorts(fixture_db, FIXTURE_ROOT, region, period).set_index("cohort_year")
        for cohort, rec in cohorts.iterrows():
            day = d1 - (year - 1 - int(cohort)) * 10000
            assert tuple(int(rec[c]) for c in ("cohort_size", "employed", "studying", "waiting")) == \
                counts(region, int(cohort), day), (region, cohort)


def test_edge_case_numbers(fixture_db, with_edge_cases):
    """A few hand-checked figures of the injected rows."""
    def flags(region, day):
        frame = fixture_db.frame("t", {"r": region, "d": day}, sql=(
            "SELECT SUM(zhishu) AS z, SUM(zhishu_villages) AS zv "
            "FROM roll_veteran_flags_day WHERE region_code = :r AND day <= :d"))
        return tuple(int(v or 0) for v in frame.iloc[0])
    # 高龙桥村: two 兵支书 until 2026-05-01, one until 2026-08-01, none after; the early death never counts
    assert flags(VILLAGE_Z, 20260430) == (2, 1)
    assert flags(VILLAGE_Z, 20260501) == (1, 1)
    assert flags(VILLAGE_Z, 20260801) == (0, 0)
    person = {(r["veteran_id"], r["year"]): r for r in read(fixture_db, "roll_311_person", PERSON_COLS)}
    first = person[(EXTRA + 1, 2025)]
    assert (first["ref_ok_day"], first["guide_ok_day"], first["info_ok_day"], first["all_ok_day"]) == \
        (20250510, 20250312, None, None)            # guidance before discharge counts from the discharge day
    second = person[(EXTRA + 1, 2026)]
    assert (second["ref_ok_day"], second["guide_ok_day"], second["info_ok_day"], second["all_ok_day"]) == \
        (20260707, 20260303, 20260105, 20260707)
    mover = person[(EXTRA + 2, 2026)]
    assert mover["region_code"] == VILLAGE_B and mover["all_ok_day"] == 20260302
    assert (EXTRA + 5, 2026) not in person          # 安排工作: not a "311" object


def test_fixture_is_restored_afterwards(fixture_db, fixture_data):
    test_rollups_equal_python(fixture_db, fixture_data)
