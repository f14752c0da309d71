"""Soak benchmark of the wall screen: does a rotating, refreshing /screen stay flat in memory for hours?

Starts the app on the given database (default: the demo file) in a child process, opens /screen in headless
Chromium (--enable-precise-memory-info) at 1920×1080 with an accelerated rotation (2 s per panel) and data
refresh (10 s, with a 5 s page-model cache so every refresh rebuilds and re-renders the panels), and samples
every minute after a warm-up of one rotation, after a forced garbage collection: JS heap, DOM nodes, event listeners, server RSS.

    python bench/screen_soak.py [--minutes 10] [--port 8066] [--db sqlite:////work/demo-1203.sqlite]

Prints one line per sample, then start → end with the change in percent (the target: flat within 10 %).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=zh-CN",
        "--enable-precise-memory-info"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(db: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "VETDASH_DATABASE_URL": db, "DASH_DISABLE_VERSION_CHECK": "true",
           "VETDASH_CACHE_TIMEOUT_S": "5", "PYTHONPATH": str(ROOT)}
    code = f"from dashboard.app import create_app; create_app().run(port={port}, threaded=True)"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/screen/build", timeout=1)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("服务未能启动")


def reading(page, cdp) -> tuple[float, int, int]:
    """(JS heap MB, DOM nodes, listeners) after a forced garbage collection."""
    cdp.send("HeapProfiler.collectGarbage")
    page.wait_for_timeout(300)
    counters = cdp.send("Memory.getDOMCounters")
    heap = page.evaluate("() => performance.memory.usedJSHeapSize")
    return heap / 2**20, counters["nodes"], counters["jsEventListeners"]


def sample(page, cdp, server_pid: int) -> dict:
    """The lowest of three readings 3 s apart: right after a refresh React still holds the replaced panels
    until its next commit (a bounded, one-refresh overlap); a leak raises the floor, which is what we track."""
    readings = []
    for i in range(3):
        if i:
            page.wait_for_timeout(3000)
        readings.append(reading(page, cdp))
    heap, nodes, listeners = (min(r[k] for r in readings) for k in range(3))
    return {"heap_mb": heap, "nodes": nodes, "listeners": listeners, "peak_nodes": max(r[1] for r in readings),
            "rss_mb": rss_mb(server_pid), "panel": page.evaluate(
                "() => document.getElementById('screen-root').dataset.active"),
            "refreshes": page.evaluate("() => window.__soakStatus || 0")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--port", type=int, default=8066)
    parser.add_argument("--db", default=os.environ.get("VETDASH_DATABASE_URL", "sqlite:////work/demo-1203.sqlite"))
    parser.add_argument("--every", type=float, default=60.0, help="seconds between samples")
    parser.add_argument("--warmup", type=float, default=30.0,
                        help="seconds before the first sample (one full rotation and a refresh)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright
    server = start_server(args.db, args.port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
            page.goto(f"http://127.0.0.1:{args.port}/screen?seconds=2&refresh=10")
            page.wait_for_selector(".screen-panel.is-active .sp-body", timeout=60000)
            # count refreshes that changed the status store (each one re-rendered the panels)
            page.evaluate("""() => { window.__soakStatus = 0;
                const orig = window.fetch;
                window.fetch = function (url, opts) {
                  if (String(url).includes('_dash-update-component') && opts && String(opts.body).includes('screen-refresh'))
                    window.__soakStatus += 1;
                  return orig.apply(this, arguments);
                }; }""")
            cdp = page.context.new_cdp_session(page)
            page.wait_for_timeout(int(args.warmup * 1000))
            samples = []
            t0 = time.time()
            print(f"# /screen soak: {args.minutes:g} min, 2 s per panel, refresh 10 s, db {args.db}; "
                  f"load average at start {os.getloadavg()[0]:.2f}")
            print(f"{'min':>5} {'JS heap MB':>10} {'DOM nodes':>9} {'(peak)':>7} {'listeners':>9} "
                  f"{'server RSS MB':>13} {'refreshes':>9}  panel")
            while True:
                s = sample(page, cdp, server.pid)
                s["t"] = (time.time() - t0) / 60
                samples.append(s)
                print(f"{s['t']:5.1f} {s['heap_mb']:10.2f} {s['nodes']:9d} {s['peak_nodes']:7d} {s['listeners']:9d} "
                      f"{s['rss_mb']:13.1f} {s['refreshes']:9d}  {s['panel']}", flush=True)
                if s["t"] >= args.minutes:
                    break
                page.wait_for_timeout(int(min(args.every, (args.minutes - s["t"]) * 60 + 1) * 1000))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    first, last = samples[0], samples[-1]
    print(f"# load average at end {os.getloadavg()[0]:.2f}")
    for key, label in (("heap_mb", "JS heap MB"), ("nodes", "DOM nodes"), ("listeners", "event listeners"),
                       ("rss_mb", "server RSS MB")):
        change = (last[key] - first[key]) / first[key] * 100 if first[key] else float("nan")
        print(f"{label:>16}: start {first[key]:,.1f}  end {last[key]:,.1f}  change {change:+.1f}%")


if __name__ == "__main__":
    main()
