"""Capture what Chromium sends on each page load and on one drill, into bench/payloads/*.json (run once).

    python bench/capture_payloads.py [--database-url postgresql+psycopg://dash:dash@127.0.0.1:5432/benchdb] [--port 8161]

Starts `vetdash serve` (sign-in required, a bench 领导 account in a throwaway state database), opens the
real Chromium (/usr/bin/chromium) through Playwright, records every request through the DevTools protocol
(Network.requestWillBeSent: method, URL, resource type, post body, headers), signs in through the form, then
for each page loads PAGE?region=ROOT and clicks the first bar of its drill graph (周例会 has none: a
same-page link to --county, pushed the way dcc.Link does). Each page load starts at its HTML request; a cold
visit's static files go to assets.json. bench/load_test.py replays these files with other regions.
"""
from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import servers

OUT = ROOT / "bench" / "payloads"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=zh-CN"]
PAGES = {"/": "overview", "/network": "network", "/placement": "placement", "/funds": "funds",
         "/petitions": "petitions", "/rankings": "rankings", "/weekly": "weekly"}
# request headers worth replaying (cookies, host, lengths and the browser's identity are the client's own)
KEEP_HEADERS = {"accept", "content-type", "x-csrftoken", "accept-language"}
CLICK_FIRST_BAR = """() => {
    for (const gd of document.querySelectorAll('div[id*="drill"] .js-plotly-plot')) {
        const t = gd._fullData && gd._fullData[0];
        if (!t || t.type !== 'bar') continue;
        const el = gd.querySelector('.point');
        if (!el) continue;
        const r = el.getBoundingClientRect();
        return {x: r.x + r.width / 2, y: r.y + r.height / 2};
    }
    return null;
}"""


class Recorder:
    """Collects Network.requestWillBeSent events of one CDP session."""

    def __init__(self, cdp):
        self.cdp, self.events = cdp, []
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", lambda ev: self.events.append(ev))

    def take(self, base: str) -> list[dict]:
        out = []
        for ev in self.events:
            req = ev["request"]
            if not req["url"].startswith(base):
                continue
            body = req.get("postData")
            if body is None and req.get("hasPostData"):
                body = self.cdp.send("Network.getRequestPostData", {"requestId": ev["requestId"]})["postData"]
            parts = urlsplit(req["url"])
            out.append({"method": req["method"], "path": parts.path + (f"?{parts.query}" if parts.query else ""),
                        "type": ev.get("type", ""),
                        "headers": {k: v for k, v in req["headers"].items() if k.lower() in KEEP_HEADERS},
                        "body": _json(body)})
        self.events.clear()
        return out


def _json(body: str | None):
    """A callback's JSON body; None for no body or a form (the sign-in, never replayed as a template)."""
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


def shown(page, path: str) -> None:
    """Wait for the page's title line; say so (and go on: the requests are what we record) if it never comes."""
    try:
        page.wait_for_selector("#view-title", timeout=30000)
    except Exception:  # noqa: BLE001 — playwright's TimeoutError
        print(f"{path}: the page showed no #view-title within 30 s (blank page?) — recorded anyway")


def settle(page, seconds: float = 1.5) -> None:
    """Wait until the page stops making requests (Dash chains callbacks after the first response)."""
    page.wait_for_load_state("networkidle", timeout=60000)
    time.sleep(seconds)
    page.wait_for_load_state("networkidle", timeout=60000)


def capture(base: str, root: str, county: str) -> None:
    from playwright.sync_api import sync_playwright
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
        page = context.new_page()
        page.on("pageerror", lambda exc: print(f"page error in Chromium: {exc}"))
        page.on("console", lambda m: print(f"console {m.type}: {m.text[:300]}") if m.type == "error" else None)
        rec = Recorder(context.new_cdp_session(page))
        page.goto(base + "/login")
        page.fill("#name", servers.BENCH_USER)
        page.fill("#password", servers.BENCH_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda u: "/login" not in u, timeout=30000)
        settle(page)
        rec.take(base)                                   # the sign-in and the first (cold) page: not a template
        for path, slug in PAGES.items():
            search = f"?region={root}"
            page.goto(base + path + search)
            shown(page, path)
            settle(page)
            requests = from_document(rec.take(base))
            _write(f"load-{slug}.json", {"kind": "load", "path": path, "search": search, "requests": requests})
            if path == "/weekly":       # no drill graph: a same-page link, as dcc.Link changes the location
                page.evaluate("""(to) => { window.history.pushState({}, '', to);
                                 window.dispatchEvent(new CustomEvent('_dashprivate_pushstate')); }""",
                              f"{path}?region={county}")
                how = "link"
            else:
                try:                    # the bars are drawn a moment after the page's text
                    page.wait_for_selector('div[id*="drill"] .js-plotly-plot .point', timeout=15000)
                except Exception:  # noqa: BLE001 — playwright's TimeoutError: reported just below
                    pass
                box = page.evaluate(CLICK_FIRST_BAR)
                if box is None:
                    print(f"{path}: no drill bar found, no drill template")
                    page.screenshot(path=str(OUT / f"nobar-{slug}.png"))
                    continue
                page.mouse.click(box["x"], box["y"])
                how = "click"
            # the region must change (the period selector also rewrites the URL on first render)
            page.wait_for_url(lambda u: parse_qs(urlsplit(u).query).get("region") != [root], timeout=30000)
            shown(page, path)
            settle(page)
            to_search = "?" + urlsplit(page.url).query
            _write(f"drill-{slug}.json", {"kind": how, "path": path, "search": search, "to_search": to_search,
                                          "requests": rec.take(base)})
        # a cold visit: a new context has an empty cache; its static files are what --assets replays once per user
        cold = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
        cpage = cold.new_page()
        crec = Recorder(cold.new_cdp_session(cpage))
        cpage.goto(base + "/login")
        cpage.fill("#name", servers.BENCH_USER)
        cpage.fill("#password", servers.BENCH_PASSWORD)
        cpage.click("button[type=submit]")
        cpage.wait_for_url(lambda u: "/login" not in u, timeout=30000)
        cpage.wait_for_selector("#view-title", timeout=60000)
        settle(cpage)
        assets = [r for r in crec.take(base) if r["method"] == "GET" and _is_static(r["path"])]
        _write("assets.json", {"kind": "assets", "requests": assets})
        browser.close()


def from_document(requests: list[dict]) -> list[dict]:
    """A page load starts at its HTML: drop the tail of the previous view still in flight."""
    first = next((i for i, r in enumerate(requests) if r["type"] == "Document"), 0)
    return requests[first:]


def _is_static(path: str) -> bool:
    return path.startswith(("/assets/", "/_dash-component-suites/", "/_favicon"))


def _write(name: str, data: dict) -> None:
    (OUT / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    posts = sum(1 for r in data["requests"] if r["method"] == "POST")
    print(f"{name}: {len(data['requests'])} requests ({posts} callback POSTs)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql+psycopg://dash:dash@127.0.0.1:5432/benchdb")
    parser.add_argument("--root", default="4310")
    parser.add_argument("--port", type=int, default=8161)
    parser.add_argument("--county", default="431002", help="where the 周例会 link goes (a child of --root)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="vetdash-capture-"))
    state = servers.make_state_db(tmp / "state.sqlite", args.root)
    env = servers.instance_env(args.database_url, state, args.root, secrets.token_hex(32), "on", None)
    proc = servers.start_instance(args.port, env, workers=1, threads=8, log_path=tmp / "serve.log")
    base = f"http://127.0.0.1:{args.port}"
    try:
        servers.wait_healthy(base, proc)
        capture(base, args.root, args.county)
    finally:
        servers.stop_instance(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
