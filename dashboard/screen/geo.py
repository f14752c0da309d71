"""Label points of the boundary shapes (the largest ring's area centroid), read once from assets/geo."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def ring_centroid(ring: list) -> tuple[float, float, float]:
    """(lon, lat, |area|) of a closed lon/lat ring by the shoelace formula."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return sum(xs) / len(xs), sum(ys) / len(ys), 0.0
    return cx / (3 * a), cy / (3 * a), abs(a) / 2


@lru_cache(maxsize=4)
def label_points(asset_path: str) -> dict[str, tuple[float, float]]:
    """Feature id (6-digit adcode) -> (lon, lat) at the centre of its largest polygon."""
    from dashboard.boundaries import path      # shipped asset or VETDASH_BOUNDARY_DIR file
    data = json.loads(path(asset_path).read_text(encoding="utf-8"))
    out = {}
    for feature in data["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        best = max((ring_centroid(poly[0]) for poly in polygons), key=lambda c: c[2])
        out[str(feature.get("id") or feature["properties"]["adcode"])] = (best[0], best[1])
    return out


def spread_labels(points: list[tuple[float, float]], width: float = 0.13, height: float = 0.075,
                  rounds: int = 20) -> list[tuple[float, float]]:
    """Nudge two-line labels apart vertically where they would overlap. width/height: a label's size as a
    share of the points' extent (fits a city's counties on the wall map)."""
    if len(points) < 2:
        return list(points)
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    span = max(max(lons) - min(lons), max(lats) - min(lats)) or 1.0
    w, h = width * span, height * span
    out = [list(p) for p in points]
    for _ in range(rounds):
        moved = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                a, b = out[i], out[j]
                dlat = a[1] - b[1]
                if abs(a[0] - b[0]) < w and abs(dlat) < h:
                    push = (h - abs(dlat)) / 2 + 1e-9
                    up, down = (a, b) if dlat >= 0 else (b, a)
                    up[1] += push
                    down[1] -= push
                    moved = True
        if not moved:
            break
    return [tuple(p) for p in out]
