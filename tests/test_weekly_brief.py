"""周例会简报: the .docx issued from /weekly (opened with python-docx), kept byte-for-byte in the state database
across a data-version bump, and refused to a county director for another county.

Expected numbers come from the fixture's raw rows (tests/fixtures.py), not from the code under test.
Fixture: city 郴州市 (4310) with 北湖区 and 宜章县; last complete week at its as-of date is 2026-W47.
"""
from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from docx import Document
from sqlalchemy import text

from dashboard.catalogue import BY_ID
from dashboard.context import get_context
from tests.auth_support import ACCOUNTS, required_app, sign_in  # noqa: F401  (fixture)
from tests.browser import get_app
from tests.fixtures import BEIHU, YIZHANG
from tests.test_weekly import idle_by_county, township_week_counts

W47, W47_LABEL = "2026-W47", "2026年第47周（11月16日—22日）"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def app(live_db_url):
    return get_app(live_db_url)


@pytest.fixture
def own_jobs(tmp_path):
    from dashboard.exports import jobs
    jobs.set_runner(jobs.JobRunner(jobs.JobStore(tmp_path / "exports")))
    yield jobs.runner()
    jobs.set_runner(None)


def issue_now(app, region: str, week: str = W47, by: str = "测试领导"):
    """Issue one brief as the app would (a request context of the demo app: the 领导 scope)."""
    from dashboard.weekly.brief import issue
    ctx = get_context()
    with app.server.test_request_context("/weekly"):
        return issue(ctx, ctx.settings.state_db_url, region, week, by)


def doc_of(data: bytes):
    return Document(io.BytesIO(data))


def table_rows(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


def find_table(doc, first_header: list[str]):
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:len(first_header)] == first_header)


# ------------------------------------------------------------------------------------ the document
def test_city_brief_content(app, fixture_data):
    row, data = issue_now(app, "4310")
    doc = doc_of(data)
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == "郴州市退役军人事务局 周例会简报"
    assert "郴州市 · " + W47_LABEL in paras and "（2026年第47周）" in paras
    facts = next(p for p in paras if p.startswith("数据截至"))
    assert "数据截至2026年11月23日" in facts and "签发人 测试领导" in facts and "内部资料" in facts
    assert f"数据版本 {row.data_version}" in facts
    assert doc.sections[0].header.paragraphs[0].text == "内部资料"
    assert "内部资料" in doc.sections[0].footer.paragraphs[0].text

    # a KPI number as /weekly shows it, counted here from the raw petition rows of W47
    received = sum(township_week_counts(fixture_data, 20261116, 20261122).values())
    kpis = {r[0]: r for r in table_rows(find_table(doc, ["指标", "本期", "较上期"]))}
    assert kpis["信访量"][1] == f"{received:,}件"
    before = sum(township_week_counts(fixture_data, 20261109, 20261115).values())
    delta = received - before
    assert kpis["信访量"][2] == ("持平" if delta == 0 else f"{'▲' if delta > 0 else '▼'}{abs(delta):,}件")
    assert len(kpis) == 1 + 8                                       # header + the page's 8 cards
    kouji = {r[0]: r[1] for r in table_rows(find_table(doc, ["指标", "口径"]))}
    assert kouji["信访量"] == BY_ID["petitions_received"].formula + "（期间）"

    # the flag table: header with 持续, the planted-free fixture's flags as the page computes them
    flags = table_rows(find_table(doc, ["区划", "指标", "数值", "状态", "持续"]))
    assert flags[0] == ["区划", "指标", "数值", "状态", "持续", "原因"]
    assert ["北湖区", "每万名退役军人信访量", "74.6件/万人", "预警", "新"] in [r[:5] for r in flags]
    tree = get_context().tree
    idle = idle_by_county(fixture_data, 20261122)
    assert idle, "the fixture must have idle stations for this check to mean something"
    for code, n in idle.items():
        assert [tree.get(code).name, f"{n}个", "预警"] in [[r[0], r[2], r[3]] for r in flags], code

    # charts: PNGs drawn on the server, embedded inline
    assert len(doc.inline_shapes) >= 2
    pictures = [p for p in doc.part.package.parts if p.content_type == "image/png"]
    assert pictures and all(p.blob[:8] == PNG and len(p.blob) > 10_000 for p in pictures)
    text_all = "\n".join(paras)
    assert "图1　预警事项分布（按区划、领域）" in text_all and "各县(市、区)每万名退役军人信访量" in text_all


def test_issue_is_stored_and_downloads_byte_for_byte_after_a_version_bump(app, live_db_url):
    from queries.db import make_engine
    from queries.meta import bump_data_version
    client = app.server.test_client()
    first, first_bytes = issue_now(app, "431022")
    assert first.sha256 == hashlib.sha256(first_bytes).hexdigest() and first.week == W47
    assert first.file_name == "宜章县_周例会简报_2026年第47周.docx"
    engine = make_engine(live_db_url)
    with engine.connect() as conn:
        old = conn.execute(text("SELECT meta_value FROM meta WHERE meta_key = 'data_version'")).scalar()
    try:
        with engine.begin() as conn:
            bump_data_version(conn)
        get_context().follow_data()
        second, second_bytes = issue_now(app, "431022")
        assert second.data_version != first.data_version
        assert second_bytes != first_bytes
        got = client.get(f"/weekly/brief/{first.id}.docx")
        assert got.status_code == 200 and got.data == first_bytes          # the stored file, not a regeneration
        assert hashlib.sha256(got.data).hexdigest() == first.sha256
        assert "filename*=UTF-8''" in got.headers["Content-Disposition"]
        assert client.get(f"/weekly/brief/{second.id}.docx").data == second_bytes
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE meta SET meta_value = :v WHERE meta_key = 'data_version'"), {"v": old})
        get_context().follow_data()
        engine.dispose()
    missing = client.get("/weekly/brief/999999.docx")
    assert missing.status_code == 404 and "不存在" in missing.get_data(as_text=True)


def test_list_shows_issued_briefs_of_the_region(app):
    from dashboard.weekly import issued
    row, _ = issue_now(app, "431002", by="列表测试")
    url = get_context().settings.state_db_url
    city = issued.listing(url, "4310")
    assert row.id in [r.id for r in city]                                # a county's brief is in the city's list
    assert row.id not in [r.id for r in issued.listing(url, "431022")]   # and not in another county's
    mine = next(r for r in city if r.id == row.id)
    assert (mine.region_code, mine.week, mine.issued_by) == (BEIHU, W47, "列表测试")


def test_a_county_director_cannot_download_another_countys_brief(required_app):
    from dashboard.auth import audit
    app, engine = required_app
    other, _ = issue_now(app, "431002")             # 北湖区
    own, own_bytes = issue_now(app, "431022")       # 宜章县, the director's county
    client = app.server.test_client()
    assert ACCOUNTS["t-director"] == ("director", "431022")
    sign_in(client, "t-director")
    refused = client.get(f"/weekly/brief/{other.id}.docx")
    assert refused.status_code == 403
    body = refused.get_data(as_text=True)
    assert "无权下载该简报" in body and "PK" not in body[:4]
    ok = client.get(f"/weekly/brief/{own.id}.docx")
    assert ok.status_code == 200 and ok.data == own_bytes
    events = [(r["account"], r["event"], r["ok"]) for r in audit.query(engine, account="t-director", limit=20)]
    assert ("t-director", "brief_download", True) in events and ("t-director", "denied", False) in events


# ------------------------------------------------------------------------------------ through the page's callback
def _callback(client, mode: str) -> dict:
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if "weekly-brief-job.data" in d["output"])
    payload = {"output": dep["output"], "outputs": [{"id": o.split(".")[0], "property": o.split(".")[1]}
                                                    for o in dep["output"].strip(".").split("...")],
               "inputs": [[{"id": {"type": "weekly-brief-btn", "mode": m}, "property": "n_clicks",
                            "value": 1 if m == mode else 0} for m in ("one", "each")]],
               "state": [{"id": "weekly-brief-target", "property": "data", "value": {"region": "4310", "week": W47}}],
               "changedPropIds": [f'{{"mode":"{mode}","type":"weekly-brief-btn"}}.n_clicks']}
    resp = client.post("/_dash-update-component", json=payload)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return resp.get_json()["response"]


def test_button_issues_in_the_background_and_audits(app, own_jobs, monkeypatch):
    from dashboard.auth import audit
    from dashboard.state_db import current_state_engine as current_engine
    from dashboard.weekly import brief, issued
    monkeypatch.setattr(brief, "charts", lambda ctx, model: [])      # the zip is under test here, not the charts
    client = app.server.test_client()
    url = get_context().settings.state_db_url
    before = {r.id for r in issued.listing(url, "4310")}
    out = _callback(client, "each")
    job_id = out["weekly-brief-job"]["data"]["id"]
    assert out["weekly-brief-poll"]["disabled"] is False
    status = own_jobs.wait(job_id, 120)
    assert status["status"] == "done", status
    assert status["filename"] == "郴州市_各县周例会简报_2026-W47.zip"
    names = zipfile.ZipFile(io.BytesIO(own_jobs.store.result(job_id))).namelist()
    assert sorted(names) == sorted(["北湖区_周例会简报_2026年第47周.docx", "宜章县_周例会简报_2026年第47周.docx"])
    new = [r for r in issued.listing(url, "4310") if r.id not in before]
    assert sorted(r.region_code for r in new) == sorted([BEIHU, YIZHANG])
    assert {r.issued_by for r in new} == {"演示领导"}                     # the demo session's viewer, not "命令行"
    rows = audit.query(current_engine(), event="brief_issue", limit=10)
    assert any(r["account"] == "演示领导" and "北湖区_周例会简报" in r["detail"] for r in rows)


def test_each_county_only_from_a_city_view(app, own_jobs):
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if "weekly-brief-job.data" in d["output"])
    payload = {"output": dep["output"], "outputs": [{"id": o.split(".")[0], "property": o.split(".")[1]}
                                                    for o in dep["output"].strip(".").split("...")],
               "inputs": [[{"id": {"type": "weekly-brief-btn", "mode": "each"}, "property": "n_clicks", "value": 1}]],
               "state": [{"id": "weekly-brief-target", "property": "data", "value": {"region": "431022", "week": W47}}],
               "changedPropIds": ['{"mode":"each","type":"weekly-brief-btn"}.n_clicks']}
    out = client.post("/_dash-update-component", json=payload).get_json()["response"]
    assert "只能在市级视图中生成" in str(out["weekly-brief-progress"]["children"])
    payload["state"][0]["value"] = {"region": "4310", "week": "2026-W60"}
    out = client.post("/_dash-update-component", json=payload).get_json()["response"]
    assert "2026-W60" in str(out["weekly-brief-progress"]["children"])          # bad week: Chinese message


# ------------------------------------------------------------------------------------ the table on every dialect
def test_issued_brief_round_trip_on_every_dialect(fixture_db):
    """A brief-sized blob (≥ 64 KB: MariaDB's plain BLOB would cut it) comes back byte for byte."""
    import os

    from sqlalchemy import inspect

    from dashboard import state_db
    from dashboard.weekly import issued
    url = fixture_db.engine.url.render_as_string(hide_password=False)
    before = set(inspect(fixture_db.engine).get_table_names())
    blob = os.urandom(300_000)
    try:
        row = issued.store(url, "431022", W47, "7/2026-11-23", "往返测试", "宜章县_周例会简报_2026年第47周.docx", blob)
        got, content = issued.fetch(url, row.id)
        assert content == blob and got.sha256 == hashlib.sha256(blob).hexdigest() and got.size == 300_000
        assert (got.region_code, got.week, got.issued_by) == (YIZHANG, W47, "往返测试")
        assert [r.id for r in issued.listing(url, "4310")][:1] == [row.id]
        assert issued.listing(url, "431002") == []
    finally:
        engine = state_db._engines.pop(url, None)
        if engine is not None:
            created = [t for t in reversed(state_db.metadata.sorted_tables) if t.name not in before]
            state_db.metadata.drop_all(engine, tables=created)       # leave the shared test database as found
            engine.dispose()
