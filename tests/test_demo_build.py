"""The demo builder on a small root (平江县 430626, ~0.8M rows, a few seconds on SQLite).

Checks the published Pingjiang 2023 figures through queries.report, determinism, that nothing
which happened is dated after as_of, key/date consistency, the stories' raw material, and that the
rollups were rebuilt.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from queries import schema
from queries.db import Database
from queries.demo.build import build_demo
from queries.periods import day_key, month_key, week_key
from queries.regions import OutOfScope
from queries.report import county_year_summary

AS_OF = date(2026, 11, 23)
ROOT = "430626"
ROOT12 = "430626000000"

# Columns recording something that happened: never after as_of. Deadlines (payment.due_on,
# beneficiary.until_on, petition.due_on, *_deadline_day) may lie in the future.
EVENT_DAYS = {
    "service_unit": ["founded_day"],
    "station_activity": ["day"],
    "veteran": ["discharged_day", "died_day"],
    "beneficiary": ["died_day"],
    "placement": ["discharged_day", "received_day", "placed_day", "reported_day"],
    "employment_status": ["effective_day"],
    "service_event": ["day"],
    "training": ["started_day"],
    "payment": ["paid_day"],
    "petition": ["received_day", "accepted_day", "closed_day"],
}
EVENT_DATES = {
    "veteran": ["enlisted_on", "discharged_on", "died_on"],
    "beneficiary": ["since_on", "died_on"],
    "training": ["started_on", "finished_on"],
    "petition": ["received_on", "accepted_on", "closed_on"],
    "payment": ["paid_on"],
}
# (table, date column, day-key column) pairs that must agree.
DAY_PAIRS = [
    ("service_unit", "founded_on", "founded_day"), ("station_activity", "activity_on", "day"),
    ("veteran", "discharged_on", "discharged_day"), ("veteran", "died_on", "died_day"),
    ("beneficiary", "died_on", "died_day"), ("placement", "discharged_on", "discharged_day"),
    ("placement", "received_on", "received_day"), ("placement", "placed_on", "placed_day"),
    ("placement", "reported_on", "reported_day"), ("employment_status", "effective_on", "effective_day"),
    ("service_event", "event_on", "day"), ("training", "started_on", "started_day"),
    ("payment", "due_on", "due_day"), ("payment", "paid_on", "paid_day"),
    ("petition", "received_on", "received_day"), ("petition", "accepted_on", "accepted_day"),
    ("petition", "due_on", "due_day"), ("petition", "closed_on", "closed_day"),
]


def _build(path):
    return build_demo(root=ROOT, years=5, seed=42, as_of=AS_OF, out=str(path), progress=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "pingjiang.sqlite"
    summary = _build(path)
    db = Database(f"sqlite:///{path}", timeout_ms=60_000)
    yield summary, db
    db.engine.dispose()


def _scalar(db, sql, **params):
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def _rows(db, sql, **params):
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).fetchall()


def test_pingjiang_2023_figures(built):
    _, db = built
    for scope in ("430626", "4306", "43"):
        got = county_year_summary(db, scope, "430626", 2023).set_index("figure")
        assert list(got.columns) == ["value", "unit"]
        assert got.loc["接收自主就业退役士兵", "value"] == 232
        assert got.loc["接收政府安排工作退役士兵", "value"] == 25
        assert got.loc["其中：安置到事业单位", "value"] == 20
        assert got.loc["其中：安置到央企", "value"] == 5
        assert got.loc["帮助实现就业创业", "value"] == 415
        assert got.loc["优抚对象抚恤补助资金发放", "unit"] == "万元"
        assert abs(got.loc["优抚对象抚恤补助资金发放", "value"] - 7667) <= 0.5
        assert abs(got.loc["义务兵家庭优待金发放", "value"] - 841) <= 0.5
    # The same figures straight from the raw tables (口径 written out).
    paid = _scalar(db, "SELECT SUM(amount_paid) FROM payment WHERE month BETWEEN 202301 AND 202312 "
                       "AND fund_kind IN ('残疾抚恤金', '定期抚恤金', '定期生活补助') "
                       "AND region_code BETWEEN '430626000000' AND '430626999999'")
    assert abs(float(paid) - 76_670_000) <= 5_000


def test_report_scope_is_enforced(built):
    _, db = built
    with pytest.raises(OutOfScope):
        county_year_summary(db, "430626", "4306", 2023)
    with pytest.raises(OutOfScope):
        county_year_summary(db, "430624", "430626", 2023)
    other_year = county_year_summary(db, "430626", "430626", 2022).set_index("figure")
    assert other_year.loc["接收自主就业退役士兵", "value"] > 0     # generated, not pinned


def test_every_raw_table_filled_and_meta(built):
    summary, db = built
    for name in schema.RAW_TABLES:
        assert summary["rows"][name] > 0, name
        if name != "meta":                  # refresh adds data_version, rollups_as_of and 2 coverage rows per source
            assert _scalar(db, f"SELECT COUNT(*) FROM {name}") == summary["rows"][name]
    assert _scalar(db, "SELECT COUNT(*) FROM meta") == summary["rows"]["meta"] + 2 + 2 * 5
    assert [r[0] for r in _rows(db, "SELECT code FROM region WHERE parent_code IS NULL")] == ["430000000000"]
    meta = dict(_rows(db, "SELECT meta_key, meta_value FROM meta"))
    assert meta["as_of"] == "2026-11-23" and meta["root"] == ROOT and meta["scale"] == "city"
    assert meta["seed"] == "42" and meta["years"] == "5" and meta["built_at"]
    assert meta["data_version"] == "1" and meta["loaded_through.petition"] <= "2026-11-23"
    assert set(summary["seconds"]) >= {"generate", "load", "indexes", "refresh", "total"}


def test_determinism(built, tmp_path):
    summary, db = built
    again = _build(tmp_path / "again.sqlite")
    assert again["rows"] == summary["rows"]
    db2 = Database(f"sqlite:///{tmp_path / 'again.sqlite'}")
    for sql in ("SELECT SUM(amount_paid) FROM payment", "SELECT SUM(amount_due) FROM payment",
                "SELECT SUM(persons) FROM petition", "SELECT SUM(items) FROM station_activity"):
        assert _scalar(db2, sql) == _scalar(db, sql), sql
    db2.engine.dispose()


def test_nothing_happens_after_as_of(built):
    _, db = built
    limit = day_key(AS_OF)
    for table, columns in EVENT_DAYS.items():
        for col in columns:
            assert (_scalar(db, f"SELECT MAX({col}) FROM {table}") or 0) <= limit, f"{table}.{col}"
    for table, columns in EVENT_DATES.items():
        for col in columns:
            assert (_scalar(db, f"SELECT MAX({col}) FROM {table}") or "") <= AS_OF.isoformat(), f"{table}.{col}"
    assert _scalar(db, "SELECT MAX(month) FROM payment") == month_key(AS_OF)
    assert _scalar(db, "SELECT MAX(month) FROM station_activity") == month_key(AS_OF)


def test_this_week_and_month_not_empty(built):
    _, db = built
    monday = AS_OF - timedelta(days=AS_OF.weekday())
    assert _scalar(db, "SELECT COUNT(*) FROM petition WHERE received_day BETWEEN :a AND :b",
                   a=day_key(monday), b=day_key(AS_OF)) > 0
    assert _scalar(db, "SELECT COUNT(*) FROM station_activity WHERE week = :w", w=week_key(AS_OF)) > 0
    assert _scalar(db, "SELECT COUNT(*) FROM payment WHERE month = :m", m=month_key(AS_OF)) > 0
    assert _scalar(db, "SELECT COUNT(*) FROM petition WHERE received_day >= :m",
                   m=month_key(AS_OF) * 100 + 1) > 0


def test_day_keys_match_dates(built):
    _, db = built
    for table, date_col, key_col in DAY_PAIRS:
        rows = _rows(db, f"SELECT {date_col}, {key_col} FROM {table} WHERE {date_col} IS NOT NULL "
                         f"ORDER BY {key_col} LIMIT 2000")
        rows += _rows(db, f"SELECT {date_col}, {key_col} FROM {table} WHERE {date_col} IS NOT NULL "
                          f"ORDER BY {key_col} DESC LIMIT 2000")
        assert rows, f"{table}.{date_col} empty"
        for d, k in rows:
            assert day_key(date.fromisoformat(str(d))) == k, f"{table}.{date_col}={d} but {key_col}={k}"
        nulls = _scalar(db, f"SELECT COUNT(*) FROM {table} WHERE ({date_col} IS NULL) <> ({key_col} IS NULL)")
        assert nulls == 0, f"{table}: {date_col} and {key_col} disagree on NULL"
    for d, w, m in _rows(db, "SELECT activity_on, week, month FROM station_activity ORDER BY activity_id LIMIT 3000"):
        assert (week_key(date.fromisoformat(d)), month_key(date.fromisoformat(d))) == (w, m)


def test_rollups_filled(built):
    summary, db = built
    for name in schema.ROLLUP_TABLES:        # every rollup; data-quality findings are rightly empty on clean data
        if name == "roll_quality":
            continue
        assert _scalar(db, f"SELECT COUNT(*) FROM {name}") > 0, name
        assert summary["refresh_seconds"][name] >= 0
    raw = _scalar(db, "SELECT SUM(amount_paid) FROM payment")
    rolled = _scalar(db, "SELECT SUM(amount_paid) FROM roll_payment_month WHERE region_code = :r", r=ROOT12)
    assert abs(float(raw) - float(rolled)) < 1.0
    assert _scalar(db, "SELECT SUM(received) FROM roll_petition_day WHERE region_code = :r", r=ROOT12) == \
        _scalar(db, "SELECT COUNT(*) FROM petition")
    assert _scalar(db, "SELECT SUM(records) FROM roll_activity_day WHERE region_code = :r", r=ROOT12) == \
        _scalar(db, "SELECT COUNT(*) FROM station_activity")


def test_consistency_and_stories(built):
    _, db = built
    # Every placement belongs to a veteran of the same county; task flag matches the mode.
    assert _scalar(db, "SELECT COUNT(*) FROM placement p JOIN veteran v ON v.veteran_id = p.veteran_id "
                       "WHERE substr(v.region_code, 1, 6) <> substr(p.region_code, 1, 6)") == 0
    assert _scalar(db, "SELECT COUNT(*) FROM placement WHERE is_task <> (mode IN ('转业', '安排工作'))") == 0
    # Regular payments stay inside the standard range; a few injected anomalies do not.
    outside = _scalar(db, "SELECT COUNT(*) FROM payment p JOIN fund_standard f ON f.fund_kind = p.fund_kind "
                          "WHERE p.is_backpay = 0 AND (p.amount_due < f.min_monthly OR p.amount_due > f.max_monthly)")
    assert 3 <= outside <= 0.001 * _scalar(db, "SELECT COUNT(*) FROM payment")
    dup = _scalar(db, "SELECT COUNT(*) FROM (SELECT beneficiary_id, fund_kind, month FROM payment "
                      "WHERE is_backpay = 0 AND fund_kind NOT IN ('医疗补助', '临时救助') "
                      "GROUP BY beneficiary_id, fund_kind, month HAVING COUNT(*) > 1) d")
    assert dup >= 3
    after_death = _scalar(db, "SELECT COUNT(*) FROM payment p JOIN beneficiary b ON b.beneficiary_id = p.beneficiary_id "
                              "WHERE b.died_day IS NOT NULL AND p.month > b.died_day / 100")
    assert after_death >= 3
    assert _scalar(db, "SELECT COUNT(*) FROM payment p JOIN beneficiary b ON b.beneficiary_id = p.beneficiary_id "
                       "WHERE p.region_code <> b.region_code") >= 3
    # Villages without a station, and signposted-but-inactive stations (~8-12%).
    villages = _scalar(db, "SELECT COUNT(*) FROM region WHERE level = 5")
    stations = _scalar(db, "SELECT COUNT(*) FROM service_unit WHERE level = 5")
    assert 0 < villages - stations < 0.15 * villages
    inactive = _scalar(db, "SELECT COUNT(*) FROM service_unit s WHERE NOT EXISTS (SELECT 1 FROM station_activity a "
                           "WHERE a.unit_id = s.unit_id AND a.day > :d)", d=day_key(AS_OF - timedelta(days=30)))
    units = _scalar(db, "SELECT COUNT(*) FROM service_unit")
    assert 0.05 * units < inactive < 0.16 * units
    # Status ids follow time per veteran (the "latest row" rule of the employment queries).
    assert _scalar(db, "SELECT COUNT(*) FROM employment_status a JOIN employment_status b "
                       "ON a.veteran_id = b.veteran_id AND a.status_id < b.status_id "
                       "WHERE a.effective_day > b.effective_day") == 0


def test_arguments_are_checked(tmp_path):
    with pytest.raises(ValueError):
        build_demo(root=ROOT, progress=False)
    with pytest.raises(ValueError):
        build_demo(root=ROOT, url="sqlite://", out=str(tmp_path / "x.sqlite"), progress=False)
    with pytest.raises(ValueError):
        build_demo(root=ROOT, scale="county", out=str(tmp_path / "x.sqlite"), progress=False)
