"""Issue #14's test: after appending data, `refresh --since` gives every rollup table the rows a full refresh gives.

The fixture database is first taken back to what it held at an earlier as-of date (the cut): rows dated after
it removed, and the events after it (a petition accepted or closed, a payment paid, a placement received, a
death) not yet recorded on the rows that stay. A full refresh builds the rollups for that date. Then the
fixture's rows and as-of date come back — a month or two of data appended and those rows brought up to date —
and refresh(since=…) runs. Its tables must equal those of an independent full refresh, row for row: the
month-local rollups rebuilt from the since month, the others whole. Only changes counted from the since month
on are made (refresh --since's contract, queries/refresh.py): a payment of an earlier 所属期 paid late stays
as it is, so does a petition received earlier and accepted after the cut.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from queries import schema
from queries.periods import day_key
from queries.refresh import ROLLUPS, refresh
from tests.fixtures import FIXTURE_AS_OF

CASES = {   # earlier as-of date -> --since: mid-month (its month again), and a month's last day (the next month)
    "mid-month": (date(2026, 9, 15), "2026-09"),
    "month-end": (date(2026, 10, 31), "2026-11"),
}
# local rollups the append leaves as they were: the fixture's 调标补发 are all in 2024-10, and nobody is
# discharged, received or placed after October (placements)
UNTOUCHED = {"mid-month": ["roll_payment_backpay"],
             "month-end": ["roll_placement_day", "roll_placement_mix", "roll_payment_backpay"]}
CHANGED = ["station_activity", "petition", "payment", "veteran", "placement", "employment_status",
           "service_event", "training"]


def _as_at(rows: dict[str, list[dict]], cut: date, since_day: int) -> dict[str, list[dict]]:
    """The raw tables of CHANGED as they stood at the cut (copies; the session's fixture_data is untouched)."""
    k = day_key(cut)

    def after(v) -> bool:
        return v is not None and v > k

    def petition(p):
        p = dict(p)
        if after(p["accepted_day"]) and p["received_day"] >= since_day:         # not yet accepted
            p.update(accepted_on=None, accepted_day=None, due_on=None, due_day=None, extended=False)
        if after(p["closed_day"]) or p["accepted_day"] is None:                 # not yet closed
            p.update(closed_on=None, closed_day=None, satisfaction=None)
        return p

    def payment(p):
        p = dict(p)
        if after(p["paid_day"]) and p["month"] >= since_day // 100:             # not yet paid
            p.update(paid_on=None, paid_day=None, amount_paid=Decimal("0.00"), status="未发放")
        return p

    def placement(p):
        p = dict(p)
        for col in ("received", "placed", "reported"):
            if after(p[f"{col}_day"]):
                p.update({f"{col}_on": None, f"{col}_day": None})
        return p

    def veteran(v):
        return {**v, "died_on": None, "died_day": None} if after(v["died_day"]) else dict(v)

    return {
        "station_activity": [dict(a) for a in rows["station_activity"] if not after(a["day"])],
        "petition": [petition(p) for p in rows["petition"] if not after(p["received_day"])],
        "payment": [payment(p) for p in rows["payment"] if not after(p["due_day"])],
        "veteran": [veteran(v) for v in rows["veteran"] if not after(v["discharged_day"])],
        "placement": [placement(p) for p in rows["placement"] if not after(p["discharged_day"])],
        "employment_status": [dict(s) for s in rows["employment_status"] if not after(s["effective_day"])],
        "service_event": [dict(e) for e in rows["service_event"] if not after(e["day"])],
        "training": [dict(t) for t in rows["training"] if not after(t["started_day"])],
    }


def _put(engine, rows: dict[str, list[dict]], as_of: date) -> None:
    """Replace the rows of these raw tables and the meta as-of date (one transaction)."""
    with engine.begin() as conn:
        for name, table_rows in rows.items():
            table = schema.metadata.tables[name]
            conn.execute(table.delete())
            if table_rows:
                conn.execute(table.insert(), table_rows)
        conn.execute(text("UPDATE meta SET meta_value = :v WHERE meta_key = :k"),
                     {"k": "as_of", "v": as_of.isoformat()})


def _tables(db) -> dict[str, list[tuple]]:
    out = {}
    for table in ROLLUPS:
        frame = db.frame(f"test_{table}", sql=f"SELECT * FROM {table}")
        out[table] = sorted(tuple(str(v) for v in rec) for rec in frame.itertuples(index=False))
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_since_after_appending_equals_full(fixture_db, fixture_data, case):
    cut, since = CASES[case]
    since_day = int(since.replace("-", "")) * 100 + 1
    engine = fixture_db.engine
    earlier = _as_at(fixture_data, cut, since_day)
    full_rows = {name: fixture_data[name] for name in CHANGED}
    assert all(len(earlier[n]) < len(full_rows[n]) for n in ("station_activity", "petition", "payment"))
    try:
        _put(engine, earlier, cut)
        refresh(engine)                                   # the rollups as built on the cut date
        before = _tables(fixture_db)
        _put(engine, full_rows, FIXTURE_AS_OF)            # the data appended and brought up to date
        refresh(engine, since=since)
        incremental = _tables(fixture_db)
    finally:
        _put(engine, full_rows, FIXTURE_AS_OF)
        refresh(engine)                                   # the expected rows, and the shared database restored
    full = _tables(fixture_db)
    assert [t for t in ROLLUPS if incremental[t] != full[t]] == []
    # the append reached the local rollups this test is about (else it would prove nothing for them)
    assert [t for t, r in ROLLUPS.items() if r.since_delete and before[t] == full[t]] == UNTOUCHED[case]
