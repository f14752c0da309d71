"""A city outside Hunan (赣州市 3607) as root, in headless Chromium: loaded with `vetdash load`, its 总览 map
draws its counties from VETDASH_BOUNDARY_DIR (the committed 江西 fixture); without boundaries the map's
place holds a Chinese note, never a blank panel."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from queries.load.run import load_dir
from queries.region_source import write_region_load_file
from tests.app_process import start_app, stop
from tests.browser import graph_selector, shot, wait_text
from tests.test_load import AS_OF, _write_inputs

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).parent / "data" / "regions_36"


def _fixture_codes() -> list[dict]:
    with (FIXTURE / "36_codes_nbs2023.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


COUNTIES = [r["code"] for r in _fixture_codes() if r["level"] == "county" and r["code"].startswith("3607")]
SHAPES = [f["id"] for f in json.loads((FIXTURE / "36_counties.geojson").read_text(encoding="utf-8"))["features"]]


@pytest.fixture(scope="module")
def ganzhou_url(tmp_path_factory) -> str:
    """赣州市 loaded through `vetdash load`: the fixture's region tree for 3607, the load test's rows."""
    folder = tmp_path_factory.mktemp("ganzhou")
    _write_inputs(folder)
    write_region_load_file(_fixture_codes(), "3607", folder / "region.csv")
    url = f"sqlite:///{folder / 'ganzhou.sqlite'}"
    engine = create_engine(url)
    result = load_dir(engine, folder, as_of=AS_OF, root="3607")
    with engine.connect() as conn:
        loaded = conn.execute(text("SELECT COUNT(*) FROM region")).scalar()
    engine.dispose()
    assert not [r for r in result.rejects if r.table == "region"]      # the generated region.csv loads whole
    assert loaded == sum(r["code"] == "36" or r["code"].startswith("3607") for r in _fixture_codes()) == 559
    return url


@pytest.fixture(scope="module")
def page(chromium):
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    pg = context.new_page()
    pg.js_errors = []
    pg.on("pageerror", lambda exc: pg.js_errors.append(str(exc)))
    yield pg
    context.close()


def test_fixture_city_map_draws_its_counties(page, ganzhou_url, tmp_path):
    base, proc = start_app(ganzhou_url, tmp_path, "3607", VETDASH_BOUNDARY_DIR=str(FIXTURE))
    try:
        page.goto(base + "/")
        wait_text(page, "#view-title", "赣州市")
        sel = graph_selector("overview-map")
        page.wait_for_selector(f"{sel} .choroplethlocation", timeout=20000)
        trace = page.evaluate("(s) => { const t = document.querySelector(s + ' .js-plotly-plot')._fullData[0];"
                              " return {type: t.type, locations: Array.from(t.locations), geojson: t.geojson}; }", sel)
        assert trace["type"] == "choropleth"
        assert sorted(trace["locations"]) == sorted(COUNTIES)       # every county of 赣州市 in the tree
        assert trace["geojson"].endswith("/boundaries/36_counties.geojson")
        paths = page.locator(f"{sel} path.choroplethlocation").count()
        assert paths == len(SHAPES) == 18                           # each county with a shape is drawn
        box = page.locator(f"{sel} .choroplethlayer").bounding_box()
        assert box and box["width"] > 200 and box["height"] > 200   # not a dot in a corner
        assert page.locator(".map-missing").count() == 0
        shot(page, "province_3607_overview")
        assert not page.js_errors
    finally:
        stop(proc)


def test_root_without_boundaries_says_so(page, ganzhou_url, tmp_path):
    base, proc = start_app(ganzhou_url, tmp_path, "3607")                   # no VETDASH_BOUNDARY_DIR: no 江西 shapes
    try:
        page.goto(base + "/")
        wait_text(page, "#view-title", "赣州市")
        wait_text(page, ".map-missing", "暂无该地区的边界数据，地图不显示")
        note = page.inner_text(".map-missing")
        assert "vetdash regions --province 36" in note and "VETDASH_BOUNDARY_DIR" in note
        page.wait_for_selector(f"{graph_selector('overview-bars')} .main-svg", timeout=20000)   # the bars still draw
        assert page.locator(graph_selector("overview-map")).count() == 0
        shot(page, "province_3607_no_boundaries")
        page.set_viewport_size({"width": 390, "height": 844})        # phone: the note stacks, nothing overflows
        note_box = page.locator(".map-missing").bounding_box()
        assert note_box and note_box["x"] >= 0 and note_box["x"] + note_box["width"] <= 390
        page.locator(".map-missing").scroll_into_view_if_needed()
        shot(page, "province_3607_no_boundaries_phone")
        page.set_viewport_size({"width": 1920, "height": 1080})
        assert not page.js_errors
    finally:
        stop(proc)
