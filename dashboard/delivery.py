"""What the browser downloads: compressed responses and long cache lifetimes for files whose URL is versioned.

- flask-compress (br, else gzip) for HTML, JSON, JS, CSS, GeoJSON responses of 500 bytes or more;
- Dash's fingerprinted component files (/_dash-component-suites/…/x.v4_4_1m….js) and /assets/ files asked
  for with Dash's ?m=<mtime> (or our ?v=<content hash>) get `public, max-age=31536000, immutable`;
  their compressed bytes are kept per process (a 1 MB script is compressed once, not per page load);
- the boundary GeoJSON is linked as /assets/geo/x.geojson?v=<content hash> (versioned_asset) with an
  ETag of the same hash, so a changed file is a new URL and an unchanged one is never fetched twice.
"""
from __future__ import annotations

import gzip
import hashlib
import threading
from functools import lru_cache
from pathlib import Path

import dash
from dash.fingerprint import check_fingerprint
from flask import Flask, request
from flask_compress import Compress

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
LONG = "public, max-age=31536000, immutable"
MIN_SIZE = 500
MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
             "application/geo+json", "image/svg+xml", "text/plain"]
SUITES = "/_dash-component-suites/"
_static_memo: dict[tuple, bytes] = {}
_memo_lock = threading.Lock()


def install(app: dash.Dash) -> None:
    """Compression for every response, then (registered later, so run first) the static-file rules."""
    server: Flask = app.server
    server.config.update(COMPRESS_ALGORITHM=["br", "gzip"], COMPRESS_ALGORITHM_STREAMING=["br", "deflate"],
                         COMPRESS_MIN_SIZE=MIN_SIZE, COMPRESS_MIMETYPES=MIMETYPES, COMPRESS_BR_LEVEL=4,
                         COMPRESS_LEVEL=6)
    Compress(server)

    @server.after_request
    def _versioned(response):
        if is_versioned() and response.status_code in (200, 304):
            response.headers["Cache-Control"] = LONG
            if request.path.endswith(".geojson"):
                response.set_etag(content_hash(request.path))
                response.make_conditional(request)
            if response.status_code == 200:
                _precompressed(response)
        return response


def is_versioned() -> bool:
    """The URL names one version of the file: a Dash fingerprint, Dash's ?m= on assets, or our ?v=."""
    path = request.path
    if path.startswith(SUITES):
        return check_fingerprint(path[len(SUITES):].split("/", 1)[-1])[1]
    return path.startswith("/assets/") and ("m" in request.args or "v" in request.args)


def _precompressed(response) -> None:
    """Compress a versioned static file once per process (its URL changes when it does)."""
    accept = request.headers.get("Accept-Encoding", "").lower()
    algorithm = "br" if "br" in accept else "gzip" if "gzip" in accept else None
    if algorithm is None or response.mimetype not in MIMETYPES or "Content-Encoding" in response.headers:
        return
    # keyed by path and the file's own ETag (mtime, size), not the query: ?m=<anything> is one entry per file
    key = (request.path, response.get_etag()[0], algorithm)
    data = _static_memo.get(key)
    if data is None:
        response.direct_passthrough = False
        raw = response.get_data()
        if len(raw) < MIN_SIZE:
            return
        data = _compress(raw, algorithm)
        with _memo_lock:
            _static_memo[key] = data
    response.direct_passthrough = False
    response.set_data(data)
    response.headers["Content-Encoding"] = algorithm
    response.headers["Content-Length"] = str(len(data))
    vary = response.headers.get("Vary")
    response.headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"


def _compress(raw: bytes, algorithm: str) -> bytes:
    if algorithm == "br":
        import brotli
        return brotli.compress(raw, quality=9)
    return gzip.compress(raw, compresslevel=9)


@lru_cache(maxsize=64)
def _hash_of(path: str, mtime_ns: int) -> str:
    return hashlib.blake2s((ASSETS / path).read_bytes(), digest_size=8).hexdigest()


def content_hash(url_path: str) -> str:
    """Short hash of an assets file's bytes ("/assets/geo/x.geojson" or "geo/x.geojson")."""
    rel = url_path.split("?", 1)[0].removeprefix("/assets/")
    return _hash_of(rel, (ASSETS / rel).stat().st_mtime_ns)


def versioned_asset(rel: str) -> str:
    """dash.get_asset_url(rel) plus ?v=<content hash>: cacheable for a year, a new URL when the file changes."""
    return f"{dash.get_asset_url(rel)}?v={content_hash(rel)}"
