"""Which boundary file draws a region's children: shipped ones (assets/geo) first, then VETDASH_BOUNDARY_DIR.

Files are per province: `<NN>_cities.geojson` (a province's cities) and `<NN>_counties.geojson` (its
counties), feature id = 6-digit adcode — what `vetdash regions --province NN` writes. Hunan's ship as
hunan_cities / hunan_counties. A file is used only if it holds a shape for at least one of the children,
so a root without boundaries gets a note, never a blank map. A key is "geo/<file>" (an asset) or
"boundaries/<file>" (the extra folder, served by the route installed here).
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from flask import Flask, abort, send_from_directory

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SHIPPED = ASSETS / "geo"
EXTRA_PREFIX = "boundaries/"
KIND_BY_LEVEL = {1: "cities", 2: "counties"}    # the children of a province are cities, of a city counties
SHIPPED_ALIASES = {"43": "hunan"}              # Hunan's files keep their historical names
_extra: dict[str, Path | None] = {"dir": None}


def set_extra_dir(folder: str | None) -> None:
    """The configured folder of generated boundary files (VETDASH_BOUNDARY_DIR), or None."""
    _extra["dir"] = Path(folder) if folder else None


def extra_dir() -> Path | None:
    if _extra["dir"] is None and os.environ.get("VETDASH_BOUNDARY_DIR"):
        set_extra_dir(os.environ["VETDASH_BOUNDARY_DIR"])
    return _extra["dir"]


def file_names(province: str, level: int) -> list[str]:
    kind = KIND_BY_LEVEL.get(level)
    if not kind:
        return []
    names = [f"{province}_{kind}.geojson"]
    if province in SHIPPED_ALIASES:
        names.insert(0, f"{SHIPPED_ALIASES[province]}_{kind}.geojson")
    return names


def candidates(province: str, level: int) -> list[str]:
    """Keys to try, shipped first."""
    keys = [f"geo/{n}" for n in file_names(province, level) if (SHIPPED / n).is_file()]
    folder = extra_dir()
    if folder is not None:
        keys += [EXTRA_PREFIX + n for n in file_names(province, level) if (folder / n).is_file()]
    return keys


def path(key: str) -> Path:
    """The file behind a key."""
    if key.startswith(EXTRA_PREFIX):
        folder = extra_dir()
        if folder is None:
            raise FileNotFoundError(key)
        return folder / key[len(EXTRA_PREFIX):]
    return ASSETS / key


def feature_ids(key: str) -> frozenset[str]:
    p = path(key)
    return _ids(str(p), p.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _ids(file: str, _mtime: int) -> frozenset[str]:
    data = json.loads(Path(file).read_text(encoding="utf-8"))
    return frozenset(str(f.get("id") or f.get("properties", {}).get("adcode")) for f in data.get("features", []))


def find(level: int, locations) -> str | None:
    """The key of the file with shapes for these children (6-digit adcodes) of a region at `level`."""
    locations = [str(x) for x in locations if x]
    if level not in KIND_BY_LEVEL or not locations:
        return None
    for key in candidates(locations[0][:2], level):
        try:
            if feature_ids(key).intersection(locations):
                return key
        except (OSError, ValueError):        # unreadable or not JSON: as if absent (the note says so)
            continue
    return None


def url(key: str) -> str:
    """The browser URL of a key (under the app's path prefix)."""
    import dash
    if key.startswith(EXTRA_PREFIX):
        return dash.get_relative_path("/" + key)
    from dashboard.delivery import versioned_asset     # shipped files: ?v=<content hash>, cached for a year
    return versioned_asset(key)


def install(server: Flask, folder: str | None) -> None:
    """Serve the extra folder's .geojson files at /boundaries/<file> (nothing else from it)."""
    set_extra_dir(folder)

    @server.route("/" + EXTRA_PREFIX + "<name>")
    def boundary_file(name: str):
        base = extra_dir()
        if base is None or not name.endswith(".geojson"):
            abort(404)
        return send_from_directory(base, name, mimetype="application/geo+json", max_age=3600)
