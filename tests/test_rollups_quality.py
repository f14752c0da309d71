"""Data-quality checks run by refresh: bad rows written straight into the tables (bypassing `vetdash load`)
are found and counted per county, on SQLite, PostgreSQL and MariaDB; the refresh still completes."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import create_engine, text

from queries import schema
from queries.load.run import load_dir
from queries.refresh import refresh
from tests.test_load import AS_OF, _write_inputs, load_engine  # noqa: F401 — load_engine is the per-dialect fixture

ZHANGGONG, NANKANG = "360702000000", "360703000000"
DONGYANG, XIJIN = "360702001001", "360702001002"


def _payment(pid, ben, region, paid, kind="残疾抚恤金", status="已发放"):
    return {"payment_id": pid, "beneficiary_id": ben, "region_code": region, "fund_kind": kind, "month": 202611,
            "amount_due": Decimal("3420.00"), "amount_paid": Decimal(paid), "due_on": date(2026, 11, 15),
            "due_day": 20261115, "paid_on": date(2026, 11, 13), "paid_day": 20261113, "status": status,
            "is_backpay": False}


def _plant(conn) -> None:
    """The issue's bad rows, written straight into the tables."""
    conn.execute(schema.payment.insert(), [
        _payment(9001, 2001, DONGYANG, "-100.00"),                 # negative amount
        _payment(9002, 8888, XIJIN, "500.00"),                     # beneficiary not on the register
        _payment(9007, 2002, NANKANG, "800.00"),                   # 南康区 pays but has no budget
        _payment(9008, 2002, XIJIN, "0", kind="抚恤金X", status="未发放"),   # unknown fund kind
    ])
    conn.execute(schema.veteran.insert(), {                        # unknown village code
        "veteran_id": 9003, "region_code": "360702001999", "birth_year": 1990, "sex": "男", "service_type": "军士",
        "enlisted_on": None, "discharged_on": date(2015, 1, 1), "discharged_day": 20150101,
        "placement_mode": "自主就业", "died_on": None, "died_day": None, "is_bing_laoban": False, "is_bing_zhishu": False})
    conn.execute(schema.petition.insert(), {                       # a county that is not in the tree at all
        "petition_id": 9004, "region_code": "369999000000", "received_on": date(2026, 11, 2), "received_day": 20261102,
        "channel": "来访", "category": "待遇", "item_type": "申诉求决", "persons": 1, "is_repeat": False,
        "is_skip_level": False, "petitioner_ref": None, "accept_deadline_day": 20261117, "accepted_on": None,
        "accepted_day": None, "due_on": None, "due_day": None, "extended": False, "closed_on": None,
        "closed_day": None, "satisfaction": None})
    conn.execute(schema.service_unit.insert(), {                   # a second station for 东阳社区
        "unit_id": 9005, "region_code": DONGYANG, "level": 5, "name": "东阳社区服务站(重复)",
        "founded_on": date(2020, 1, 1), "founded_day": 20200101, **{k: True for k in (
            "has_institution", "has_quota", "has_personnel", "has_funding", "has_safeguards")},
        "is_model": False, "model_grade": None, "is_benchmark": False, "is_red": False, "yibu_yizhan": False,
        "staff_full": 0, "staff_part": 1, "staff_certified": 0, "service_objects": 0})
    conn.execute(schema.station_activity.insert(), {               # dated after the as-of day
        "activity_id": 9006, "unit_id": 2, "region_code": DONGYANG, "activity_on": date(2026, 12, 15),
        "day": 20261215, "week": 202651, "month": 202612, "kind": "政策咨询", "items": 1, "visits": 0})
    conn.execute(schema.budget.insert(), {                         # negative budget of an unknown kind
        "region_code": ZHANGGONG, "year": 2026, "fund_kind": "抚恤金X", "amount": Decimal("-997000.00")})


def test_refresh_reports_bad_rows_written_straight_into_the_tables(load_engine, tmp_path):
    folder = tmp_path / "in"
    _write_inputs(folder)
    load_dir(load_engine, folder, as_of=AS_OF, progress=False)
    with load_engine.connect() as conn:
        clean = conn.execute(text("SELECT check_kind, source, place_code FROM roll_quality")).fetchall()
    assert clean == [], "the validated load leaves nothing for the checks to find"

    with load_engine.begin() as conn:
        _plant(conn)
    refresh(load_engine)                                           # completes despite the bad rows

    with load_engine.connect() as conn:
        rows = conn.execute(text("SELECT check_kind, source, place_code, cases, example_id, worst FROM roll_quality"))
        got = {(r[0], r[1], r[2]): (r[3], r[4], None if r[5] is None else round(float(r[5]), 3)) for r in rows}
        fresh = dict(((s, p), d) for s, p, d in conn.execute(text(
            "SELECT source, place_code, latest_day FROM roll_quality_fresh")))
    # 章贡区 paid in 2026: 3001 (3420) + 3003 (3100) + 9001 (-100) + 9002 (500) + 9008 (0);
    # its 2026 budget: 1,000,000 - 997,000
    rate = round((3420 + 3100 - 100 + 500) / (1_000_000 - 997_000), 3)
    assert got == {
        ("negative", "payment", ZHANGGONG): (1, 9001, None),
        ("negative", "budget", ZHANGGONG): (1, None, None),
        ("rate", "budget", ZHANGGONG): (1, None, rate),
        ("orphan", "payment", ZHANGGONG): (1, 9002, None),
        ("unknown_code", "veteran", ZHANGGONG): (1, 9003, None),
        ("unknown_code", "petition", "369999000000"): (1, 9004, None),
        ("dup_station", "service_unit", ZHANGGONG): (2, 9005, None),
        ("future", "station_activity", ZHANGGONG): (1, 9006, None),
        ("unknown_value", "payment", ZHANGGONG): (1, 9008, None),
        ("unknown_value", "budget", ZHANGGONG): (1, None, None),
        ("no_budget", "budget", NANKANG): (1, None, None),
    }
    assert fresh[("station_activity", ZHANGGONG)] == 20261215       # freshness shows the raw latest date
    assert fresh[("payment", ZHANGGONG)] == 20261125 and fresh[("payment", NANKANG)] == 20261113
    assert fresh[("petition", ZHANGGONG)] == 20261102


def test_refresh_command_prints_the_findings(tmp_path, monkeypatch, capsys):
    from dashboard.cli import main

    folder = tmp_path / "in"
    _write_inputs(folder)
    url = f"sqlite:///{tmp_path / 'q.sqlite'}"
    engine = create_engine(url)
    load_dir(engine, folder, as_of=AS_OF, progress=False)
    with engine.begin() as conn:
        _plant(conn)
    engine.dispose()
    monkeypatch.setenv("VETDASH_DATABASE_URL", url)
    # bad rows do not stop the refresh (the rollups below are rebuilt), but the exit code tells a scheduler
    assert main(["refresh"]) == 1
    out = capsys.readouterr().out
    with create_engine(url).connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM roll_quality")).scalar() > 0
    assert "数据质量检查：发现 8 类问题" in out
    assert "负数金额：1 个县(区)，2 行" in out and "县无本年度预算：1 个县(区)，1 行" in out
