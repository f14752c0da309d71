"""Which boundary file draws a region's children (shipped Hunan first, then VETDASH_BOUNDARY_DIR), the
route serving the extra folder, the setting's check, and the division list of a province outside Hunan."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from flask import Flask

from config.settings import Settings, SettingsError
from dashboard import boundaries
from dashboard.exports.charts import offline_figure
from queries import codes
from queries.region_data import region_rows

FIXTURE = Path(__file__).parent / "data" / "regions_36"


@pytest.fixture
def extra(monkeypatch):
    monkeypatch.delenv("VETDASH_BOUNDARY_DIR", raising=False)
    boundaries.set_extra_dir(str(FIXTURE))
    yield FIXTURE
    boundaries.set_extra_dir(None)


def test_find_picks_the_file_holding_the_children(extra):
    assert boundaries.find(2, ["431002", "431022"]) == "geo/hunan_counties.geojson"     # shipped, first
    assert boundaries.find(1, ["431000", "430600"]) == "geo/hunan_cities.geojson"
    assert boundaries.find(2, ["360702", "360771"]) == "boundaries/36_counties.geojson"
    assert boundaries.find(1, ["360700"]) == "boundaries/36_cities.geojson"
    # 南昌市's counties are not in the trimmed fixture: no file holds them, so no map (the page says why)
    assert boundaries.find(2, ["360102", "360103"]) is None
    assert boundaries.find(3, ["360702001"]) is None                  # townships never have shapes
    assert boundaries.find(2, []) is None


def test_without_the_extra_folder_only_hunan_draws(monkeypatch):
    monkeypatch.delenv("VETDASH_BOUNDARY_DIR", raising=False)
    boundaries.set_extra_dir(None)
    assert boundaries.find(2, ["360702"]) is None
    assert boundaries.find(2, ["431002"]) == "geo/hunan_counties.geojson"


def test_route_serves_geojson_from_the_folder_only(extra):
    server = Flask(__name__)
    boundaries.install(server, str(FIXTURE))
    client = server.test_client()
    got = client.get("/boundaries/36_counties.geojson")
    ids = [f["id"] for f in json.loads(got.data)["features"]]
    assert got.status_code == 200 and len(ids) == 18 and ids[0] == "360702"
    assert client.get("/boundaries/36_codes_nbs2023.csv").status_code == 404      # only .geojson
    assert client.get("/boundaries/..%2F..%2Fpyproject.geojson").status_code == 404
    assert client.get("/boundaries/99_counties.geojson").status_code == 404


def test_exported_chart_inlines_an_extra_folder_file(extra):
    fig = {"data": [{"type": "choropleth", "geojson": "/boundaries/36_cities.geojson", "locations": ["360700"]}],
           "layout": {}}
    inlined = offline_figure(fig).to_dict()["data"][0]["geojson"]
    assert len(inlined["features"]) == 11 and inlined["features"][6]["properties"]["name"] == "赣州市"


def test_setting_names_a_missing_folder(tmp_path):
    assert Settings.from_env({"VETDASH_BOUNDARY_DIR": str(FIXTURE)}).boundary_dir == str(FIXTURE)
    with pytest.raises(SettingsError, match="VETDASH_BOUNDARY_DIR=“.*”不是已有的目录"):
        Settings.from_env({"VETDASH_BOUNDARY_DIR": str(tmp_path / "nowhere")})


def test_region_rows_of_a_city_outside_hunan(monkeypatch):
    monkeypatch.setenv("VETDASH_BOUNDARY_DIR", str(FIXTURE))
    rows = region_rows("3607")
    with (FIXTURE / "36_codes_nbs2023.csv").open(encoding="utf-8", newline="") as fh:
        expected = {r["code12"] for r in csv.DictReader(fh) if r["code"].startswith("3607") or r["code"] == "36"}
    assert set(rows["code"]) == expected and len(rows) == 1 + 1 + 18 + 310 + 229
    assert rows.set_index("code").loc["360702001001", "kind"] == "社区"
    monkeypatch.delenv("VETDASH_BOUNDARY_DIR")
    with pytest.raises(codes.RegionCodeError, match="vetdash regions --province 36"):
        region_rows("3607")
