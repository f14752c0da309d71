"""Browser-test support: one live app per test session (on the fixture database) and Chromium pages.

Use in a test module:  `from tests.browser import browser_page, live_app, drill_click, shot, wait_text`
- live_app: (base_url, dash app) — the app is built once per process (Dash Pages keeps a global registry);
  it opens its SQLite file query_only, as `vetdash serve` does (tests/test_readonly_db.py).
- browser_page: (page, base_url, external_requests) — a fresh 1920×1080 zh-CN Chromium page per test;
  external_requests lists every request to a host other than the app's own (must stay empty).
"""
from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, require_chromium

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--lang=zh-CN"]
_APP = {}


def get_app(database_url: str):
    """The process's single Dash app (created on first call)."""
    if "app" not in _APP:
        from config.settings import Settings
        from dashboard.app import create_app
        import tempfile
        # auth_mode "demo": the loopback test client is the 领导 demo session (tests/test_auth*.py switch to
        # "required"); accounts and audit in a throw-away state database, never the user's data folder
        state = Path(tempfile.mkdtemp(prefix="vetdash-state-")) / "state.sqlite"
        _APP["app"] = create_app(Settings(database_url=database_url, root_region="4310", auth_mode="demo",
                                          state_url=f"sqlite:///{state}", secret_key="test-secret"))
        _APP["url"] = database_url
        from dashboard.context import get_context
        _APP["context"] = get_context()          # the app's own context (tests may set_context another later)
    return _APP["app"]


@pytest.fixture(scope="session")
def live_db_url(tmp_path_factory) -> str:
    """A SQLite file with the fixture data, for the live app."""
    from queries.db import make_engine
    from tests.fixtures import populate
    path = tmp_path_factory.mktemp("live") / "fixture.sqlite"
    url = f"sqlite:///{path}"
    populate(make_engine(url))
    return url


@pytest.fixture(scope="session")
def live_app(live_db_url):
    from werkzeug.serving import make_server
    logging.getLogger("werkzeug").setLevel(logging.ERROR)       # one line per request drowns the test log
    app = get_app(live_db_url)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()


@pytest.fixture(scope="session")
def chromium():
    require_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_app):
    base_url, _app = live_app
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url)
            if not (r.url.startswith(base_url) or r.url.startswith("data:") or r.url.startswith("blob:")) else None)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page, base_url, external
    context.close()


def graph_selector(name: str) -> str:
    """CSS selector of a dcc.Graph with a pattern-matching id {"type": "drill", "name": name}."""
    ident = json.dumps({"name": name, "type": "drill"}, separators=(",", ":"))
    return f"div[id='{ident}']"


def wait_graph(page, name: str, timeout: int = 15000):
    page.wait_for_selector(f"{graph_selector(name)} .main-svg", timeout=timeout)


def drill_click(page, name: str, label: str, timeout: int = 15000) -> None:
    """Click the bar labelled `label` (or the map shape with that name) in drill graph `name`."""
    wait_graph(page, name, timeout)
    box = page.evaluate(
        """([sel, label]) => {
            const gd = document.querySelector(sel + ' .js-plotly-plot');
            const trace = gd._fullData[0];
            const names = trace.type === 'choropleth' ? trace.customdata.map(c => c[1]) : trace.y;
            const i = Array.from(names).indexOf(label);
            if (i < 0) return null;
            const selector = trace.type === 'choropleth' ? '.choroplethlocation' : '.point';
            const el = gd.querySelectorAll(selector)[i];
            const r = el.getBoundingClientRect();
            return {x: r.x + r.width / 2, y: r.y + r.height / 2};
        }""", [graph_selector(name), label])
    assert box is not None, f"no bar or shape labelled {label!r} in graph {name!r}"
    page.mouse.click(box["x"], box["y"])


def bar_labels(page, name: str) -> list[str]:
    wait_graph(page, name)
    return page.evaluate("(sel) => Array.from(document.querySelector(sel + ' .js-plotly-plot')._fullData[0].y || [])",
                         graph_selector(name))


def wait_text(page, selector: str, text: str, timeout: int = 15000) -> None:
    """Wait until the element's visible text contains `text`."""
    page.wait_for_function("([s, t]) => { const e = document.querySelector(s); return e && e.innerText.includes(t); }",
                           arg=[selector, text], timeout=timeout)


def shot(page, name: str, full_page: bool = False) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.wait_for_timeout(400)          # let plotly finish its transition before the picture
    page.screenshot(path=str(path), full_page=full_page)
    return path
