"""年度工作情况: the published 平江县 2023 figures in the .docx (demo database), and the same figures computed
independently from the fixture rows on SQLite, PostgreSQL and MariaDB."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document

from config.settings import Settings
from config.thresholds import load_thresholds
from dashboard.context import AppContext
from dashboard.exports.yearly_docx import yearly_docx
from dashboard.yearly_model import build_yearly
from queries.codes import RegionCodeError
from queries.db import Database
from queries.demo.build import build_demo

# seed 002, 平江县退役军人事务局2023年工作总结: 232 / 25 (20 事业单位, 5 央企) / 415 / 7667万元 / 841万元
PUBLISHED = ["接收自主就业退役士兵232人", "安排工作25人", "事业单位20人", "央企5人", "帮助就业创业415人",
             "优抚对象抚恤补助7,667.00万元", "义务兵家庭优待金841.00万元"]


def _ctx(db: Database, root: str) -> AppContext:
    return AppContext(Settings(database_url="sqlite://", root_region=root), db, load_thresholds())


def docx_text(data: bytes) -> tuple[str, list, list[str]]:
    doc = Document(io.BytesIO(data))
    body = "\n".join(p.text for p in doc.paragraphs)
    tables = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    marks = [p.text for s in doc.sections for p in s.header.paragraphs + s.footer.paragraphs]
    return body, tables, marks


@pytest.fixture(scope="module")
def pingjiang(tmp_path_factory):
    """The demo builder's small root (平江县 430626), as tests/test_demo_build.py builds it."""
    path = tmp_path_factory.mktemp("demo") / "pingjiang.sqlite"
    build_demo(root="430626", years=5, seed=42, as_of=date(2026, 11, 23), out=str(path), progress=False)
    db = Database(f"sqlite:///{path}", timeout_ms=60_000)
    yield db
    db.engine.dispose()


def test_pingjiang_2023_docx_has_the_published_figures(pingjiang):
    model = build_yearly(_ctx(pingjiang, "430626"), "430626", "2023")
    body, tables, marks = docx_text(yearly_docx(model))
    assert "平江县2023年退役军人事务工作情况" in body
    flat = body.replace("①", "").replace("②", "").replace("③", "").replace("④", "").replace("⑤", "") \
        .replace("⑥", "").replace("⑦", "")
    for words in PUBLISHED:
        assert words in flat, words
    assert "（事业单位20人、央企5人）" in flat                 # no 党政机关/地方国企 in 2023: not named
    assert any("内部资料" in m for m in marks) and "内部资料" in body
    rows = {r[1]: r for r in tables}
    assert rows["接收自主就业退役士兵"][2] == "232人"
    assert rows["优抚对象抚恤补助"][2] == "7,667.00万元"
    assert "残疾抚恤金、定期抚恤金、定期生活补助" in rows["优抚对象抚恤补助"][3]      # its 口径


def test_a_month_key_means_its_year_and_a_township_gives_its_county(pingjiang):
    ctx = _ctx(pingjiang, "430626")
    assert build_yearly(ctx, "430626", "2023-07").figures["zizhu"].value == 232
    partial = build_yearly(ctx, "430626", "2026")
    assert partial.sentence.startswith("2026年（截至11月23日）")
    town = build_yearly(ctx, "430626001", "2023")                      # a township: its county's summary
    assert town.region.short == "430626" and "所属的平江县" in town.note
    assert town.figures["helped"].value == 415
    with pytest.raises(RegionCodeError):
        build_yearly(ctx, "4306269", "2023")


# ------------------------------------------------------------------------------ every dialect
YIZHANG = "431022000000"


def expected_from_rows(rows: dict, county: str, year: int) -> dict:
    """The 口径 written out over the fixture's raw rows (plain Python, no SQL)."""
    prefix = county[:6]
    placed = [p for p in rows["placement"] if p["region_code"].startswith(prefix)]
    zizhu = sum(1 for p in placed if p["mode"] == "自主就业" and p["received_day"]
                and year * 10000 + 101 <= p["received_day"] <= year * 10000 + 1231)
    anpai = [p for p in placed if p["mode"] == "安排工作" and p["cohort_year"] == year]
    helped = {s["veteran_id"] for s in rows["employment_status"] if s["region_code"].startswith(prefix)
              and s["status"] in ("城镇就业", "返乡务农", "创业")
              and year * 10000 + 101 <= s["effective_day"] <= year * 10000 + 1231}
    pay = [p for p in rows["payment"] if p["region_code"].startswith(prefix) and p["month"] // 100 == year]
    fuxu = sum((p["amount_paid"] or Decimal(0) for p in pay if p["fund_kind"] in ("残疾抚恤金", "定期抚恤金", "定期生活补助")),
               Decimal(0))
    youdai = sum((p["amount_paid"] or Decimal(0) for p in pay if p["fund_kind"] == "义务兵家庭优待金"), Decimal(0))
    return {"zizhu": zizhu, "anpai": len(anpai), "shiye": sum(p["destination"] == "事业单位" for p in anpai),
            "yangqi": sum(p["destination"] == "央企" for p in anpai), "helped": len(helped),
            "fuxu": round(float(fuxu) / 1e4, 2), "youdai": round(float(youdai) / 1e4, 2)}


def test_yearly_figures_match_the_rows_on_every_dialect(reader_db, fixture_data):
    want = expected_from_rows(fixture_data, YIZHANG, 2025)
    assert want["zizhu"] > 0 and want["anpai"] > 0 and want["fuxu"] > 0       # the check means something
    model = build_yearly(_ctx(reader_db, "4310"), "431022", "2025")
    got = {k: f.value for k, f in model.figures.items()}
    for key in ("zizhu", "anpai", "shiye", "yangqi", "helped"):
        assert got[key] == want[key], key
    assert got["fuxu"] == pytest.approx(want["fuxu"], abs=0.006)
    assert got["youdai"] == pytest.approx(want["youdai"], abs=0.006)
    body, _tables, _marks = docx_text(yearly_docx(model))
    assert f"帮助就业创业{want['helped']:,}人" in body
    assert f"义务兵家庭优待金{want['youdai']:,.2f}万元" in body
    city = build_yearly(_ctx(reader_db, "4310"), "4310", "2025")       # a city: its counties side by side
    assert list(city.children["区划"]) == ["北湖区", "宜章县"]
    assert city.children.set_index("区划").loc["宜章县", "帮助实现就业创业"] == want["helped"]


def _session_conftest():
    """The conftest module pytest loaded (as "conftest"): its lock registry knows the locks this session holds.
    `import tests.conftest` would be a second copy that waits for the session's own lock."""
    import sys
    from pathlib import Path
    here = Path(__file__).with_name("conftest.py").resolve()
    module = sys.modules.get("conftest")
    if module is not None and Path(getattr(module, "__file__", "")).resolve() == here:
        return module
    import tests.conftest as fallback                # imported under its package name (e.g. --import-mode)
    return fallback


@pytest.mark.slow
@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_pingjiang_2023_published_figures_on_server_databases(dialect, fixture_data):
    """The same demo built into the test server (under the session's server lock), then the fixture put back."""
    from tests.fixtures import populate

    conftest = _session_conftest()
    _lock_server, require_dialect, server_url = conftest._lock_server, conftest.require_dialect, conftest.server_url
    require_dialect(dialect)
    url = server_url(dialect)
    _lock_server(dialect, url)                      # no other test session uses the server meanwhile
    build_demo(root="430626", years=5, seed=42, as_of=date(2026, 11, 23), url=url, progress=False)
    db = Database(url, timeout_ms=60_000)
    try:
        model = build_yearly(_ctx(db, "430626"), "430626", "2023")
        body, _tables, _marks = docx_text(yearly_docx(model))
        for words in PUBLISHED:
            assert words in "".join(ch for ch in body if ch not in "①②③④⑤⑥⑦⑧⑨"), words
    finally:
        populate(db.engine, fixture_data)           # fixture_db users in this session see the fixture again
        db.engine.dispose()


def test_yearly_kouji_and_units_come_from_the_catalogue(pingjiang):
    """One definition: the page model, the .docx and the .xlsx show the catalogue's name, unit and 口径."""
    from dashboard.catalogue import REPORT_BY_ID
    model = build_yearly(_ctx(pingjiang, "430626"), "430626", "2023")
    assert set(model.figures) >= {"zizhu", "anpai", "shiye", "yangqi", "helped", "fuxu", "youdai"}
    for key, fig in model.figures.items():
        ind = REPORT_BY_ID[f"yearly_{key}"]
        assert (fig.name, fig.unit, fig.formula) == (ind.name, ind.unit, ind.formula), key
    assert REPORT_BY_ID["yearly_fuxu"].unit == "万元" and REPORT_BY_ID["yearly_zizhu"].unit == "人"
    _body, tables, _marks = docx_text(yearly_docx(model))
    rows = {r[1]: r for r in tables}
    assert rows["义务兵家庭优待金"][3] == REPORT_BY_ID["yearly_youdai"].formula
    assert model.figures["zizhu"].text == "232人" and model.figures["youdai"].text == "841.00万元"
