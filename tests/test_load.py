"""`vetdash load`: template files with planted bad rows of every kind, on SQLite, PostgreSQL and MariaDB.

Each bad row must land in the rejects file with its reason, each good row in the database, and a
second load of the same files must change nothing. The data is a city outside Hunan (赣州市), so the
region tree, meta.root and the rollups are exercised for "any city as root".
"""
from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from queries import schema
from queries.load.run import load_dir
from queries.load.templates import write_templates
from tests import conftest
from tests.conftest import DIALECTS, require_dialect

AS_OF = date(2026, 11, 30)
PG_SCHEMA = "vetdash_load_test"
FIRST = 5            # rows 1-4 of a template: Chinese header, column names, #说明, #示例

# Each table's rows: (good?, expected rejects [(column, reason)], cells). Rows are written in this order.
ROWS = {
    "region": [
        (True, [], ["36", "江西省", "省", "否"]),
        (True, [], ["3607", "赣州市", "市", "否"]),
        (True, [], ["360702", "章贡区", "区", "否"]),
        (True, [], ["360703", "南康区", "区", "否"]),
        (True, [], ["360702001", "解放街道", "街道", "否"]),
        (True, [], ["360702001001", "东阳社区", "社区", "否"]),
        (True, [], ["360702001002", "西津社区", "社区", "否"]),
        (False, [("code", "上级区划不存在")], ["360799001001", "无上级村", "村", "否"]),
        (False, [("kind", "不在允许值内")], ["360703001", "某地", "盟", "否"]),
    ],
    "service_unit": [
        (True, [], ["1", "360702", "3", "章贡区退役军人服务中心", "2019-05-01"] + ["是"] * 5 + ["否", "", "否", "否", "否", "3", "1", "2", "120"]),
        (True, [], ["2", "360702001001", "5", "东阳社区退役军人服务站", "2019-06-01"] + ["是"] * 5 + ["否", "", "否", "否", "否", "0", "2", "1", "40"]),
        (False, [("region_code", "重复服务站")],      # two stations for one village: both refused, none guessed
         ["3", "360702001002", "5", "西津社区服务站", "2020-01-01"] + ["是"] * 5 + ["否", "", "否", "否", "否", "0", "1", "0", "40"]),
        (False, [("region_code", "重复服务站")],
         ["5", "360702001002", "5", "西津社区服务站(重复)", "2020-01-01"] + ["是"] * 5 + ["否", "", "否", "否", "否", "0", "1", "0", "40"]),
        (False, [("level", "区划层级不符")],
         ["4", "360702001002", "4", "西津社区站(层级错)", "2020-01-01"] + ["是"] * 5 + ["否", "", "否", "否", "否", "0", "1", "0", "10"]),
    ],
    "station_activity": [
        (True, [], ["501", "2", "", "2026-11-20", "政策咨询", "3", "0"]),
        (False, [("unit_id", "服务站不存在")], ["502", "99", "", "2026-11-20", "政策咨询", "1", "0"]),
        (False, [("items", "不是整数")], ["503", "2", "", "2026-11-21", "走访慰问", "两件", "1"]),
    ],
    "veteran": [
        (True, [], ["1001", "360702001001", "1998", "男", "义务兵", "2017-09-10", "2019-09-01", "自主就业", "", "否", "否"]),
        (True, [], ["1002", "360702001002", "1980", "男", "军官", "", "2026-03-01", "转业", "", "否", "否"]),
        (False, [("region_code", "区划代码不存在")],
         ["1003", "360702001999", "1990", "男", "军士", "", "2015-01-01", "自主就业", "", "否", "否"]),
        (False, [("discharged_on", "日期晚于数据截至日期")],
         ["1004", "360702001001", "1990", "女", "军士", "", "2027-01-01", "自主就业", "", "否", "否"]),
        (False, [("discharged_on", "日期格式错误")],
         ["1005", "360702001001", "1990", "男", "军士", "", "2024-13-45", "自主就业", "", "否", "否"]),
    ],
    "beneficiary": [
        (True, [], ["2001", "360702001001", "残疾军人", "1001", "", "6", "2020-01-01", "", ""]),
        (True, [], ["2002", "360702001002", "烈士遗属", "", "", "", "2018-01-01", "", ""]),
        (False, [("veteran_id", "退役军人不存在")], ["2003", "360702001002", "在乡复员军人", "1999", "", "", "2018-01-01", "", ""]),
    ],
    "payment": [
        (True, [], ["3001", "2001", "360702001001", "残疾抚恤金", "202611", "3420.00", "3420.00", "2026-11-15", "2026-11-13", "已发放", "否", ""]),
        (True, [], ["3002", "2002", "360702001002", "定期抚恤金", "202611", "3100.00", "0", "2026-11-15", "", "退回", "否", ""]),
        (True, [], ["3003", "2002", "360702001002", "定期抚恤金", "202611", "3100.00", "3100.00", "2026-11-15", "2026-11-25", "已发放", "否", "3002"]),
        (False, [("amount_paid", "金额为负数")],
         ["3004", "2001", "360702001001", "残疾抚恤金", "202610", "3420.00", "-482000", "2026-10-15", "2026-10-13", "已发放", "否", ""]),
        (False, [("fund_kind", "不在允许值内")],
         ["3005", "2001", "360702001001", "抚恤金X", "202610", "3420.00", "3420.00", "2026-10-15", "2026-10-13", "已发放", "否", ""]),
        (False, [("beneficiary_id", "受益人不存在")],
         ["3006", "2999", "360702001001", "残疾抚恤金", "202610", "3420.00", "3420.00", "2026-10-15", "2026-10-13", "已发放", "否", ""]),
        (False, [("payment_id", "编号在文件中重复")],
         ["3007", "2001", "360702001001", "残疾抚恤金", "202609", "3420.00", "3420.00", "2026-09-15", "2026-09-13", "已发放", "否", ""]),
        (False, [("payment_id", "编号在文件中重复")],
         ["3007", "2001", "360702001001", "残疾抚恤金", "202608", "3420.00", "3420.00", "2026-08-15", "2026-08-13", "已发放", "否", ""]),
        (False, [("amount_paid", "发放状态与金额不符")],
         ["3008", "2002", "360702001002", "定期抚恤金", "202610", "3100.00", "3100.00", "2026-10-15", "", "退回", "否", ""]),
        (False, [("reissue_of", "重新发放不符")],
         ["3009", "2001", "360702001001", "残疾抚恤金", "202611", "3420.00", "3420.00", "2026-11-15", "2026-11-20", "已发放", "否", "3001"]),
    ],
    "placement": [
        (True, [], ["4001", "1002", "360702", "", "", "转业", "党政机关", "", "2026-03-01", "2026-03-20", "", "2026-05-06", "是"]),
        (False, [("veteran_id", "退役军人不存在")],
         ["4002", "1999", "360702", "2026", "春季", "安排工作", "事业单位", "是", "2026-03-01", "", "", "", "否"]),
        (False, [("region_code", "区划层级不符")],
         ["4003", "1001", "360702001001", "2019", "秋季", "自主就业", "", "否", "2019-09-01", "", "", "", "否"]),
    ],
    "budget": [
        (True, [], ["360702", "2026", "残疾抚恤金", "1000000"]),
        (False, [("amount", "金额为负数")], ["360703", "2026", "残疾抚恤金", "-5000"]),
    ],
    "fund_standard": [
        (True, [], ["残疾抚恤金", "900", "14000"]),
    ],
    "petition": [
        (True, [], ["7001", "360702001001", "2026-11-02", "来访", "待遇", "申诉求决", "1", "否", "否", "", "2026-11-05", "", "否", "", ""]),
        (False, [("received_on", "日期晚于数据截至日期")],
         ["7002", "360702001001", "2026-12-24", "来信", "待遇", "申诉求决", "1", "否", "否", "", "", "", "否", "", ""]),
        (False, [("petition_id", "数值超出范围")],            # beyond the 32-bit INTEGER column
         ["3000000000", "360702001001", "2026-11-02", "来信", "待遇", "申诉求决", "1", "否", "否", "", "", "", "否", "", ""]),
    ],
}
XLSX_TABLES = {"veteran", "payment"}          # these two go in as .xlsx, the rest as .csv


def _write_inputs(folder: Path) -> None:
    """The templates, with the planted rows appended below their header rows."""
    write_templates(folder)
    for name in list(schema.RAW_TABLES):
        if name == "meta":
            continue
        keep = folder / f"{name}.{'xlsx' if name in XLSX_TABLES else 'csv'}"
        other = folder / f"{name}.{'csv' if name in XLSX_TABLES else 'xlsx'}"
        other.unlink()
        if name not in ROWS:
            keep.unlink()
            continue
        cells = [r[2] for r in ROWS[name]]
        if keep.suffix == ".csv":
            with keep.open("a", encoding="utf-8-sig", newline="") as fh:
                csv.writer(fh).writerows(cells)
        else:
            wb = load_workbook(keep)
            ws = wb["数据"]
            for row in cells:
                ws.append([_excel_value(v) for v in row])
            wb.save(keep)


def _excel_value(v: str):
    """What Excel would store: numbers as numbers and real dates as dates (not all text)."""
    if v.isdigit() and len(v) < 15:
        return int(v)
    try:
        return date.fromisoformat(v)
    except ValueError:
        return v


def _expected_rejects() -> set[tuple]:
    out = set()
    for name, rows in ROWS.items():
        for i, (_good, problems, _cells) in enumerate(rows):
            for column, reason in problems:
                out.add((name, FIRST + i, column, reason))
    return out


def _engine(dialect: str, tmp_path: Path):
    if dialect == "sqlite":
        return create_engine(f"sqlite:///{tmp_path / 'load.sqlite'}")
    url = conftest.server_url(dialect)
    conftest._lock_server(dialect, url)                  # the session's lock on the shared test server
    if dialect == "postgresql":
        admin = create_engine(url, poolclass=NullPool)
        with admin.begin() as conn:                      # our own schema: the session fixture_db is untouched
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
        admin.dispose()
        return create_engine(url, poolclass=NullPool, connect_args={"options": f"-csearch_path={PG_SCHEMA}"})
    engine = create_engine(url, poolclass=NullPool)      # MariaDB: one database only; rebuilt after the test
    schema.drop_all(engine)
    return engine


@pytest.fixture(params=DIALECTS, ids=DIALECTS)
def load_engine(request, tmp_path, fixture_data):
    dialect = request.param
    require_dialect(dialect)
    engine = _engine(dialect, tmp_path)
    yield engine
    engine.dispose()
    if dialect == "mariadb" and "mariadb" in conftest._databases:
        from tests.fixtures import populate          # put the session fixture back for the tests after us
        populate(conftest._databases["mariadb"].engine, fixture_data)
    if dialect == "postgresql":
        admin = create_engine(conftest.server_url(dialect), poolclass=NullPool)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        admin.dispose()


def _snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {name: sorted(tuple(map(str, r)) for r in conn.execute(select(schema.metadata.tables[name])))
                for name in schema.RAW_TABLES}


def _reject_lines(folder: Path) -> list[dict]:
    with (folder / "rejects.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_load_rejects_bad_rows_keeps_good_ones_and_is_idempotent(load_engine, tmp_path):
    folder = tmp_path / "in"
    _write_inputs(folder)

    first = load_dir(load_engine, folder, as_of=AS_OF, progress=False)

    lines = _reject_lines(folder)
    got = {(r["表"], int(r["行号"]), r["列"], r["原因"]) for r in lines}
    assert got == _expected_rejects()
    assert all(r["说明"] for r in lines), "every reject carries a Chinese explanation"
    wb = load_workbook(folder / "rejects.xlsx", read_only=True)
    assert wb["拒收汇总"].max_row == len(lines) + 1
    wb.close()

    for name, rows in ROWS.items():
        good = sum(1 for g, _p, _c in rows if g)
        assert first.tables[name].valid == good, name
        assert first.tables[name].counts.new == good, name
    with load_engine.connect() as conn:
        def rows(sql, **kw):
            return conn.execute(text(sql), kw).fetchall()
        assert sorted(r[0] for r in rows("SELECT payment_id FROM payment")) == [3001, 3002, 3003]
        assert sorted(r[0] for r in rows("SELECT veteran_id FROM veteran")) == [1001, 1002]
        assert sorted(r[0] for r in rows("SELECT code FROM region")) == sorted(
            c[0].ljust(12, "0") for g, _p, c in ROWS["region"] if g)
        village = rows("SELECT short_code, code_hi, level, parent_code FROM region WHERE code = :c", c="360702001001")[0]
        assert tuple(village) == ("360702001001", "360702001001", 5, "360702001000")
        paid = rows("SELECT amount_paid, paid_day, status FROM payment WHERE payment_id = 3002")[0]
        assert (Decimal(str(paid[0])), paid[1], paid[2]) == (Decimal("0.00"), None, "退回")
        place = rows("SELECT cohort_year, cohort_season, is_task, placed_day, reported_day, report_deadline_day "
                     "FROM placement WHERE placement_id = 4001")[0]
        assert (place[0], place[1], bool(place[2]), place[3], place[4], place[5]) == \
            (2026, "春季", True, 20260506, 20260506, 20260331)
        pet = rows("SELECT due_day, accept_deadline_day FROM petition WHERE petition_id = 7001")[0]
        assert tuple(pet) == (20270104, 20261117)          # 受理 11-05 + 60 日; 收到 11-02 + 15 日
        act = rows("SELECT region_code, day, week, month FROM station_activity WHERE activity_id = 501")[0]
        assert tuple(act) == ("360702001001", 20261120, 202647, 202611)
        meta = dict(rows("SELECT meta_key, meta_value FROM meta"))
        assert (meta["as_of"], meta["root"], meta["data_version"]) == ("2026-11-30", "3607", "1")
        city = rows("SELECT SUM(amount_paid) FROM roll_payment_month WHERE region_code = :c AND month = 202611",
                    c="360700000000")[0][0]
        assert Decimal(str(city)) == Decimal("6520.00")      # 3001 + 3003 (the 退回 row paid nothing)
    assert first.refreshed and first.changed

    before = _snapshot(load_engine)
    second = load_dir(load_engine, folder, as_of=AS_OF, progress=False)
    assert _snapshot(load_engine) == before
    assert not second.changed and not second.refreshed
    assert second.data_version == 1
    assert all(t.counts.new == 0 and t.counts.updated == 0 for t in second.tables.values())
    assert {(r["表"], int(r["行号"]), r["列"], r["原因"]) for r in _reject_lines(folder)} == _expected_rejects()


def test_changed_row_is_updated_and_bumps_version(load_engine, tmp_path):
    folder = tmp_path / "in"
    _write_inputs(folder)
    load_dir(load_engine, folder, as_of=AS_OF, progress=False)
    path = folder / "budget.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace("360702,2026,残疾抚恤金,1000000",
                                                                  "360702,2026,残疾抚恤金,1200000"), encoding="utf-8-sig")
    result = load_dir(load_engine, folder, as_of=AS_OF, progress=False)
    assert (result.tables["budget"].counts.updated, result.tables["budget"].counts.new) == (1, 0)
    assert result.data_version == 2 and result.refreshed
    with load_engine.connect() as conn:
        amounts = conn.execute(text("SELECT amount FROM budget")).fetchall()
    assert [Decimal(str(a[0])) for a in amounts] == [Decimal("1200000.00")]


# ------------------------------------------------------------------------------------ command line (SQLite)
def test_cli_template_then_load(tmp_path, capsys):
    from dashboard.cli import main

    assert main(["template", str(tmp_path / "t")]) == 0
    written = {p.name for p in (tmp_path / "t").iterdir()}
    tables = [t for t in schema.RAW_TABLES if t != "meta"]
    assert written == {f"{t}.{ext}" for t in tables for ext in ("xlsx", "csv")} | {"说明.txt"}
    head = (tmp_path / "t" / "payment.csv").read_text(encoding="utf-8-sig").splitlines()
    assert head[0].startswith("发放流水号*,优抚对象内部编号*")
    assert head[1].startswith("payment_id,beneficiary_id,region_code,fund_kind")
    assert "已发放/未发放/退回" in head[2] and head[3].startswith("#示例")
    wb = load_workbook(tmp_path / "t" / "payment.xlsx")
    assert [c.value for c in wb["数据"][2]][:2] == ["payment_id", "beneficiary_id"]
    assert any("发放流水号" in str(r[0].value) for r in wb["说明"].iter_rows())
    assert any("已发放" in (dv.formula1 or "") for dv in wb["数据"].data_validations.dataValidation)
    capsys.readouterr()

    folder = tmp_path / "in"
    _write_inputs(folder)
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert main(["load", str(folder), "--as-of", "2026-11-30", "--url", url]) == 1    # 1: some rows refused
    out = capsys.readouterr().out
    assert "金额为负数" in out and "受益人不存在" in out and "data_version = 1" in out
    assert main(["load", str(folder), "--as-of", "2026-11-30", "--url", url]) == 1
    assert "本次没有任何变化" in capsys.readouterr().out


def test_missing_column_is_a_chinese_error_and_writes_nothing(tmp_path, capsys):
    from dashboard.cli import main

    folder = tmp_path / "in"
    _write_inputs(folder)
    path = folder / "budget.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace("amount", "amt")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert main(["load", str(folder), "--url", url]) == 2
    err = capsys.readouterr().err
    assert "budget.csv" in err and "缺少列" in err and "amount(年度预算(元))" in err
    with create_engine(url).connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM payment")).scalar() == 0


def test_empty_directory_is_a_chinese_error(tmp_path, capsys):
    from dashboard.cli import main

    (tmp_path / "empty").mkdir()
    assert main(["load", str(tmp_path / "empty"), "--url", f"sqlite:///{tmp_path / 'x.sqlite'}"]) == 2
    assert "没有模板文件" in capsys.readouterr().err


def test_monthly_snapshots_become_a_change_log():
    from queries.load.snapshots import snapshots_to_changes

    def snap(vid, month, status, hardship="否"):
        return {"veteran_id": str(vid), "region_code": "360702001001", "cohort_year": "2025",
                "snapshot_month": str(month), "status": status, "hardship": hardship}
    rows = [snap(7, 202601, "待就业"), snap(7, 202602, "待就业"), snap(7, 202603, "城镇就业"),
            snap(7, 202604, "城镇就业"), snap(7, 202605, "城镇就业", "是"), snap(8, 202602, "创业"),
            snap(8, 202603, "创业")]
    got = [(c["veteran_id"], c["effective_on"], c["status"], c["hardship"], c["status_id"])
           for c in snapshots_to_changes(list(reversed(rows)))]
    assert got == [(7, "2026-01-01", "待就业", "否", 7312), (7, "2026-03-01", "城镇就业", "否", 7314),
                   (7, "2026-05-01", "城镇就业", "是", 7316), (8, "2026-02-01", "创业", "否", 8313)]


# ------------------------------------------------------------------------------------ meta.root decides the root
def test_root_comes_from_the_database_and_the_setting_overrides_it(tmp_path):
    from config.settings import Settings
    from dashboard.context import make_context

    folder = tmp_path / "in"
    _write_inputs(folder)
    url = f"sqlite:///{tmp_path / 'root.sqlite'}"
    engine = create_engine(url)
    load_dir(engine, folder, as_of=AS_OF, progress=False)
    engine.dispose()
    ctx = make_context(Settings(database_url=url))
    assert (ctx.scope, ctx.tree.root.name) == ("3607", "赣州市")             # no 4310 fallback
    assert ctx.tree.root.code == "360700000000" and [r.name for r in ctx.tree.children("3607")] == ["章贡区", "南康区"]
    override = make_context(Settings(database_url=url, root_region="360702"))
    assert override.tree.root.name == "章贡区"


def test_missing_meta_root_is_a_chinese_error(tmp_path):
    from config.settings import Settings
    from dashboard.context import make_context
    from queries.codes import RegionCodeError

    url = f"sqlite:///{tmp_path / 'noroot.sqlite'}"
    engine = create_engine(url)
    schema.create_all(engine)
    engine.dispose()
    with pytest.raises(RegionCodeError, match="未配置根区划"):
        make_context(Settings(database_url=url)).scope


def test_demo_file_per_root(tmp_path, monkeypatch):
    from dashboard.cli import demo_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert demo_path("4310") == tmp_path / "vetdash" / "demo.sqlite"
    assert demo_path("431000000000") == tmp_path / "vetdash" / "demo.sqlite"
    assert demo_path("4306") == tmp_path / "vetdash" / "demo-4306.sqlite"
    assert demo_path("4306", str(tmp_path / "x.sqlite")) == tmp_path / "x.sqlite"
