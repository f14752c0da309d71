"""Every roll_* table equals a plain-Python computation from the fixture's raw rows, on every dialect."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from queries import schema
from queries.periods import day_key, month_key, week_key
from queries.refresh import refresh
from tests.fixtures import (BAISHIDU, BEIHU, CITY, FIXTURE_AS_OF, INACTIVE_STATION_VILLAGE, PROVINCE,
                            VILLAGE_WITHOUT_STATION, VILLAGES, WINDOW_START, YIZHANG, YANGMEISHAN)

ASOF = day_key(FIXTURE_AS_OF)
VILLAGE = "431022101201"                  # 白石渡村
SPOT_REGIONS = [CITY, YIZHANG, BAISHIDU, VILLAGE, BEIHU, PROVINCE]


# ------------------------------------------------------------------------- independent expectations
def _ancestors(data) -> dict[str, list[str]]:
    """Region code -> codes of itself and every ancestor, by code prefix (not by parent_code)."""
    regions = data["region"]
    return {r["code"]: [a["code"] for a in regions if r["code"].startswith(a["short_code"])] for r in regions}


def expected_payment_month(data):
    up = _ancestors(data)
    out = defaultdict(lambda: [Decimal(0), Decimal(0), 0, 0])
    for p in data["payment"]:
        due = p["due_day"] <= ASOF
        ontime = due and p["paid_day"] is not None and p["paid_day"] <= p["due_day"] and p["amount_paid"] >= p["amount_due"]
        for code in up[p["region_code"]]:
            acc = out[(code, p["month"], p["fund_kind"])]
            acc[0] += p["amount_due"]
            acc[1] += p["amount_paid"]
            acc[2] += int(due)
            acc[3] += int(ontime)
    return {k: tuple(v) for k, v in out.items()}


def expected_payment_people(data):
    up = _ancestors(data)
    people = defaultdict(set)
    for p in data["payment"]:
        for code in up[p["region_code"]]:
            people[(code, p["month"])].add(p["beneficiary_id"])
    return {k: (len(v),) for k, v in people.items()}


PETITION_MEASURES = ["received", "persons", "repeat_cnt", "skip_cnt", "group_cnt", "accepted_timely",
                     "due_cnt", "due_closed_ontime", "closed_cnt", "rated_cnt", "satisfied_cnt"]


def expected_petition_day(data):
    up = _ancestors(data)
    out = defaultdict(lambda: dict.fromkeys(PETITION_MEASURES, 0))
    for p in data["petition"]:
        for code in up[p["region_code"]]:
            r = out[(code, p["received_day"])]
            r["received"] += 1
            r["persons"] += p["persons"]
            r["repeat_cnt"] += int(p["is_repeat"])
            r["skip_cnt"] += int(p["is_skip_level"])
            r["group_cnt"] += int(p["persons"] >= 5)
            r["accepted_timely"] += int(p["accepted_day"] is not None and p["accepted_day"] <= p["accept_deadline_day"])
            if p["due_day"] is not None:
                d = out[(code, p["due_day"])]
                d["due_cnt"] += 1
                d["due_closed_ontime"] += int(p["closed_day"] is not None and p["closed_day"] <= p["due_day"])
            if p["closed_day"] is not None:
                c = out[(code, p["closed_day"])]
                c["closed_cnt"] += 1
                c["rated_cnt"] += int(p["satisfaction"] is not None)
                c["satisfied_cnt"] += int(p["satisfaction"] in ("满意", "基本满意"))
    return {k: tuple(v[m] for m in PETITION_MEASURES) for k, v in out.items()}


def expected_activity_day(data):
    up = _ancestors(data)
    out = defaultdict(lambda: [0, 0, 0])
    for a in data["station_activity"]:
        for code in up[a["region_code"]]:
            acc = out[(code, a["day"])]
            acc[0] += 1
            acc[1] += a["items"]
            acc[2] += a["visits"]
    return {k: tuple(v) for k, v in out.items()}


def expected_veteran_month(data):
    up = _ancestors(data)
    out = defaultdict(lambda: [0, 0])
    for v in data["veteran"]:
        for code in up[v["region_code"]]:
            out[(code, month_key(v["discharged_on"]))][0] += 1
            if v["died_on"] is not None:
                out[(code, month_key(v["died_on"]))][1] += 1
    return {k: tuple(v) for k, v in out.items()}


ROLLUPS = {   # table: (key columns, value columns, expectation, money columns)
    "roll_payment_month": (["region_code", "month", "fund_kind"],
                           ["amount_due", "amount_paid", "rows_due", "rows_ontime_full"], expected_payment_month),
    "roll_payment_people": (["region_code", "month"], ["beneficiaries"], expected_payment_people),
    "roll_petition_day": (["region_code", "day"], PETITION_MEASURES, expected_petition_day),
    "roll_activity_day": (["region_code", "day"], ["records", "items", "visits"], expected_activity_day),
    "roll_veteran_month": (["region_code", "month"], ["discharged", "died"], expected_veteran_month),
}


def read_rollup(db, table: str) -> dict:
    keys, values, _ = ROLLUPS[table]
    frame = db.frame(f"test_{table}", sql=f"SELECT {', '.join(keys + values)} FROM {table}")
    out = {}
    for rec in frame.to_dict("records"):
        key = tuple(str(rec[k]) if k in ("region_code", "fund_kind") else int(rec[k]) for k in keys)
        assert key not in out, f"{table}: duplicate row {key}"
        out[key] = tuple(float(rec[v]) for v in values)
    return out


def assert_same(table: str, actual: dict, expected: dict) -> None:
    missing = sorted(set(expected) - set(actual))[:5]
    extra = sorted(set(actual) - set(expected))[:5]
    assert not missing and not extra, f"{table}: rows missing {missing}, unexpected {extra}"
    wrong = [(k, actual[k], tuple(float(x) for x in expected[k])) for k in sorted(expected)
             if actual[k] != pytest.approx(tuple(float(x) for x in expected[k]), abs=0.005)]
    assert not wrong, f"{table}: {len(wrong)} rows differ, e.g. (key, actual, expected) {wrong[:3]}"


# ------------------------------------------------------------------------- whole tables
@pytest.mark.parametrize("table", list(ROLLUPS))
def test_rollup_equals_python(fixture_db, fixture_data, table):
    expected = ROLLUPS[table][2](fixture_data)
    assert expected, f"fixture produced nothing for {table}"
    assert_same(table, read_rollup(fixture_db, table), expected)


def test_every_rollup_is_checked():
    """Core rollups are checked here; each queries/rollups/<area>.py has tests/test_rollups_<area>.py naming its tables."""
    import pkgutil
    from pathlib import Path
    import queries.rollups as registry
    assert set(ROLLUPS) == set(schema.CORE_ROLLUP_TABLES)
    tests_dir = Path(__file__).parent
    for info in pkgutil.iter_modules(registry.__path__):
        module = __import__(f"queries.rollups.{info.name}", fromlist=["ROLLUPS"])
        test_file = tests_dir / f"test_rollups_{info.name}.py"
        assert test_file.exists(), f"no {test_file.name} for queries/rollups/{info.name}.py"
        text = test_file.read_text(encoding="utf-8")
        for rollup in module.ROLLUPS:
            assert rollup.table in text, f"{test_file.name} does not check {rollup.table}"


def test_refresh_is_repeatable(fixture_db, fixture_data):
    timings = refresh(fixture_db.engine)
    assert set(timings) == set(schema.ROLLUP_TABLES)
    for table, (_, _, expect) in ROLLUPS.items():
        assert_same(table, read_rollup(fixture_db, table), expect(fixture_data))


# ------------------------------------------------------------------------- spot checks, the way pages read
def _subtree(data, code):
    short = next(r["short_code"] for r in data["region"] if r["code"] == code)
    return lambda c: c.startswith(short)


@pytest.mark.parametrize("region", SPOT_REGIONS)
def test_payment_month_spots(fixture_db, fixture_data, region):
    inside = _subtree(fixture_data, region)
    sql = ("SELECT amount_due, amount_paid, rows_due, rows_ontime_full FROM roll_payment_month "
           "WHERE region_code = :r AND month = :m AND fund_kind = :k")
    for month in (202409, 202410, 202512, 202610, 202611):
        for kind in ("残疾抚恤金", "定期生活补助", "定期抚恤金"):
            rows = [p for p in fixture_data["payment"]
                    if inside(p["region_code"]) and p["month"] == month and p["fund_kind"] == kind]
            got = fixture_db.frame("spot", {"r": region, "m": month, "k": kind}, sql=sql).to_dict("records")
            if not rows:
                assert got == [], (region, month, kind)
                continue
            assert len(got) == 1, (region, month, kind)
            due_rows = [p for p in rows if p["due_day"] <= ASOF]
            ontime = [p for p in due_rows if p["paid_day"] and p["paid_day"] <= p["due_day"]
                      and p["amount_paid"] >= p["amount_due"]]
            assert got[0]["amount_due"] == pytest.approx(float(sum(p["amount_due"] for p in rows)))
            assert got[0]["amount_paid"] == pytest.approx(float(sum(p["amount_paid"] for p in rows)))
            assert got[0]["rows_due"] == len(due_rows), (region, month, kind)
            assert got[0]["rows_ontime_full"] == len(ontime), (region, month, kind)


def test_not_yet_due_payments_are_not_counted_due(fixture_db, fixture_data):
    """定期生活补助 of 2026-11 is due on the 25th, after the as-of date: amounts yes, rows_due no."""
    got = fixture_db.frame("spot", {"r": CITY, "m": 202611, "k": "定期生活补助"}, sql=(
        "SELECT amount_due, rows_due, rows_ontime_full FROM roll_payment_month "
        "WHERE region_code = :r AND month = :m AND fund_kind = :k")).to_dict("records")
    assert len(got) == 1 and got[0]["amount_due"] > 0
    assert got[0]["rows_due"] == 0 and got[0]["rows_ontime_full"] == 0


@pytest.mark.parametrize("region", SPOT_REGIONS)
def test_payment_people_distinct(fixture_db, fixture_data, region):
    inside = _subtree(fixture_data, region)
    for month in (202409, 202510, 202611):
        rows = [p for p in fixture_data["payment"] if inside(p["region_code"]) and p["month"] == month]
        got = fixture_db.frame("spot", {"r": region, "m": month}, sql=(
            "SELECT beneficiaries FROM roll_payment_people WHERE region_code = :r AND month = :m"))
        assert got["beneficiaries"].tolist() == [len({p["beneficiary_id"] for p in rows})], (region, month)


@pytest.mark.parametrize("region", SPOT_REGIONS)
def test_petition_period_sums(fixture_db, fixture_data, region):
    """Sums over a day range of roll_petition_day, as a page asks for a week / month / year."""
    inside = _subtree(fixture_data, region)
    sql = ("SELECT SUM(received) AS received, SUM(persons) AS persons, SUM(group_cnt) AS group_cnt, "
           "SUM(accepted_timely) AS accepted_timely, SUM(due_cnt) AS due_cnt, "
           "SUM(due_closed_ontime) AS due_closed_ontime, SUM(closed_cnt) AS closed_cnt, "
           "SUM(satisfied_cnt) AS satisfied_cnt FROM roll_petition_day "
           "WHERE region_code = :r AND day BETWEEN :d0 AND :d1")
    ranges = [(date(2026, 11, 16), date(2026, 11, 22)), (date(2026, 11, 1), FIXTURE_AS_OF),
              (date(2025, 1, 1), date(2025, 12, 31)), (WINDOW_START, date(2026, 12, 31))]
    pet = [p for p in fixture_data["petition"] if inside(p["region_code"])]
    for start, end in ranges:
        d0, d1 = day_key(start), day_key(end)
        within = lambda k: k is not None and d0 <= k <= d1          # noqa: E731
        received = [p for p in pet if within(p["received_day"])]
        due = [p for p in pet if within(p["due_day"])]
        closed = [p for p in pet if within(p["closed_day"])]
        expected = {
            "received": len(received), "persons": sum(p["persons"] for p in received),
            "group_cnt": sum(p["persons"] >= 5 for p in received),
            "accepted_timely": sum(p["accepted_day"] is not None and p["accepted_day"] <= p["accept_deadline_day"]
                                   for p in received),
            "due_cnt": len(due),
            "due_closed_ontime": sum(p["closed_day"] is not None and p["closed_day"] <= p["due_day"] for p in due),
            "closed_cnt": len(closed),
            "satisfied_cnt": sum(p["satisfaction"] in ("满意", "基本满意") for p in closed),
        }
        got = fixture_db.frame("spot", {"r": region, "d0": d0, "d1": d1}, sql=sql).iloc[0].to_dict()
        got = {k: int(v or 0) for k, v in got.items()}       # SUM over no rows is NULL
        assert got == expected, (region, start, end)


@pytest.mark.parametrize("region", SPOT_REGIONS)
def test_activity_weeks(fixture_db, fixture_data, region):
    inside = _subtree(fixture_data, region)
    for monday in (date(2024, 9, 2), date(2025, 6, 16), date(2026, 11, 16), date(2026, 11, 23)):
        d0, d1 = day_key(monday), day_key(monday + timedelta(days=6))
        acts = [a for a in fixture_data["station_activity"] if inside(a["region_code"]) and d0 <= a["day"] <= d1]
        got = fixture_db.frame("spot", {"r": region, "d0": d0, "d1": d1}, sql=(
            "SELECT COUNT(*) AS n, SUM(records) AS records, SUM(items) AS items, SUM(visits) AS visits "
            "FROM roll_activity_day WHERE region_code = :r AND day BETWEEN :d0 AND :d1")).iloc[0]
        assert int(got["records"] or 0) == len(acts), (region, monday)
        assert int(got["items"] or 0) == sum(a["items"] for a in acts), (region, monday)
        assert int(got["visits"] or 0) == sum(a["visits"] for a in acts), (region, monday)


@pytest.mark.parametrize("region", SPOT_REGIONS)
def test_veteran_stock(fixture_db, fixture_data, region):
    """Stock at a month's end = cumulative discharged − cumulative died (roll_veteran_month's comment)."""
    inside = _subtree(fixture_data, region)
    vets = [v for v in fixture_data["veteran"] if inside(v["region_code"])]
    for month, last_day in ((202312, date(2023, 12, 31)), (202409, date(2024, 9, 30)),
                            (202512, date(2025, 12, 31)), (202611, FIXTURE_AS_OF)):
        alive = sum(1 for v in vets if v["discharged_on"] <= last_day
                    and (v["died_on"] is None or v["died_on"] > last_day))
        got = fixture_db.frame("spot", {"r": region, "m": month}, sql=(
            "SELECT SUM(discharged) AS d, SUM(died) AS x FROM roll_veteran_month "
            "WHERE region_code = :r AND month <= :m")).iloc[0]
        assert int(got["d"] or 0) - int(got["x"] or 0) == alive, (region, month)


# ------------------------------------------------------------------------- the fixture covers the edge cases
def test_fixture_covers_every_period(fixture_data):
    weeks = {a["week"] for a in fixture_data["station_activity"]}
    petition_weeks = {week_key(p["received_on"]) for p in fixture_data["petition"]}
    months = {p["month"] for p in fixture_data["payment"]}
    d, all_weeks, all_months = WINDOW_START, set(), set()
    while d <= FIXTURE_AS_OF:
        all_weeks.add(week_key(d))
        all_months.add(month_key(d))
        d += timedelta(days=1)
    assert all_weeks <= weeks and all_weeks <= petition_weeks
    assert all_months <= months


def test_fixture_has_the_edge_cases(fixture_data):
    pay, pet = fixture_data["payment"], fixture_data["petition"]
    assert any(p["paid_day"] and p["paid_day"] > p["due_day"] for p in pay), "late payment"
    assert any(p["paid_day"] is None and p["due_day"] <= ASOF for p in pay), "unpaid payment"
    assert any(p["paid_day"] and 0 < p["amount_paid"] < p["amount_due"] for p in pay), "short payment"
    assert any(p["due_day"] > ASOF for p in pay), "payment not yet due"
    dup_keys = [(p["beneficiary_id"], p["month"], p["fund_kind"], p["is_backpay"]) for p in pay]
    assert len(dup_keys) > len(set(dup_keys)), "duplicate payment"
    assert any(p["closed_day"] is None and p["due_day"] and p["due_day"] < ASOF for p in pet), "overdue open"
    assert any(p["extended"] for p in pet) and any(p["is_repeat"] for p in pet)
    assert any(p["is_skip_level"] for p in pet) and any(p["persons"] >= 5 for p in pet)
    assert {p["satisfaction"] for p in pet} >= {"满意", "基本满意", "不满意", None}
    assert any(p["accepted_day"] and p["accepted_day"] > p["accept_deadline_day"] for p in pet), "late acceptance"
    assert any(v["died_on"] for v in fixture_data["veteran"]), "dead veterans"
    units = fixture_data["service_unit"]
    assert VILLAGE_WITHOUT_STATION in VILLAGES and not any(u["region_code"] == VILLAGE_WITHOUT_STATION for u in units)
    inactive = [u["unit_id"] for u in units if u["region_code"] == INACTIVE_STATION_VILLAGE]
    assert inactive and not any(a["unit_id"] in inactive for a in fixture_data["station_activity"])
    five = ("has_institution", "has_quota", "has_personnel", "has_funding", "has_safeguards")
    assert any(all(u[f] for f in five) for u in units) and any(not all(u[f] for f in five) for u in units)
    assert {u["model_grade"] for u in units} >= {None, "国家级", "省级", "市级"}


def test_fixture_keys_match_dates(fixture_data):
    for table, rows in fixture_data.items():
        for row in rows:
            for col, value in row.items():
                if col.endswith("_on") and value is not None and f"{col[:-3]}_day" in row:
                    assert row[f"{col[:-3]}_day"] == day_key(value), (table, col, row)
    for a in fixture_data["station_activity"]:
        d = a["activity_on"]
        assert (a["day"], a["week"], a["month"]) == (day_key(d), week_key(d), month_key(d))
    for p in fixture_data["payment"]:
        assert p["month"] == month_key(p["due_on"])
    for table, rows in fixture_data.items():       # nothing happens after the as-of date except deadlines
        for row in rows:
            for col in ("activity_on", "received_on", "closed_on", "paid_on", "discharged_on", "died_on",
                        "effective_on", "event_on", "started_on", "placed_on", "reported_on", "accepted_on"):
                if row.get(col) is not None:
                    assert row[col] <= FIXTURE_AS_OF, (table, col, row)


def test_meta_as_of(fixture_db):
    meta = dict(fixture_db.frame("meta_values").values.tolist())
    assert meta["as_of"] == FIXTURE_AS_OF.isoformat() and meta["root"] == "4310"


def test_yangmeishan_village_without_station_still_rolls_up(fixture_db, fixture_data):
    """Facts of a village without a station still count for its township (people live there)."""
    got = fixture_db.frame("spot", {"r": VILLAGE_WITHOUT_STATION}, sql=(
        "SELECT SUM(discharged) AS d FROM roll_veteran_month WHERE region_code = :r")).iloc[0]["d"]
    assert int(got) == sum(1 for v in fixture_data["veteran"] if v["region_code"] == VILLAGE_WITHOUT_STATION)
    assert VILLAGE_WITHOUT_STATION.startswith(YANGMEISHAN[:9])
