"""Every queries/funds.py function equals a plain-Python computation from the fixture's raw rows,
on SQLite, PostgreSQL and MariaDB (fixture_db is parametrized over the three).

The fixture holds one duplicate payment (2025-10) and no other anomaly; `with_anomalies` adds one
case of each check (plus a duplicate in 2026) as extra raw payment rows for the duration of this
module's anomaly tests, rebuilds the funds rollups (the anomaly and back-pay queries read them), and
afterwards deletes the rows and rebuilds the rollups again, so the fixture database is as it was.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete

from queries import funds as q
from queries import schema
from queries.binds import all_binds
from queries.codes import mask_id, short_code
from queries.periods import Period, day_key
from queries.regions import OutOfScope
from tests.fixtures import (BAISHIDU, BEIHU, CITY, FIXTURE_AS_OF, FIXTURE_ROOT, VILLAGES, YIZHANG)
from tests.test_rollups_funds import refresh_funds_rollups

SCOPE = FIXTURE_ROOT
ASOF = day_key(FIXTURE_AS_OF)
VILLAGE = "431022101201"                       # 白石渡村
REGIONS = [CITY, YIZHANG, BAISHIDU, VILLAGE]
PERIODS = ["2026-11", "2026-Q3", "2025", "2026-W47", "2025-10"]
EXTRA_ID = 90_000_000                          # payment ids of the injected anomaly rows


def period(key: str) -> Period:
    return Period.parse(key, FIXTURE_AS_OF)


def binds(region: str, key: str) -> dict:
    return all_binds(SCOPE, region, period(key))


def in_tree(code: str, region: str) -> bool:
    return code.startswith(short_code(region))


def self_and_children(data, region: str) -> list[str]:
    return [region] + [r["code"] for r in data["region"] if r["parent_code"] == region]


def child_of(data, region: str, code: str) -> str | None:
    """The child of `region` whose subtree holds `code`; `region` itself for its own code only."""
    if code == region:
        return region
    return next((r["code"] for r in data["region"] if r["parent_code"] == region and in_tree(code, r["code"])), None)


def approx(x):
    return pytest.approx(float(x), abs=0.005)


def frame_dict(frame, key="region_code"):
    return {r[key]: r for r in frame.to_dict("records")}


# ------------------------------------------------------------------------------------ summary
@pytest.mark.parametrize("key", PERIODS)
@pytest.mark.parametrize("region", REGIONS)
def test_summary_matches_raw_rows(fixture_db, fixture_data, region, key):
    b = binds(region, key)
    p_year = b["p_m1"] // 100
    pays, budgets = fixture_data["payment"], fixture_data["budget"]
    got = frame_dict(q.funds_summary(fixture_db, SCOPE, region, period(key)))
    assert list(got) == sorted(self_and_children(fixture_data, region))
    for code, row in got.items():
        mine = [p for p in pays if in_tree(p["region_code"], code)]

        def paid(d0, d1):                                  # by payment day (cash basis)
            rows = [p for p in mine if p["paid_day"] is not None and d0 <= p["paid_day"] <= d1]
            return sum((p["amount_paid"] for p in rows), Decimal(0)) if rows else None

        def rows_paid(d0, d1):
            rows = [p for p in mine if p["paid_day"] is not None and d0 <= p["paid_day"] <= d1]
            return sum(1 for p in rows if p["amount_paid"] > 0) if rows else None

        def due_rows(m0, m1):
            rows = [p for p in mine if m0 <= p["month"] <= m1]
            if not rows:
                return None, None
            due = [p for p in rows if p["due_day"] <= ASOF]
            ok = [p for p in due if p["paid_day"] is not None and p["paid_day"] <= p["due_day"]
                  and p["amount_paid"] >= p["amount_due"]]
            return len(due), len(ok)

        def budget(year):
            rows = [x for x in budgets if in_tree(x["region_code"], code) and x["year"] == year]
            return sum((x["amount"] for x in rows), Decimal(0)) if rows else None

        y_jan1 = (b["y_d1"] // 10000) * 10000 + 101
        expected = {
            "paid": paid(b["d0"], b["d1"]), "paid_prev": paid(b["p_d0"], b["p_d1"]),
            "paid_ly": paid(b["y_d0"], b["y_d1"]), "paid_ytd": paid(b["ytd0"], b["d1"]),
            "paid_ytd_prev": paid(p_year * 10000 + 101, b["p_d1"]),
            "paid_ytd_ly": paid(y_jan1, b["y_d1"]),
            "budget": budget(b["year"]), "budget_prev": budget(p_year), "budget_ly": budget(b["year"] - 1),
            "people": rows_paid(b["d0"], b["d1"]), "people_prev": rows_paid(b["p_d0"], b["p_d1"]),
            "people_ly": rows_paid(b["y_d0"], b["y_d1"]),
        }
        expected["rows_due"], expected["rows_ontime"] = due_rows(b["m0"], b["m1"])
        expected["rows_due_prev"], expected["rows_ontime_prev"] = due_rows(b["p_m0"], b["p_m1"])
        expected["rows_due_ly"], expected["rows_ontime_ly"] = due_rows(b["y_m0"], b["y_m1"])
        expected["rows_due_ytd"], _ = due_rows(b["ytd_m0"], b["m1"])
        for col, want in expected.items():
            have = row[col]
            if want is None:
                assert have is None or have != have, (code, col, have)
            else:
                assert have == approx(want), (code, col)


def test_summary_has_money_in_the_fixture(fixture_db):
    """Guard against a vacuous comparison: the city paid something in Oct 2026."""
    row = frame_dict(q.funds_summary(fixture_db, SCOPE, CITY, period("2026-10")))[CITY]
    assert row["paid"] > 0 and row["rows_due"] > 0 and row["people"] > 0 and row["budget"] > 0


# ------------------------------------------------------------------------------------ by kind
@pytest.mark.parametrize("region", [CITY, VILLAGE])
def test_kind_month_covers_36_months(fixture_db, fixture_data, region):
    p = period("2026-11")
    got = q.funds_kind_month(fixture_db, SCOPE, region, p)
    expected = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for pay in fixture_data["payment"]:
        if in_tree(pay["region_code"], region) and 202312 <= pay["month"] <= 202611:
            acc = expected[(pay["month"], pay["fund_kind"])]
            acc[0] += pay["amount_due"]
            acc[1] += pay["amount_paid"]
    assert {(r["month"], r["fund_kind"]) for r in got.to_dict("records")} == set(expected)
    for r in got.to_dict("records"):
        due, paid = expected[(r["month"], r["fund_kind"])]
        assert r["amount_due"] == approx(due) and r["amount_paid"] == approx(paid)
    assert list(got["month"]) == sorted(got["month"])


@pytest.mark.parametrize("key", ["2026-11", "2025"])
@pytest.mark.parametrize("region", [CITY, BAISHIDU, VILLAGE])
def test_kind_by_child(fixture_db, fixture_data, region, key):
    b = binds(region, key)
    got = q.funds_kind_by_child(fixture_db, SCOPE, region, period(key))
    expected = defaultdict(lambda: Decimal(0))
    for code in self_and_children(fixture_data, region):
        for pay in fixture_data["payment"]:
            if in_tree(pay["region_code"], code) and b["m0"] <= pay["month"] <= b["m1"]:
                expected[(code, pay["fund_kind"])] += pay["amount_paid"]
    assert {(r["region_code"], r["fund_kind"]): r["amount_paid"] for r in got.to_dict("records")} == {
        k: approx(v) for k, v in expected.items()}


# ------------------------------------------------------------------------------------ F5 back-pay
@pytest.mark.parametrize("key", ["2024", "2024-10", "2026-11"])
@pytest.mark.parametrize("region", [CITY, YIZHANG, VILLAGE])
def test_backpay(fixture_db, fixture_data, region, key):
    """Rows: the region (its whole subtree) and each child with 调标补发 rows this year."""
    b = binds(region, key)
    got = frame_dict(q.funds_backpay(fixture_db, SCOPE, region, period(key)))
    expected = defaultdict(lambda: [0, 0, Decimal(0), Decimal(0)])
    for pay in fixture_data["payment"]:
        if pay["is_backpay"] and in_tree(pay["region_code"], region) and b["ytd_m0"] <= pay["month"] <= b["m1"]:
            for code in {region, child_of(fixture_data, region, pay["region_code"])}:
                acc = expected[code]
                acc[0] += 1
                acc[1] += int(pay["paid_day"] is not None and pay["paid_day"] <= ASOF
                              and pay["amount_paid"] >= pay["amount_due"])
                acc[2] += pay["amount_due"]
                acc[3] += pay["amount_paid"]
    assert {c: (int(r["backpay_rows"]), int(r["backpay_done"])) for c, r in got.items()} == {
        c: tuple(v[:2]) for c, v in expected.items()}
    for c, r in got.items():
        assert (r["backpay_due_amount"], r["backpay_paid_amount"]) == (approx(expected[c][2]), approx(expected[c][3]))
    if key.startswith("2024") and region != VILLAGE:
        assert sum(v[0] for v in expected.values()) > 0          # the 2024-10 round is in the fixture


# ------------------------------------------------------------------------------------ village
@pytest.mark.parametrize("key", ["2026-11", "2025"])
def test_village_categories(fixture_db, fixture_data, key):
    b = binds(VILLAGE, key)
    category = {x["beneficiary_id"]: x["category"] for x in fixture_data["beneficiary"]}
    people, count, paid = defaultdict(set), defaultdict(int), defaultdict(lambda: Decimal(0))
    for pay in fixture_data["payment"]:
        if pay["region_code"] == VILLAGE and b["m0"] <= pay["month"] <= b["m1"]:
            cat = category[pay["beneficiary_id"]]
            people[cat].add(pay["beneficiary_id"])
            count[cat] += 1
            paid[cat] += pay["amount_paid"]
    got = frame_dict(q.funds_village_categories(fixture_db, SCOPE, VILLAGE, period(key)), "category")
    assert set(got) == set(people) and got
    for cat, r in got.items():
        assert (r["people"], r["payments"]) == (len(people[cat]), count[cat])
        assert r["amount_paid"] == approx(paid[cat])


# ------------------------------------------------------------------------------------ anomalies
def expected_cases(data, payments, region: str, key: str) -> dict[str, list[dict]]:
    """Each check's cases in the region's subtree over the period's year to date, from raw rows."""
    b = binds(region, key)
    bene = {x["beneficiary_id"]: x for x in data["beneficiary"]}
    std = {s["fund_kind"]: s for s in data["fund_standard"]}
    ytd = [p for p in payments if b["ytd_m0"] <= p["month"] <= b["m1"]]
    sub = [p for p in ytd if in_tree(p["region_code"], region)]
    groups = defaultdict(list)
    for p in ytd:                                   # people registered in the subtree, rows booked anywhere
        x = bene.get(p["beneficiary_id"])
        if x and in_tree(x["region_code"], region) and not p["is_backpay"] and p["amount_paid"] > 0:
            groups[(p["beneficiary_id"], p["fund_kind"], p["month"])].append(p)
    dup = [{"beneficiary_id": k[0], "fund_kind": k[1], "month": k[2], "region_code": min(x["region_code"] for x in v),
            "place": bene[k[0]]["region_code"], "times": len(v), "amount_paid": sum(x["amount_paid"] for x in v),
            "excess": sum(x["amount_paid"] for x in v) - max(x["amount_paid"] for x in v)}
           for k, v in groups.items() if len(v) > 1]
    death = []
    for p in ytd:
        x = bene.get(p["beneficiary_id"])
        if (x and x["died_day"] and in_tree(x["region_code"], region) and not p["is_backpay"]
                and p["month"] > x["died_day"] // 100):
            death.append({**p, "place": x["region_code"], "died_month": x["died_day"] // 100})
    out_of_range = [p for p in sub if not p["is_backpay"] and p["fund_kind"] in std and not (
        std[p["fund_kind"]]["min_monthly"] <= p["amount_due"] <= std[p["fund_kind"]]["max_monthly"])]
    register = [p for p in sub if p["beneficiary_id"] not in bene
                or bene[p["beneficiary_id"]]["region_code"] != p["region_code"]]
    return {"dup": dup, "death": death, "range": out_of_range, "register": register}


def check_counts_and_lists(db, data, payments, region, key):
    cases = expected_cases(data, payments, region, key)
    all_counts = q.funds_audit_by_child(db, SCOPE, region, period(key))
    assert set(all_counts["check_kind"]) <= set(q.CHECKS)
    for check in q.CHECKS:
        counts = all_counts[all_counts["check_kind"] == check]
        want, amount = defaultdict(int), defaultdict(Decimal)      # the region (whole subtree) and each child
        for c in cases[check]:
            for code in {region, child_of(data, region, c.get("place", c["region_code"]))}:
                want[code] += 1
                amount[code] += c["amount_paid"]
        assert dict(zip(counts["region_code"], counts["cases"].astype(int))) == dict(want), check
        assert {r: float(a) for r, a in zip(counts["region_code"], counts["amount"])} == {
            r: approx(a) for r, a in amount.items()}, check
        listed = q.ANOMALY_LISTS[check](db, SCOPE, region, period(key))
        assert "beneficiary_id" not in listed.columns and listed["masked_id"].str.match(r"^\*{4}\d{4}$").all()
        assert sorted(zip(listed["masked_id"], listed["fund_kind"], listed["month"].astype(int))) == sorted(
            (mask_id(c["beneficiary_id"]), c["fund_kind"], c["month"]) for c in cases[check]), check
        assert list(listed["month"]) == sorted(listed["month"], reverse=True)          # newest first
        placed = defaultdict(int)                       # place_code places a listed case like the counts do
        for code in listed["place_code"]:
            for at in {region, child_of(data, region, code)}:
                placed[at] += 1
        assert dict(placed) == dict(want), check
        if check == "dup":
            got = {(r["masked_id"], r["month"]): r for r in listed.to_dict("records")}
            for c in cases["dup"]:
                r = got[(mask_id(c["beneficiary_id"]), c["month"])]
                assert (r["times"], r["excess"]) == (c["times"], approx(c["excess"]))
        if check == "death":
            assert sorted(listed["died_month"].astype(int)) == sorted(c["died_month"] for c in cases["death"])
        if check == "register":
            bene = {x["beneficiary_id"]: x["region_code"] for x in data["beneficiary"]}
            assert sorted(str(v) if isinstance(v, str) else "None" for v in listed["register_code"]) == sorted(
                str(bene.get(c["beneficiary_id"])) for c in cases["register"])
    return cases


@pytest.mark.parametrize("key", ["2025", "2025-10", "2026-11"])
@pytest.mark.parametrize("region", [CITY, BEIHU, VILLAGES[0]])
def test_anomalies_on_fixture_rows(fixture_db, fixture_data, region, key):
    cases = check_counts_and_lists(fixture_db, fixture_data, fixture_data["payment"], region, key)
    if key.startswith("2025") and region != VILLAGES[0]:
        assert len(cases["dup"]) == 1           # the fixture's one duplicate (Oct 2025, 北湖区)
    # 调标补发 rows (2024-10) fall below the monthly standard but are not "out of range".
    assert all(not c["is_backpay"] for c in cases["range"])


@pytest.fixture(scope="module")
def with_anomalies(fixture_db, fixture_data):
    """One extra case of every check in 2026 (rows deleted again after this module)."""
    pays = fixture_data["payment"]
    dead = next(b for b in fixture_data["beneficiary"]
                if b["died_day"] and 202601 <= b["died_day"] // 100 <= 202608
                and b["region_code"].startswith("431022"))
    src = next(p for p in pays if p["beneficiary_id"] == dead["beneficiary_id"] and not p["is_backpay"])
    died_month = dead["died_day"] // 100
    ghost_month = died_month + 1
    regular = [p for p in pays if p["month"] == 202605 and not p["is_backpay"] and p["status"] == "已发放"]
    in_beihu = next(p for p in regular if p["region_code"].startswith("431002"))
    in_yizhang = [p for p in regular if p["region_code"].startswith("431022")]
    other_village = next(v for v in VILLAGES if v != in_yizhang[1]["region_code"] and v.startswith("431022"))

    def row(base, n, **changes):
        return {**base, "payment_id": EXTRA_ID + n, **changes}

    due = date(ghost_month // 100, ghost_month % 100, 15)
    extra = [
        row(in_beihu, 1),                                                               # duplicate
        row(src, 2, month=ghost_month, due_on=due, due_day=day_key(due), paid_on=due - timedelta(days=1),
            paid_day=day_key(due - timedelta(days=1)), amount_paid=src["amount_due"], status="已发放"),  # after death
        # 临时救助 rows, so they do not also duplicate the person's monthly row
        row(in_yizhang[0], 3, fund_kind="临时救助", amount_due=Decimal("99999.00"), amount_paid=Decimal("99999.00")),
        row(in_yizhang[1], 4, fund_kind="临时救助", month=202607, region_code=other_village,   # another village
            amount_due=Decimal("1000.00"), amount_paid=Decimal("1000.00")),
        row(in_yizhang[2], 5, month=202607, beneficiary_id=8_888_888),                 # nobody on the register
    ]
    table = schema.payment
    with fixture_db.engine.begin() as conn:
        conn.execute(table.insert(), extra)
    try:
        refresh_funds_rollups(fixture_db.engine)
        yield pays + extra
    finally:
        with fixture_db.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.payment_id >= EXTRA_ID))
        refresh_funds_rollups(fixture_db.engine)


@pytest.mark.parametrize("region", [CITY, YIZHANG, BEIHU, BAISHIDU])
def test_anomalies_with_one_case_of_each(fixture_db, fixture_data, with_anomalies, region):
    cases = check_counts_and_lists(fixture_db, fixture_data, with_anomalies, region, "2026-11")
    if region == CITY:
        assert {k: len(v) for k, v in cases.items()} == {"dup": 1, "death": 1, "range": 1, "register": 2}


def test_anomaly_list_limit_keeps_newest(fixture_db, fixture_data, with_anomalies):
    everything = q.funds_register_list(fixture_db, SCOPE, CITY, period("2026-11"))
    first = q.funds_register_list(fixture_db, SCOPE, CITY, period("2026-11"), limit=1)
    assert len(everything) == 2 and len(first) == 1
    assert first.iloc[0]["month"] == everything["month"].max()


def test_anomalies_stay_inside_the_subtree(fixture_db, fixture_data, with_anomalies):
    """北湖区's duplicate is not counted for 宜章县 and vice versa."""
    def dup_total(region):
        counts = q.funds_audit_by_child(fixture_db, SCOPE, region, period("2026-11"))
        return sum(int(n) for c, k, n in zip(counts["region_code"], counts["check_kind"], counts["cases"])
                   if c == region and k == "dup")
    assert (dup_total(BEIHU), dup_total(YIZHANG)) == (1, 0)
    assert len(q.funds_dup_list(fixture_db, SCOPE, YIZHANG, period("2026-11"))) == 0


# ------------------------------------------------------------------------------------ scope
@pytest.mark.parametrize("fn", [q.funds_summary, q.funds_backpay, q.funds_dup_list, q.funds_audit_by_child])
def test_region_outside_scope_is_refused(fixture_db, fn):
    with pytest.raises(OutOfScope, match="不在您的查看范围"):
        fn(fixture_db, "431022", BEIHU, period("2026-11"))
