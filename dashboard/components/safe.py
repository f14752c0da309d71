"""Bad URL state and database failures become a Chinese message in the page, never a traceback."""
from __future__ import annotations

import functools
import logging
from contextlib import nullcontext

from dash import html

from dashboard.cache import NO_FLIGHT, cache, cache_get, cache_set, flight, model_key, reset_stale, stale_since
from dashboard.auth.audit import record
from dashboard.auth.viewer import enter_page
from dashboard.components.chrome import message
from dashboard.context import get_context
from dashboard.urls import STATE_KEYS, href
from queries.codes import RegionCodeError
from queries.db import QueryError, query_memo
from queries.periods import PeriodError
from queries.regions import OutOfScope

log = logging.getLogger("vetdash.pages")


def safe_layout(path: str, cache_view: bool = False):
    """Wrap a page's layout(**query) so known errors render as an alert with a way back.

    cache_view: the rendered page (its component tree) is cached under the same key as the models — viewer
    role and scope, data version, as-of date, thresholds — plus the URL state, so a repeated view costs a
    cache read instead of the figures and components (a wall screen or 50 directors on the same views).
    Only for pages whose output depends on nothing else (not 周例会: it lists issued briefs). A page served
    from a last-good model (the stale marker) is never cached."""
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(**kwargs):
            retry = href(path, **{k: v for k, v in kwargs.items() if k in STATE_KEYS and isinstance(v, str)})
            try:
                problem = get_context().data_problem()
            except QueryError:
                problem = None      # database unreachable: the page says so, or shows its last good data
            if problem:      # interrupted build / refresh running: say so instead of showing zeros
                return html.Div(message(problem, "warning", ("重试", retry)), className="page-error data-incomplete")
            reset_stale()
            try:
                enter_page(path, kwargs.get("region"), kwargs.get("highlight"))   # this viewer's scope here
                key = _view_key(path, kwargs) if cache_view else None
                hit = _cached_view(key)
                if hit is not None:
                    log.debug("cache hit view %s", path)
                    return hit
                with _view_flight(key) as f, query_memo():   # one build of a view at a time
                    if f.hit is not None:
                        return f.hit
                    if f.error is not None:
                        raise f.error                # the build this request waited for failed: same message
                    page = fn(**kwargs)
                    since = stale_since()
                    if since is None:
                        if key is not None:
                            cache_set(key, page)
                        f.done(page)
                        return page
                marker = html.Div(f"数据更新中断 · 最后更新 {since:%H:%M}", id="stale-marker",
                                  className="alert alert-warning py-1 px-2 mb-2 stale-marker", role="status")
                return html.Div([marker, page])
            except OutOfScope as exc:
                record("denied", f"{path} 区划 {kwargs.get('region') or '-'}：{exc}", ok=False)
                return html.Div(message(str(exc), "warning", ("返回本级首页", path)), className="page-error")
            except (RegionCodeError, PeriodError) as exc:
                return html.Div(message(str(exc), "warning", ("返回本级首页", path)), className="page-error")
            except QueryError as exc:
                return html.Div(message(exc.message, "danger", ("重试", retry)), className="page-error")
            except Exception:      # noqa: BLE001 — anything else: log the traceback, show a Chinese message
                log.exception("page %s failed for %s", path, kwargs)
                return html.Div(message("页面生成出错，详情已记入服务器日志。请稍后重试或联系管理员。", "danger",
                                        ("返回本级首页", path)), className="page-error")
        return wrapper
    return decorate


def _view_key(path: str, kwargs: dict) -> str:
    state = sorted((k, v) for k, v in kwargs.items() if isinstance(v, str))
    return model_key("view" + path, get_context(), *(f"{k}={v}" for k, v in state))


def _view_flight(key: str | None):
    """flight(key) when the view is cached and a cache is bound, else a block with nothing to start from."""
    if key is None:
        return nullcontext(NO_FLIGHT)
    try:
        cache.cache
    except (RuntimeError, AttributeError):   # cache not bound to a Flask app (plain use in tests, scripts)
        return nullcontext(NO_FLIGHT)
    return flight(key)


def _cached_view(key: str | None):
    if key is None:
        return None
    try:
        return cache_get(key)
    except (RuntimeError, AttributeError):   # cache not bound to a Flask app (plain use in tests, scripts)
        return None
