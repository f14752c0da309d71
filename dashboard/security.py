"""Hostile requests get a Chinese 4xx, never a 500; security headers on every response.

install(app) adds, on the Flask server behind the Dash app:
- a body limit (413), a query-string and path limit (414), checked before anything reads the request;
- a shape check of Dash callback POSTs (/_dash-update-component): known output, lists where Dash expects
  lists, strings where the URL callbacks expect strings; anything else is 400 with a Chinese message;
- a last guard around the callback dispatch: an exception a forged payload still provokes is logged with
  its traceback and answered 400 (a callback the browser sends is validated above and never gets there);
- Content-Security-Policy (script hashes of Dash's own inline scripts), X-Frame-Options,
  X-Content-Type-Options, Referrer-Policy on every response.
"""
from __future__ import annotations

import ipaddress
import logging

from dash.exceptions import PreventUpdate
from flask import Flask, jsonify, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger("vetdash.security")

MAX_BODY = 1 << 20              # 1 MB: the biggest real callback payload (drill click) is a few KB
MAX_QUERY = 2048                # characters of the query string (region + period + metric need < 100)
MAX_PATH = 512
MAX_VALUE = 2048                # a pathname/search value inside a callback payload
CALLBACK_PATH = "/_dash-update-component"

MESSAGES = {
    400: "请求格式无效，已拒绝。请从驾驶舱页面重新操作。",
    403: "无权访问。",
    404: "页面不存在。",
    405: "不支持该请求方式。",
    413: "请求内容过大，已拒绝。",
    414: "网址过长，已拒绝。",
    431: "请求头过大，已拒绝。",
    500: "服务器未能完成请求，详情已记入日志。请稍后重试。",
    503: "系统繁忙（数据库暂时无法响应），请稍后重试。",
}
# properties whose value must be a string (or null) when the browser sends them
_STRING_PROPS = {"pathname", "search", "hash", "href"}
_DICT_PROPS = {"clickData", "hoverData", "selectedData", "relayoutData"}


class BadCallback(ValueError):
    """A callback payload that no page of this app sends."""


def install(app) -> None:
    """Wire limits, payload checks, error pages and headers into app.server."""
    server: Flask = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY     # also caps chunked bodies without Content-Length
    server.json.ensure_ascii = False                   # Chinese messages readable in curl and logs
    _wrap_dispatch(app)
    csp = _CspCache(app)

    @server.before_request
    def _limits():
        if request.content_length is not None and request.content_length > MAX_BODY:
            return error_response(413)
        if len(request.query_string) > MAX_QUERY or len(request.path) > MAX_PATH:
            return error_response(414)
        return None

    @server.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", csp.value())
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # same-origin: the wall screen tells its layout request apart by the (same-origin) referrer
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response

    @server.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if exc.code is not None and 400 <= exc.code < 500:
            return error_response(exc.code)
        return exc

    @server.errorhandler(Exception)
    def _unhandled(exc: Exception):
        # the last line of defence: a Chinese message, never Werkzeug's English 500 page (Dash's own
        # handlers for PreventUpdate etc. are more specific and still win)
        if isinstance(exc, HTTPException):
            return _http_error(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(503 if isinstance(exc, OperationalError) else 500)


def error_response(code: int, message: str | None = None):
    """Chinese message as JSON (callbacks, /healthz) or a small HTML page (a browser's navigation)."""
    text = message or MESSAGES.get(code, "请求无效，已拒绝。")
    if request.method == "GET" and "text/html" in request.headers.get("Accept", ""):
        body = (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{code}</title>'
                f'<p>{text}</p><p><a href="/">返回驾驶舱首页</a></p></html>')
        return body, code, {"Content-Type": "text/html; charset=utf-8"}
    return jsonify({"status": "error", "message": text}), code


def is_loopback() -> bool:
    """The request comes from this machine (operators' checks); anonymous callers get less detail."""
    try:
        return ipaddress.ip_address((request.remote_addr or "").split("%")[0]).is_loopback
    except ValueError:
        return False


# ------------------------------------------------------------------------------- callback payloads
def _wrap_dispatch(app) -> None:
    server: Flask = app.server
    endpoint = app.config.routes_pathname_prefix + CALLBACK_PATH.lstrip("/")
    original = server.view_functions[endpoint]

    def dispatch(*args, **kwargs):
        body = request.get_json(silent=True)     # a body over MAX_BODY raises 413 here
        try:
            check_callback(body, app.callback_map)
        except BadCallback as exc:
            log.warning("rejected callback payload from %s: %s", request.remote_addr, exc)
            return error_response(400)
        try:
            return original(*args, **kwargs)
        except (PreventUpdate, HTTPException):
            raise
        except Exception:      # noqa: BLE001 — a forged payload the shape check let through
            log.exception("callback %s failed on a payload from %s", body.get("output"), request.remote_addr)
            return error_response(400)

    dispatch.__name__ = original.__name__
    server.view_functions[endpoint] = dispatch


def check_callback(body, callback_map: dict) -> None:
    """Raise BadCallback unless body has the shape the Dash renderer sends for a registered callback."""
    if not isinstance(body, dict):
        raise BadCallback("body is not a JSON object")
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        raise BadCallback(f"unknown output {str(output)[:80]!r}")
    spec = callback_map[output]
    _check_outputs(body.get("outputs"), spec)
    for key, declared in (("inputs", spec.get("inputs", [])), ("state", spec.get("state", []))):
        given = body.get(key, [])
        if not isinstance(given, list) or len(given) != len(declared):
            raise BadCallback(f"{key}: expected a list of {len(declared)}")
        for item, decl in zip(given, declared):
            wildcard = '["ALL"]' in decl["id"] or '["ALLSMALLER"]' in decl["id"]
            if wildcard != isinstance(item, list):
                raise BadCallback(f"{key}: {decl['id']} should {'' if wildcard else 'not '}be a list")
            for ref in item if isinstance(item, list) else [item]:
                _check_ref(ref, value=True)
                if ref["property"] != decl["property"]:
                    raise BadCallback(f"{key}: property {ref['property'][:40]!r} is not {decl['property']!r}")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) and len(c) <= MAX_VALUE for c in changed):
        raise BadCallback("changedPropIds is not a list of strings")


def _check_outputs(outputs, spec: dict) -> None:
    """outputs mirrors the declaration: one entry per declared output, a list for an ALL wildcard."""
    if spec.get("no_output"):
        return
    declared = spec["output"] if isinstance(spec["output"], (list, tuple)) else [spec["output"]]
    multi = isinstance(spec["output"], (list, tuple))
    if multi and not (isinstance(outputs, list) and len(outputs) == len(declared)):
        raise BadCallback(f"outputs: expected a list of {len(declared)}")
    for item, decl in zip(outputs if multi else [outputs], declared):
        wildcard = '["ALL"]' in decl.component_id_str()
        if wildcard != isinstance(item, list):
            raise BadCallback(f"outputs: {decl.component_id_str()[:60]} should {'' if wildcard else 'not '}be a list")
        for ref in item if wildcard else [item]:
            _check_ref(ref, value=False)


def _check_ref(ref, value: bool) -> None:
    if not isinstance(ref, dict):
        raise BadCallback("a reference is not an object")
    ident, prop = ref.get("id"), ref.get("property")
    if not isinstance(ident, (str, dict)) or not isinstance(prop, str):
        raise BadCallback("a reference lacks id or property")
    if isinstance(ident, dict) and not all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                           for v in ident.values()):
        raise BadCallback("a pattern id has a non-scalar part")
    if not value or "value" not in ref:
        return
    val = ref["value"]
    if prop in _STRING_PROPS:
        if val is not None and not isinstance(val, str):
            raise BadCallback(f"{prop} is not a string")
        if isinstance(val, str) and len(val) > MAX_VALUE:
            raise BadCallback(f"{prop} is too long")
        if prop == "pathname" and val is not None and not val.startswith("/"):
            raise BadCallback("pathname does not start with /")
    elif prop in _DICT_PROPS and val is not None and not isinstance(val, dict):
        raise BadCallback(f"{prop} is not an object")
    elif prop == "value":      # a dropdown/input: a scalar, or a list of them (multi-select, checklist)
        items = val if isinstance(val, list) and len(val) <= 100 else [val]
        if not all(v is None or isinstance(v, (str, int, float, bool)) for v in items):
            raise BadCallback("value is not a scalar or a list of scalars")
        if any(isinstance(v, str) and len(v) > MAX_VALUE for v in items):
            raise BadCallback("value is too long")


# ------------------------------------------------------------------------------- headers
class _CspCache:
    """The policy, computed once Dash has registered every callback (its inline scripts are hashed)."""

    def __init__(self, app):
        self.app = app
        self._value: str | None = None

    def value(self) -> str:
        if self._value is None:
            hashes = " ".join(self.app.csp_hashes())
            policy = ("default-src 'self'; "
                      f"script-src 'self' {hashes}; "
                      # plotly.js writes <style> elements and style attributes at runtime
                      "style-src 'self' 'unsafe-inline'; "
                      "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
                      "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
                      "frame-ancestors 'none'")
            if not self.app.callback_map:      # before the first request: hashes not final, do not keep
                return policy
            self._value = policy
        return self._value
