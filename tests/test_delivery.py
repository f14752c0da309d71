"""Compressed responses, year-long caching of versioned files, the boundary GeoJSON keyed by its content."""
from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli

from tests.auth_support import render
from tests.browser import get_app

ROOT = Path(__file__).resolve().parents[1]
LONG = "public, max-age=31536000, immutable"


def _index(client) -> str:
    r = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    return gzip.decompress(r.data).decode() if r.headers.get("Content-Encoding") == "gzip" else r.get_data(as_text=True)


def test_index_and_callbacks_are_compressed(live_db_url):
    client = get_app(live_db_url).server.test_client()
    r = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert r.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in r.headers["Vary"]
    assert "<html" in gzip.decompress(r.data).decode()
    layout = client.get("/_dash-layout", headers={"Accept-Encoding": "br, gzip"})
    assert layout.headers["Content-Encoding"] == "br"
    assert b'"_pages_content"' in brotli.decompress(layout.data)
    plain = client.get("/_dash-layout")                 # a client that asks for nothing gets plain JSON
    assert "Content-Encoding" not in plain.headers and b'"_pages_content"' in plain.data


def test_small_responses_stay_uncompressed(live_db_url):
    client = get_app(live_db_url).server.test_client()
    r = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert len(r.data) < 500 and "Content-Encoding" not in r.headers


def test_versioned_dash_and_asset_files_are_cached_for_a_year(live_db_url):
    client = get_app(live_db_url).server.test_client()
    html = _index(client)
    suites = re.findall(r'src="(/_dash-component-suites/[^"]+\.v[^"]+\.js)"', html)
    assets = re.findall(r'(?:src|href)="(/assets/[^"?]+\?m=[0-9.]+)"', html)
    assert suites and assets, "no fingerprinted script or ?m= asset in the page"
    for url in suites[:3] + assets[:3]:
        r = client.get(url, headers={"Accept-Encoding": "br"})
        assert r.status_code == 200 and r.headers["Cache-Control"] == LONG, url
    # the partial plotly bundle: served compressed, bytes identical to the file once decompressed
    bundle = next(u for u in assets if "05-plotly-partial" in u)
    r = client.get(bundle, headers={"Accept-Encoding": "br"})
    body = brotli.decompress(r.data)
    assert r.headers["Content-Encoding"] == "br" and body == (ROOT / "assets" / "05-plotly-partial.min.js").read_bytes()
    assert len(r.data) < len(body) / 2
    g = client.get(bundle, headers={"Accept-Encoding": "gzip"})
    assert g.headers["Content-Encoding"] == "gzip" and gzip.decompress(g.data) == body
    unversioned = client.get("/assets/10-app.css")        # no ?m=: may change any time, revalidated
    assert "immutable" not in unversioned.headers.get("Cache-Control", "")


def test_boundary_geojson_url_and_etag_follow_its_content(live_db_url):
    client = get_app(live_db_url).server.test_client()
    status, text = render(client, "/", "?region=4310&period=2026-10")
    assert status == 200
    url = re.search(r'/assets/geo/hunan_counties\.geojson\?v=([0-9a-f]+)', text)
    assert url, "the map does not link a versioned boundary file"
    digest = hashlib.blake2s((ROOT / "assets/geo/hunan_counties.geojson").read_bytes(), digest_size=8).hexdigest()
    assert url.group(1) == digest
    r = client.get(url.group(0), headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["Cache-Control"] == LONG
    assert r.headers["ETag"].strip('"') == digest and r.headers["Content-Encoding"] == "gzip"
    again = client.get(url.group(0), headers={"If-None-Match": f'"{digest}"'})
    assert again.status_code == 304 and again.data == b""
