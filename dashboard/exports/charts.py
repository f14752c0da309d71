"""Plotly figures → PNG on the server, offline: kaleido driving the system Chromium (STACK_NOTES §4).

One persistent Chromium per process (started on first use, ~3 s; then ~0.2–0.5 s a chart), calls
serialised by a lock. MathJax is off (its default is a CDN script) and map boundaries that the page
loads by URL from assets/ are inlined, since the headless page cannot fetch the app's URLs.
"""
from __future__ import annotations

import atexit
import copy
import json
import threading
import warnings
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

ASSETS = Path(__file__).resolve().parents[2] / "assets"
CJK_FONT = "Noto Sans CJK SC, Microsoft YaHei, sans-serif"
_LOCK = threading.Lock()
_STARTED = False


class ChartError(RuntimeError):
    """The chart could not be drawn (no Chromium, kaleido failure): the message is Chinese."""


@lru_cache(maxsize=8)
def _asset_json(name: str) -> dict:
    return json.loads((ASSETS / name).read_text(encoding="utf-8"))


def offline_figure(fig) -> go.Figure:
    """A copy whose /assets/… geojson URLs are inlined and whose font has CJK glyphs."""
    data = fig.to_dict() if isinstance(fig, go.Figure) else copy.deepcopy(fig)
    for trace in data.get("data", []):
        geo = trace.get("geojson")
        if isinstance(geo, str) and "/assets/" in geo:
            trace["geojson"] = _asset_json(geo.split("/assets/", 1)[1])
        elif isinstance(geo, str) and "/boundaries/" in geo:      # a VETDASH_BOUNDARY_DIR file
            from dashboard.boundaries import path
            trace["geojson"] = json.loads(path("boundaries/" + geo.split("/boundaries/", 1)[1]).read_text(encoding="utf-8"))
    layout = data.setdefault("layout", {})
    font = layout.setdefault("font", {})
    font.setdefault("family", CJK_FONT)
    return go.Figure(data)


def _start() -> None:
    global _STARTED
    if _STARTED:
        return
    import kaleido
    pio.defaults.topojson = (ASSETS / "topojson").as_uri() + "/"     # choropleths fetch world_110m.json
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    atexit.register(_stop)
    _STARTED = True


def _stop() -> None:
    global _STARTED
    if _STARTED:
        import kaleido
        kaleido.stop_sync_server(silence_warnings=True)
        _STARTED = False


def figure_png(fig, width: int = 1000, height: int = 420, scale: float = 2.0) -> bytes:
    """PNG bytes of a plotly figure (dict or go.Figure)."""
    figure = offline_figure(fig)
    with _LOCK:
        try:
            _start()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)          # "kopts ignored when using a server"
                return pio.to_image(figure, format="png", width=width, height=height, scale=scale)
        except Exception as exc:                                      # noqa: BLE001 — surfaced in Chinese
            raise ChartError(f"图表生成失败：{exc}") from exc
