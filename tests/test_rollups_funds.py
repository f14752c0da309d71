"""The 资金发放 rollups (queries/rollups/funds.py) equal plain-Python computations from the raw rows, on
SQLite, PostgreSQL and MariaDB: roll_payment_audit_case (one row per anomaly case), roll_payment_audit
(cases and amount per region × month × check), roll_payment_backpay (调标补发 per region × month) and
roll_payment_paid_day (amounts paid per region × payment day).

Checked on the fixture as it is (one duplicate, some 调标补发) and with extra payment rows that hit each
definition's edge cases (docs/indicators/funds.md). The extra rows are inserted, the funds rollups
refreshed, compared, and the rows deleted and the rollups refreshed again, so the fixture database is as
it was afterwards (test_rollup_tables_equal_python runs again at the end to check that).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, text

from queries import schema
from queries.loader import load_sql
from queries.periods import day_key
from queries.refresh import data_as_of, since_binds
from queries.rollups import funds as rollups
from tests.fixtures import BAISHIDU, FIXTURE_AS_OF, VILLAGES

ASOF = day_key(FIXTURE_AS_OF)
EXTRA_ID = 91_000_000                    # payment ids of the rows injected here
NOBODY = 8_777_777                       # a beneficiary_id with no register row


# ------------------------------------------------------------------------- refresh this area only
def refresh_funds_rollups(engine) -> None:
    """Rebuild the funds rollups only, exactly as queries.refresh.refresh runs every rollup."""
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


# ------------------------------------------------------------------------- independent expectations
@dataclass(frozen=True)
class Case:
    check_kind: str
    place_code: str
    month: int
    beneficiary_id: int
    fund_kind: str
    region_code: str
    payment_id: int
    times: int
    amount_due: float
    amount_paid: float
    excess: float | None
    died_month: int | None
    min_monthly: float | None
    max_monthly: float | None
    register_code: str | None


def money(x) -> float | None:
    return None if x is None else round(float(x), 2)


def expected_cases(data, payments) -> set[Case]:
    """Each check's cases from raw rows, by the definitions in docs/indicators/funds.md."""
    bene = {b["beneficiary_id"]: b for b in data["beneficiary"]}
    std = {s["fund_kind"]: s for s in data["fund_standard"]}
    out = set()
    groups = defaultdict(list)
    for p in payments:
        if not p["is_backpay"] and p["amount_paid"] > 0:
            groups[(p["beneficiary_id"], p["fund_kind"], p["month"])].append(p)
    for (bid, kind, month), rows in groups.items():
        if len(rows) > 1 and bid in bene:              # counted at the registered village: needs a register row
            paid = [r["amount_paid"] for r in rows]
            out.add(Case("dup", bene[bid]["region_code"], month, bid, kind, min(r["region_code"] for r in rows),
                         min(r["payment_id"] for r in rows), len(rows), money(sum(r["amount_due"] for r in rows)),
                         money(sum(paid)), money(sum(paid) - max(paid)), None, None, None, None))
    for p in payments:
        one = dict(month=p["month"], beneficiary_id=p["beneficiary_id"], fund_kind=p["fund_kind"],
                   region_code=p["region_code"], payment_id=p["payment_id"], times=1,
                   amount_due=money(p["amount_due"]), amount_paid=money(p["amount_paid"]), excess=None)
        b = bene.get(p["beneficiary_id"])
        if b and b["died_day"] and not p["is_backpay"] and p["month"] > b["died_day"] // 100:
            out.add(Case("death", b["region_code"], died_month=b["died_day"] // 100, min_monthly=None,
                         max_monthly=None, register_code=None, **one))
        s = std.get(p["fund_kind"])
        if s and not p["is_backpay"] and not s["min_monthly"] <= p["amount_due"] <= s["max_monthly"]:
            out.add(Case("range", p["region_code"], died_month=None, min_monthly=money(s["min_monthly"]),
                         max_monthly=money(s["max_monthly"]), register_code=None, **one))
        if b is None or b["region_code"] != p["region_code"]:
            out.add(Case("register", p["region_code"], died_month=None, min_monthly=None, max_monthly=None,
                         register_code=None if b is None else b["region_code"], **one))
    return out


def ancestors(data) -> dict[str, list[str]]:
    """Region code -> itself and every ancestor, by code prefix (not by parent_code)."""
    regions = data["region"]
    return {r["code"]: [a["code"] for a in regions if r["code"].startswith(a["short_code"])] for r in regions}


def expected_audit(data, cases) -> dict:
    up, out = ancestors(data), defaultdict(lambda: [0, Decimal(0)])
    for c in cases:
        for code in up.get(c.place_code, []):          # a place outside the region table is not counted
            acc = out[(code, c.month, c.check_kind)]
            acc[0] += 1
            acc[1] += Decimal(str(c.amount_paid))
    return {k: (v[0], money(v[1])) for k, v in out.items()}


def expected_backpay(data, payments) -> dict:
    up, out = ancestors(data), defaultdict(lambda: [0, 0, Decimal(0), Decimal(0)])
    for p in payments:
        if not p["is_backpay"]:
            continue
        done = p["paid_day"] is not None and p["paid_day"] <= ASOF and p["amount_paid"] >= p["amount_due"]
        for code in up.get(p["region_code"], []):
            acc = out[(code, p["month"])]
            acc[0] += 1
            acc[1] += int(done)
            acc[2] += p["amount_due"]
            acc[3] += p["amount_paid"]
    return {k: (v[0], v[1], money(v[2]), money(v[3])) for k, v in out.items()}


def expected_paid_day(data, payments) -> dict:
    """roll_payment_paid_day: amounts and rows (amount > 0) by payment day, for every ancestor."""
    up, out = ancestors(data), defaultdict(lambda: [Decimal(0), 0])
    for p in payments:
        if p["paid_day"] is None:
            continue
        for code in up.get(p["region_code"], []):
            acc = out[(code, p["paid_day"])]
            acc[0] += p["amount_paid"]
            acc[1] += int(p["amount_paid"] > 0)
    return {k: (money(v[0]), v[1]) for k, v in out.items()}


def read_paid_day(db) -> dict:
    frame = db.frame("test_rppd", sql="SELECT region_code, day, amount_paid, rows_paid FROM roll_payment_paid_day")
    out = {}
    for r in frame.to_dict("records"):
        key = (r["region_code"], int(r["day"]))
        assert key not in out, f"duplicate row {key}"
        out[key] = (money(r["amount_paid"]), int(r["rows_paid"]))
    return out


# ------------------------------------------------------------------------- reading the tables
def missing(v) -> bool:
    """SQL NULL as the DataFrame gives it (None, or NaN in a numeric column)."""
    return v is None or v != v


def read_cases(db) -> list[Case]:
    frame = db.frame("test_rpac", sql=(
        "SELECT check_kind, place_code, month, beneficiary_id, fund_kind, region_code, payment_id, times, "
        "amount_due, amount_paid, excess, died_month, min_monthly, max_monthly, register_code "
        "FROM roll_payment_audit_case"))
    out = []
    for r in frame.to_dict("records"):
        out.append(Case(r["check_kind"], r["place_code"], int(r["month"]), int(r["beneficiary_id"]), r["fund_kind"],
                        r["region_code"], int(r["payment_id"]), int(r["times"]), money(r["amount_due"]),
                        money(r["amount_paid"]), None if missing(r["excess"]) else money(r["excess"]),
                        None if missing(r["died_month"]) else int(r["died_month"]),
                        None if missing(r["min_monthly"]) else money(r["min_monthly"]),
                        None if missing(r["max_monthly"]) else money(r["max_monthly"]),
                        None if missing(r["register_code"]) else r["register_code"]))
    return out


def read_audit(db) -> dict:
    frame = db.frame("test_rpa", sql="SELECT region_code, month, check_kind, cases, amount FROM roll_payment_audit")
    out = {}
    for r in frame.to_dict("records"):
        key = (r["region_code"], int(r["month"]), r["check_kind"])
        assert key not in out, f"duplicate row {key}"
        out[key] = (int(r["cases"]), money(r["amount"]))
    return out


def read_backpay(db) -> dict:
    frame = db.frame("test_rpb", sql=("SELECT region_code, month, backpay_rows, backpay_done, amount_due, amount_paid "
                                      "FROM roll_payment_backpay"))
    out = {}
    for r in frame.to_dict("records"):
        key = (r["region_code"], int(r["month"]))
        assert key not in out, f"duplicate row {key}"
        out[key] = (int(r["backpay_rows"]), int(r["backpay_done"]), money(r["amount_due"]), money(r["amount_paid"]))
    return out


def assert_tables_match(db, data, payments) -> set[Case]:
    cases = expected_cases(data, payments)
    got = read_cases(db)
    assert len(got) == len(set(got)), "a case is stored twice"
    assert set(got) == cases, (f"missing {sorted(cases - set(got), key=str)[:3]}, "
                               f"unexpected {sorted(set(got) - cases, key=str)[:3]}")
    assert read_audit(db) == expected_audit(data, cases)
    assert read_backpay(db) == expected_backpay(data, payments)
    assert read_paid_day(db) == expected_paid_day(data, payments)
    return cases


# ------------------------------------------------------------------------- the fixture as it is
def test_rollup_tables_equal_python(fixture_db, fixture_data):
    cases = assert_tables_match(fixture_db, fixture_data, fixture_data["payment"])
    assert [c.check_kind for c in cases] == ["dup"]                # the fixture's one duplicate (Oct 2025)
    assert expected_backpay(fixture_data, fixture_data["payment"])  # and its 调标补发 round (2024-10)


def test_tables_are_registered(fixture_db):
    tables = {r.table for r in rollups.ROLLUPS}
    assert tables == {"roll_payment_audit_case", "roll_payment_audit", "roll_payment_backpay",
                      "roll_payment_paid_day"}
    assert tables <= set(schema.rollup_tables())
    names = [step.sql_name for r in rollups.ROLLUPS for step in r.steps]
    assert all(n.startswith("funds_refresh_") for n in names) and len(set(names)) == len(names)


# ------------------------------------------------------------------------- every edge case
def extra_rows(data) -> list[dict]:
    """Extra payment rows in 2026: cases of every check and the rows each definition leaves out."""
    pays, bene = data["payment"], {b["beneficiary_id"]: b for b in data["beneficiary"]}
    has = {(p["beneficiary_id"], p["fund_kind"], p["month"]) for p in pays}
    regular = [p for p in pays if p["month"] == 202605 and not p["is_backpay"] and p["status"] == "已发放"
               and p["beneficiary_id"] in bene and bene[p["beneficiary_id"]]["region_code"] == p["region_code"]]
    a, b, c, e = regular[0], regular[1], regular[2], regular[3]
    d = next(p for p in regular[4:] if not {(p["beneficiary_id"], "临时救助", m) for m in (202605, 202607)} & has)
    dead = next(x for x in data["beneficiary"] if x["died_day"] and 202601 <= x["died_day"] // 100 <= 202609)
    src = next(p for p in pays if p["beneficiary_id"] == dead["beneficiary_id"] and not p["is_backpay"])
    died_month = dead["died_day"] // 100
    spare_kind = next(k for k in ("临时救助", "医疗补助", "义务兵家庭优待金")
                      if (dead["beneficiary_id"], k, died_month) not in has)
    other_village = next(v for v in VILLAGES if v != d["region_code"])
    n = iter(range(1, 100))

    def row(base, **changes):
        return {**base, "payment_id": EXTRA_ID + next(n), **changes}

    def in_month(month: int, day: int = 15) -> dict:
        due = date(month // 100, month % 100, day)
        paid = min(due - timedelta(days=1), FIXTURE_AS_OF)
        return {"month": month, "due_on": due, "due_day": day_key(due), "paid_on": paid, "paid_day": day_key(paid)}

    unpaid = {"amount_paid": Decimal("0.00"), "paid_on": None, "paid_day": None, "status": "未发放"}
    return [
        row(a),                                              # 重复发放: a second row …
        row(a, **unpaid),                                    # … plus an unpaid one (not part of the case)
        row(b), row(b, amount_paid=b["amount_paid"] + 10),   # three rows: times 3
        row(c, is_backpay=True),                             # 调标补发 next to a regular row: no duplicate
        row(c, **unpaid),                                    # unpaid second row: no duplicate
        row(a, beneficiary_id=NOBODY), row(a, beneficiary_id=NOBODY),    # not registered: 2 × 不在名册, no dup
        row(src, **in_month(died_month + 1), amount_paid=src["amount_due"]),          # 死亡后发放
        row(src, **{**in_month(died_month + 2), **unpaid}),                            # unpaid: still counted
        row(src, **in_month(died_month), fund_kind=spare_kind, amount_due=Decimal("1200.00"),
            amount_paid=Decimal("1200.00")),                 # the death month itself: not counted
        row(src, **in_month(died_month + 1), fund_kind=spare_kind, amount_paid=Decimal("5.00"),
            amount_due=Decimal("5.00"), is_backpay=True),    # 调标补发 after death: not counted (a back-pay row)
        row(d, fund_kind="临时救助", amount_due=Decimal("99999.00"), amount_paid=Decimal("99999.00")),  # 超标准
        row(d, **in_month(202607), fund_kind="临时救助", region_code=other_village,   # 超标准 and 不在名册 at once
            amount_due=Decimal("6000.00"), amount_paid=Decimal("6000.00")),
        row(d, fund_kind="残疾抚恤金", amount_due=Decimal("1.00"), amount_paid=Decimal("1.00"),
            is_backpay=True),                                # below the standard but 调标补发: not out of range
        row(e, region_code=BAISHIDU, is_backpay=True, fund_kind="医疗补助",      # booked at a township's own code
            amount_due=Decimal("50.00"), amount_paid=Decimal("50.00")),
        row(e, region_code=BAISHIDU, is_backpay=True, fund_kind="医疗补助", **unpaid),
        row(e, region_code="431022999999", **unpaid),        # a code outside the region table: not counted
    ]


@pytest.fixture
def with_edge_cases(fixture_db, fixture_data):
    extra = extra_rows(fixture_data)
    table = schema.payment
    with fixture_db.engine.begin() as conn:
        conn.execute(table.insert(), extra)
    try:
        refresh_funds_rollups(fixture_db.engine)
        yield fixture_data["payment"] + extra
    finally:
        with fixture_db.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.payment_id >= EXTRA_ID))
        refresh_funds_rollups(fixture_db.engine)


def test_edge_cases_follow_the_definitions(fixture_db, fixture_data, with_edge_cases):
    cases = assert_tables_match(fixture_db, fixture_data, with_edge_cases)
    count = defaultdict(int)
    for c in cases:
        if c.month >= 202601:
            count[c.check_kind] += 1
    assert dict(count) == {"dup": 2, "death": 2, "range": 2, "register": 6}
    three = next(c for c in cases if c.check_kind == "dup" and c.times == 3)
    assert three.excess == pytest.approx((three.amount_paid - 10) * 2 / 3)   # Σ paid − the largest (X + 10)
    audit, backpay = read_audit(fixture_db), read_backpay(fixture_db)
    assert backpay[(BAISHIDU, 202605)][:2] == (2, 1)         # a township's own back-pay rows roll up
    assert audit[(BAISHIDU, 202605, "register")][0] == 2     # … and its own register cases
    assert not any(key[0] == "431022999999" for key in audit)


def test_fixture_is_restored_afterwards(fixture_db, fixture_data):
    """Runs after the edge-case test in this module: the rows are gone and the rollups rebuilt."""
    test_rollup_tables_equal_python(fixture_db, fixture_data)
