"""What a browser downloads for the first page and for a second visit, measured in Chromium (CDP).

    python bench/first_page.py http://127.0.0.1:8050 [/path …]

Prints per path: bytes over the wire (encodedDataLength: compressed size plus headers), request count, the
largest responses, how many times the page-content callback ran, and the repeat visit's bytes (versioned
files come from the browser cache), with the load average. Start the app yourself (vetdash demo / serve).
"""
from __future__ import annotations

import json
import os
import sys

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]


def visit(context, url: str) -> dict:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes, urls, outputs = {}, {}, []
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.on("request", lambda r: outputs.append(json.loads(r.post_data or "{}").get("output", "?"))
            if r.method == "POST" and "/_dash-update-component" in r.url else None)
    page.goto(url)
    page.wait_for_selector(".main-svg", state="attached", timeout=120000)
    page.wait_for_timeout(3000)
    page.close()
    top = sorted(((n, urls.get(k, "?")) for k, n in sizes.items()), reverse=True)[:6]
    return {"bytes": sum(sizes.values()), "requests": len(sizes), "top": top,
            "layout_fetches": sum("_pages_content.children" in o for o in outputs)}


def main(base: str, paths: list[str]) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for path in paths:
            context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
            first = visit(context, base + path)
            again = visit(context, base + path)
            context.close()
            print(f"{path}: first visit {first['bytes']:,} bytes in {first['requests']} requests, "
                  f"page-content fetched {first['layout_fetches']}×; second visit {again['bytes']:,} bytes")
            for size, url in first["top"]:
                print(f"    {size:>10,}  {url.removeprefix(base)[:100]}")
        browser.close()
    print("load average: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2:] or ["/"])
