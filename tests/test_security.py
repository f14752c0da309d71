"""Hostile requests: malformed callbacks 400, big bodies 413, long URLs 414, headers, /healthz detail, fuzz."""
from __future__ import annotations

from dataclasses import replace

import json
import re
import shutil
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import create_engine, text

from dashboard.context import get_context, make_context, set_context
from tests.browser import get_app

CJK = re.compile(r"[\u4e00-\u9fff]")
CALLBACK = "/_dash-update-component"
PAGES_OUTPUT = ".._pages_content.children..._pages_store.data.."
HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


@pytest.fixture(scope="module")
def client(live_db_url):
    c = get_app(live_db_url).server.test_client()
    c.get("/")                       # first request registers Dash's callbacks
    return c


def page_payload(path="/", search="", **changes) -> dict:
    """The pages router's callback body exactly as the Dash renderer sends it."""
    body = {"output": PAGES_OUTPUT,
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.search"], "state": []}
    body.update(changes)
    return body


def nav_payload(clicks, values, search="?region=4310") -> dict:
    """The drill/period navigation callback body (pattern-matching ALL inputs are lists)."""
    return {"output": "url.search", "outputs": {"id": "url", "property": "search"},
            "inputs": [[{"id": {"name": "overview", "type": "drill"}, "property": "clickData", "value": clicks}],
                       [{"id": {"name": "period-select", "type": "nav"}, "property": "value", "value": values}]],
            "changedPropIds": ['{"name":"period-select","type":"nav"}.value'],
            "state": [{"id": "url", "property": "search", "value": search}, []]}


def _message(response) -> str:
    return json.loads(response.data.decode("utf-8"))["message"]


@pytest.fixture
def swapped_context(live_db_url, tmp_path):
    """Run the app on a tampered copy of the fixture database; yields a function (sql) -> None."""
    good = get_context()
    path = tmp_path / "tampered.sqlite"
    shutil.copy(live_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    engine = create_engine(url)

    def tamper(*statements):
        with engine.begin() as conn:
            for sql in statements:
                conn.execute(text(sql))
        set_context(make_context(replace(good.settings, database_url=url)))     # same auth mode and state DB
    yield tamper
    set_context(good)
    engine.dispose()


# ------------------------------------------------------------------------------ the genuine payload works
def test_genuine_callback_still_renders(client):
    response = client.post(CALLBACK, json=page_payload("/", "?region=431022"))
    assert response.status_code == 200 and "宜章县" in json.dumps(response.get_json(), ensure_ascii=False)


# ------------------------------------------------------------------------------ malformed callbacks -> 400
MALFORMED = {
    "empty pathname": page_payload("", ""),
    "pathname a number": page_payload(5, 7),
    "search a list": page_payload("/", ["?region=4310"]),
    "no outputs": {k: v for k, v in page_payload().items() if k != "outputs"},
    "no output": {k: v for k, v in page_payload().items() if k != "output"},
    "unknown output": page_payload(output="nothing.children"),
    "output a number": page_payload(output=5),
    "inputs a string": page_payload(inputs="x"),
    "inputs missing": {k: v for k, v in page_payload().items() if k != "inputs"},
    "one input too few": page_payload(inputs=page_payload()["inputs"][:1]),
    "state a string": page_payload(state="x"),
    "changedPropIds a number": page_payload(changedPropIds=5),
    "body a list": [1, 2],
    "body a string": "x",
    "body null": None,
    "clickData a string": nav_payload("x", None),
    "dropdown value an object": nav_payload(None, {"a": 1}),
    "ALL input not a list": {**nav_payload(None, "2026-10"), "inputs": [{"id": "x", "property": "clickData"},
                                                                         {"id": "y", "property": "value"}]},
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_callback_is_400_in_chinese(client, name):
    response = client.post(CALLBACK, json=MALFORMED[name])
    assert response.status_code == 400, response.data[:200]
    assert CJK.search(_message(response)) and b"Traceback" not in response.data


def test_invalid_json_is_400_in_chinese(client):
    response = client.post(CALLBACK, data="{not json", content_type="application/json")
    assert response.status_code == 400 and "请求格式无效" in _message(response)


# ------------------------------------------------------------------------------ sizes
def test_ten_megabyte_body_is_413_not_echoed(client):
    body = json.dumps(page_payload("/", "?region=" + "4" * (10 << 20)))
    response = client.post(CALLBACK, data=body, content_type="application/json")
    assert response.status_code == 413
    assert len(response.data) < 1000 and "过大" in _message(response)


def test_long_query_string_is_refused_not_echoed(client):
    response = client.get("/?region=" + "9" * 5000, headers={"Accept": "text/html"})
    assert response.status_code == 414
    assert "9999999999" not in response.data.decode() and "网址过长" in response.data.decode()


def test_normal_query_string_still_served(client):
    assert client.get("/funds?region=431022&period=2026-11").status_code == 200


# ------------------------------------------------------------------------------ headers
@pytest.mark.parametrize("method, url", [("get", "/"), ("get", "/healthz"), ("get", "/_dash-layout"),
                                         ("get", "/assets/10-app.css"), ("post", CALLBACK)])
def test_security_headers_on_every_response(client, method, url):
    response = getattr(client, method)(url, json=page_payload() if method == "post" else None)
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (url, name)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert script_src.count("'sha256-") >= 2          # the renderer start-up and the pages' clientside script


# ------------------------------------------------------------------------------ /healthz
def test_healthz_anonymous_gets_status_only(client):
    response = client.get("/healthz", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_healthz_loopback_gets_detail(client):
    body = client.get("/healthz", environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_json()
    assert body["status"] == "ok" and body["dialect"] == "sqlite" and body["as_of"] == "2026-11-23"


def test_healthz_fails_when_a_rollup_is_missing(client, swapped_context):
    swapped_context("DROP TABLE roll_payment_month")
    response = client.get("/healthz")
    assert response.status_code == 503 and CJK.search(response.get_json()["message"])
    anonymous = client.get("/healthz", environ_base={"REMOTE_ADDR": "198.51.100.2"})
    assert anonymous.status_code == 503 and anonymous.get_json() == {"status": "error"}


def test_healthz_fails_when_rollups_are_empty(client, swapped_context):
    swapped_context("DELETE FROM roll_payment_month")
    response = client.get("/healthz")
    assert response.status_code == 503 and "vetdash refresh" in response.get_json()["message"]


@pytest.mark.parametrize("marker, words", [("build_in_progress", "尚未生成完成"), ("refresh_in_progress", "正在更新")])
def test_in_progress_marker_is_not_healthy_and_pages_say_so(client, swapped_context, marker, words):
    swapped_context(f"INSERT INTO meta (meta_key, meta_value) VALUES ('{marker}', '2026-11-23T06:00:00')")
    health = client.get("/healthz")
    assert health.status_code == 503 and words in health.get_json()["message"]
    response = client.post(CALLBACK, json=page_payload("/funds", "?region=431022&period=2026-11"))
    page = json.dumps(response.get_json(), ensure_ascii=False)
    assert response.status_code == 200 and words in page
    assert "kpi-row" not in page                      # no all-zero cards under the message


# ------------------------------------------------------------------------------ 重试 keeps the view
def test_retry_link_keeps_region_and_period(client, swapped_context):
    swapped_context("DROP TABLE roll_payment_month", "DROP TABLE roll_payment_people")
    response = client.post(CALLBACK, json=page_payload("/funds", "?region=431022&period=2026-11"))
    page = json.dumps(response.get_json(), ensure_ascii=False)
    assert response.status_code == 200 and "重试" in page
    assert '"href": "/funds?region=431022&period=2026-11"' in page


# ------------------------------------------------------------------------------ fuzz: never a 500
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                       max_leaves=6)
REGIONS = st.sampled_from(["4310", "431022", "431002002002", "43", "440300", "4310x", "", "0" * 12, "9" * 40])
PERIODS = st.sampled_from(["2026-11", "2026-W47", "2026-Q3", "2026", "1990", "2026-13", "2026-W99", "abc", ""])
TEXT = st.text(max_size=60)
PATHS = st.sampled_from(["/", "/funds", "/network", "/placement", "/petitions", "/nope", "//", "/funds/../x"]) | \
    TEXT.map(lambda t: "/" + t)


@st.composite
def searches(draw) -> str:
    parts = {"region": draw(REGIONS | TEXT), "period": draw(PERIODS | TEXT), "metric": draw(TEXT)}
    keep = draw(st.lists(st.sampled_from(list(parts)), unique=True, max_size=3))
    return "?" + "&".join(f"{k}={quote(parts[k], safe='')}" for k in keep) + draw(st.sampled_from(["", "&x=<script>"]))


@st.composite
def callback_bodies(draw):
    """A genuine payload with one part replaced by something else, or a wholly random JSON value."""
    kind = draw(st.sampled_from(["page", "page-mutated", "nav", "nav-mutated", "random"]))
    if kind == "random":
        return draw(JSONISH)
    if kind.startswith("page"):
        body = page_payload(draw(PATHS | st.none()), draw(searches() | st.none()))
    else:
        body = nav_payload(draw(st.none() | JSONISH), draw(st.none() | PERIODS | JSONISH), draw(searches()))
    if kind.endswith("mutated"):
        key = draw(st.sampled_from(sorted(body) + ["extra"]))
        if draw(st.booleans()):
            body.pop(key, None)
        else:
            body[key] = draw(JSONISH)
    return body


FUZZ = settings(max_examples=1100, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
_seen = {"callback": 0, "url": 0}


@FUZZ
@given(body=callback_bodies())
def test_fuzz_callbacks_never_500(client, body):
    _seen["callback"] += 1
    response = client.post(CALLBACK, json=body)
    assert response.status_code < 500, (body, response.data[:300])
    assert b"Traceback" not in response.data


@FUZZ
@given(path=PATHS, search=searches() | TEXT, method=st.sampled_from(["get", "post", "put", "delete"]))
def test_fuzz_urls_never_500(client, path, search, method):
    _seen["url"] += 1
    response = getattr(client, method)(quote(path, safe="/") + "?" + quote(search.lstrip("?"), safe="=&"))
    assert response.status_code < 500, (path, search, response.data[:300])


def test_fuzz_ran_at_least_2000_inputs():
    """Runs after the two fuzz tests (file order): together they tried ≥ 2,000 inputs."""
    assert _seen["callback"] + _seen["url"] >= 2000, _seen


# ------------------------------------------------------------------------------ the app's pages satisfy the CSP
@pytest.mark.browser
def test_pages_raise_no_csp_violation_in_chromium(browser_page):
    page, base_url, external = browser_page
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', "
                         "e => console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))")
    for path in ("/", "/network", "/placement", "/funds", "/petitions", "/?region=431022", "/rankings",
                 "/weekly", "/quality", "/screen"):
        page.goto(base_url + path)
        page.wait_for_selector("div.page, .screen-root", timeout=20000)
        page.wait_for_timeout(500)
    assert problems == [], problems
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
                  " document.body.appendChild(s); }")         # the policy is live: a foreign inline script is blocked
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None
    assert problems and all("script-src" in p for p in problems), problems
    assert page.js_errors == [] and external == []
