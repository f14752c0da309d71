"""大屏 (/screen) in headless Chromium at 1920×1080 and 3840×2160: fit, type sizes, rotation, pinning,
a database fault and its recovery, reload on a new build."""
from __future__ import annotations

import itertools

import pytest

from dashboard.context import get_context
from dashboard.screen import version
from queries.db import QueryError
from tests.browser import shot, wait_text

pytestmark = pytest.mark.browser
PANELS = ["map", "network", "placement", "funds", "petitions", "ranking", "flags"]
HEADLINE_PANELS = {"map", "network", "placement", "funds", "petitions"}

# every visible text node's computed font size (px), with the text, for the smallest-text check
TEXT_SIZES = """() => {
  const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.textContent.trim(), el = node.parentElement;
    if (!text || !el || !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    out.push([parseFloat(getComputedStyle(el).fontSize), text.slice(0, 30)]);
  }
  return out;
}"""
HEADLINE_SIZES = """() => Array.from(document.querySelectorAll('.screen-panel.is-active .headline'))
  .filter(e => e.checkVisibility({checkOpacity: true})).map(e => parseFloat(getComputedStyle(e).fontSize))"""
ACTIVE = "() => document.getElementById('screen-root').getAttribute('data-active')"
VISIBLE_PANELS = """() => Array.from(document.querySelectorAll('.screen-panel'))
  .filter(p => getComputedStyle(p).visibility === 'visible').map(p => p.dataset.panel)"""


def wait_visible(page, panel: str, timeout: int = 5000) -> None:
    """Until exactly this panel is visible (the others faded out)."""
    page.wait_for_function(f"() => JSON.stringify(({VISIBLE_PANELS})()) === JSON.stringify(['{panel}'])",
                           timeout=timeout)


@pytest.fixture
def screen(chromium, live_app):
    """open(query, width, height) -> (page, external requests) in a fresh zh-CN context of that size."""
    base, _app = live_app
    contexts = []

    def open_(query: str = "", width: int = 1920, height: int = 1080):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                       timezone_id="Asia/Shanghai")
        contexts.append(context)
        page = context.new_page()
        external: list[str] = []
        page.on("request", lambda r: external.append(r.url) if not r.url.startswith((base, "data:", "blob:")) else None)
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        page.goto(f"{base}/screen{'?' + query if query else ''}")
        page.wait_for_selector(".screen-panel.is-active .sp-body", timeout=20000)
        page.wait_for_function("() => document.getElementById('screen-clock').innerText.length > 0", timeout=10000)
        return page, external

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width, height", [(1920, 1080), (3840, 2160)])
def test_canvas_fills_the_screen_and_is_legible_across_the_room(screen, width, height):
    scale = width / 1920
    page, external = screen("panel=map", width, height)
    assert page.locator(".app-navbar").count() == 0                     # not the desk shell
    page.wait_for_selector("#screen-map .choroplethlocation", timeout=15000)
    for i, panel in enumerate(PANELS):
        if i:
            page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => document.getElementById('screen-root').dataset.active === '{panel}'")
        wait_visible(page, panel)                                         # the cross-fade is over
        dims = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
                             " document.body.scrollWidth, document.body.scrollHeight]")
        assert dims == [width, height, width, height], f"{panel}: scroll size {dims}"
        sizes = page.evaluate(TEXT_SIZES)
        smallest = min(sizes)
        assert smallest[0] >= 24 * scale, f"{panel}: text {smallest[1]!r} is {smallest[0]} px"
        if panel in HEADLINE_PANELS:
            headlines = page.evaluate(HEADLINE_SIZES)
            assert headlines and min(headlines) >= 64 * scale, f"{panel}: headline numbers {headlines}"
        shot(page, f"screen_{panel}_{width}")
    assert external == [], f"requests to other hosts: {external}"
    assert page.js_errors == []


def test_title_bar_names_the_bureau_and_the_data_date(screen):
    page, _ = screen("panel=ranking")
    assert page.inner_text(".screen-title") == "郴州市退役军人事务局 · 领导驾驶舱"
    assert page.inner_text("#screen-as-of") == "数据截至 2026年11月23日"
    clock = page.inner_text("#screen-clock")
    page.wait_for_function("(c) => document.querySelector('#screen-clock').innerText !== c", arg=clock,
                           timeout=5000)                               # ticks without the server
    assert "2026年10月" in page.inner_text(".screen-panel.is-active .sp-period")   # last complete month
    assert page.inner_text(".screen-panel.is-active .sp-rank-row:not(.sp-rank-header) .sp-rank-name").strip()


def test_panels_show_their_default_periods(screen):
    page, _ = screen("panel=flags")
    assert page.inner_text("#screen-panel-flags .sp-period") == "2026年第47周（11月16日—22日）"
    assert page.text_content("#screen-panel-funds .sp-period") == "2026年11月 截至11月23日"   # hidden: text, not innerText


def _after(panel: str, steps: int = 1) -> str:
    return PANELS[(PANELS.index(panel) + steps) % len(PANELS)]


def test_rotates_by_itself_without_touching_the_history(screen):
    page, _ = screen("seconds=2")
    url, history = page.url, page.evaluate("() => history.length")
    first = page.evaluate(ACTIVE)
    page.wait_for_function(f"() => document.getElementById('screen-root').dataset.active !== '{first}'", timeout=8000)
    second = page.evaluate(ACTIVE)
    assert second == _after(first)                                      # the configured order
    wait_visible(page, second)
    assert page.url == url and page.evaluate("() => history.length") == history
    assert "is-active" in page.get_attribute(f".screen-page[data-panel='{second}']", "class")


def test_keys_move_and_pause(screen):
    page, _ = screen("seconds=2")
    page.keyboard.press(" ")
    assert page.is_visible(".screen-paused")
    paused = page.evaluate(ACTIVE)
    page.wait_for_timeout(3000)
    assert page.evaluate(ACTIVE) == paused                              # paused: stays
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(ACTIVE) == _after(paused, -1)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(ACTIVE) == _after(paused, 1)
    page.keyboard.press(" ")
    assert not page.is_visible(".screen-paused")


def test_pinned_url_stays_put(screen):
    page, _ = screen("region=431022&panel=funds&seconds=1")
    url = page.url
    page.wait_for_timeout(3500)
    assert page.evaluate(ACTIVE) == "funds" and page.evaluate(VISIBLE_PANELS) == ["funds"]
    assert page.inner_text("#screen-panel-funds .sp-title").startswith("宜章县")
    assert page.url == url


def test_numbers_equal_the_raw_data(screen, fixture_data):
    page, _ = screen("panel=petitions")
    received = sum(1 for p in fixture_data["petition"] if 20261101 <= p["received_day"] <= 20261123)
    tile = page.locator("#screen-panel-petitions .sp-kpi-big").first
    assert tile.locator(".sp-kpi-name").inner_text() == "信访量"
    assert tile.locator(".sp-kpi-value").inner_text() == f"{received}件"


def test_database_fault_shows_the_marker_and_recovers(screen, monkeypatch, fixture_data):
    page, _ = screen("panel=petitions&refresh=2")
    value = page.inner_text("#screen-panel-petitions .sp-kpi-value")

    def broken(*_a, **_k):
        raise QueryError("查询失败：数据库不可达（测试注入）", "meta_values")
    monkeypatch.setattr(get_context().db, "frame", broken)
    wait_text(page, "#screen-marker", "数据更新中断 · 最后更新 ", timeout=10000)
    assert page.is_visible("#screen-marker")
    assert page.inner_text("#screen-panel-petitions .sp-kpi-value") == value      # last good data stays
    assert page.locator(".sp-message, .screen-error").count() == 0
    monkeypatch.undo()                                                   # the database is back
    page.wait_for_function("() => !document.getElementById('screen-marker').classList.contains('is-on')",
                           timeout=10000)
    assert not page.is_visible("#screen-marker")
    assert page.inner_text("#screen-panel-petitions .sp-kpi-value") == value
    assert page.js_errors == []


def test_new_data_version_redraws_in_place_without_a_blank_frame(screen, monkeypatch):
    page, _ = screen("panel=petitions&refresh=2")
    page.evaluate("""() => { window.__fewestTiles = 99; window.__mutations = 0; window.__samePage = true;
        new MutationObserver(() => {
            window.__mutations += 1;
            window.__fewestTiles = Math.min(window.__fewestTiles,
                document.querySelectorAll('#screen-panel-petitions .sp-kpi-big .sp-kpi-value').length);
        }).observe(document.querySelector('.screen-stage'), {subtree: true, childList: true, characterData: true}); }""")
    ctx, versions = get_context(), itertools.count()
    real_meta = ctx.meta
    monkeypatch.setattr(ctx, "meta", lambda: {**real_meta(), "data_version": f"v{next(versions)}"})
    page.wait_for_function("() => window.__mutations > 0", timeout=10000)       # a new version: redrawn
    page.wait_for_timeout(4500)                                                 # and again, twice
    assert page.evaluate("() => window.__fewestTiles") == 4                     # never an empty frame
    assert page.evaluate("() => window.__samePage") is True                     # no page reload


def test_reloads_itself_after_an_upgrade(screen, monkeypatch):
    page, _ = screen("panel=map&refresh=2")
    page.evaluate("() => { window.__beforeUpgrade = true; }")
    monkeypatch.setattr(version, "build_id", lambda: "new-build-0001")
    page.wait_for_function("() => window.__beforeUpgrade === undefined"
                           " && document.getElementById('screen-root')"
                           " && document.getElementById('screen-root').dataset.build === 'new-build-0001'",
                           timeout=15000)


@pytest.mark.parametrize("query, message", [
    ("region=12345", "长度不对"), ("region=440300", "不在您的查看范围"),
    ("panel=weather", "未知的面板“weather”"), ("seconds=abc", "应为数字"),
])
def test_bad_url_is_a_chinese_message(screen, chromium, live_app, query, message):
    base, _ = live_app
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/screen?{query}")
    wait_text(page, ".screen-error", message)
    assert "Traceback" not in page.content()
    context.close()
