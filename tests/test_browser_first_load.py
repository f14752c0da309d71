"""What the first page costs a browser: one layout fetch, at most 2 MB over the wire, the partial plotly
bundle drawing every trace type (bars, lines, the map) with no CSP violation and no other host contacted."""
from __future__ import annotations

import json

import pytest

from tests.browser import graph_selector, wait_graph

pytestmark = pytest.mark.browser
MAX_FIRST_PAGE = 2_000_000           # bytes on the wire (issue #15 target)


def _record(page):
    """CDP network recorder: bytes received per request id, and every callback POST's output."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes, urls = {}, {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    outputs = []
    page.on("request", lambda r: outputs.append(json.loads(r.post_data or "{}").get("output", "?"))
            if r.method == "POST" and "/_dash-update-component" in r.url else None)
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    return sizes, urls, outputs, console


def test_first_load_fetches_the_page_once_and_stays_under_2_mb(browser_page):
    page, base, external = browser_page
    sizes, urls, outputs, console = _record(page)
    page.goto(base + "/?period=2026-10")
    wait_graph(page, "overview-map")
    wait_graph(page, "overview-bars")
    page.wait_for_selector("#overview-trend .main-svg")
    page.wait_for_timeout(1500)                      # anything late (a second layout fetch) would show by now
    layout_posts = [o for o in outputs if "_pages_content.children" in o]
    assert len(layout_posts) == 1, outputs
    total = sum(sizes.values())
    assert 0 < total <= MAX_FIRST_PAGE, f"first page transferred {total:,} bytes"
    assert not [u for u in urls.values() if "package_data/plotly.min.js" in u]    # the 4.8 MB full bundle
    assert any("05-plotly-partial.min.js" in u for u in urls.values())
    assert not [c for c in console if "Content Security Policy" in c or "Content-Security-Policy" in c], console
    assert external == [] and page.js_errors == []


def test_partial_bundle_draws_map_bars_and_lines(browser_page):
    page, base, _external = browser_page
    page.goto(base + "/?period=2026-10")
    wait_graph(page, "overview-map")
    page.wait_for_function("() => document.querySelectorAll('#overview-trend .js-plotly-plot').length == 4 && "
                           "Array.from(document.querySelectorAll('#overview-trend .js-plotly-plot'))"
                           ".every(g => g.querySelector('.barlayer .trace'))", timeout=15000)
    shapes = page.locator(f"{graph_selector('overview-map')} .choroplethlocation").count()
    bars = page.locator(f"{graph_selector('overview-bars')} .point").count()
    lines = page.locator("#overview-trend .scatterlayer .trace").count()
    assert shapes == 2 and bars >= 2 and lines >= 1          # the fixture city has two counties
    traces = page.evaluate("() => Object.keys(window.Plotly.PlotSchema.get().traces).sort()")
    assert traces == ["bar", "choropleth", "scatter", "scattergeo"]


@pytest.mark.parametrize("path", ["/weekly", "/yearly", "/rankings"])
def test_other_pages_are_fetched_once_and_keep_their_url(browser_page, path):
    page, base, _external = browser_page
    _sizes, _urls, outputs, _console = _record(page)
    page.goto(base + path)
    page.wait_for_selector(".period-select")
    page.wait_for_timeout(2000)
    assert len([o for o in outputs if "_pages_content.children" in o]) == 1, outputs
    assert page.evaluate("location.search") == ""          # the default period is not written into the URL
