"""Load test: N signed-in users replaying Chromium's own requests (page loads and drills) on loopback.

    python bench/load_test.py --base http://127.0.0.1:8160 --database-url URL [--users 50] [--seconds 60]
        [--think 1,3] [--seed 1] [--retry 1] [--assets] [--ports 8161,8162] [--ramp 5] [--json out.json]

Each user signs in through /login (bench/servers.py's bench account unless --user/--password), then loops:
one page load (the HTML, _dash-layout, _dash-dependencies and every callback POST Chromium sent, from
bench/payloads/load-*.json) on a random page at the root, then 2–3 drills down the tree (root → county →
township → village; the callback POSTs of bench/payloads/drill-*.json with the clicked region's code), a
seeded think time of 1–3 s after each action. Bounded: one thread per user, one request at a time each.
--assets: a user's first page load also fetches the static files of a cold visit (payloads/assets.json).
An action fails on any non-200 answer, a refused/broken connection, or a page that says it failed
(class page-error, 数据更新中断); --retry 1 repeats a failed action once: "failed after retry" counts those
that failed twice. Prints per action kind p50/p95/p99, errors, achieved requests/s and MB, the generator's
own CPU time, gunicorn worker RSS (the workers serving --ports) at start and end, load average at start
and end. Always exits 0: it reports, it does not judge.
"""
from __future__ import annotations

import argparse
import copy
import gzip
import http.client
import json
import math
import os
import random
import re
import resource
import sys
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import servers

PAYLOADS = ROOT / "bench" / "payloads"
PAGES = ["/", "/network", "/placement", "/funds", "/petitions", "/rankings", "/weekly"]
SLUGS = {"/": "overview", "/network": "network", "/placement": "placement", "/funds": "funds",
         "/petitions": "petitions", "/rankings": "rankings", "/weekly": "weekly"}
LEVEL_NAMES = {1: "省", 2: "市", 3: "县", 4: "乡镇", 5: "村"}
# what a failed page says (class of safe_layout's alert; the stale-data marker) — raw and JSON-escaped forms
FAIL_MARKS = [b"page-error", "数据更新中断".encode(), json.dumps("数据更新中断").strip('"').encode()]
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon")
CSRF_RE = re.compile(rb'name="csrf" value="([^"]+)"')


# ------------------------------------------------------------------ pure parts (tests/test_bench_load.py)
def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: the smallest value with at least q of all values at or below it."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered) - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def _items(entries):
    """Input/state entries, flattening pattern-matching (ALL) lists."""
    for entry in entries or []:
        if isinstance(entry, list):
            yield from entry
        elif isinstance(entry, dict):
            yield entry


def rewrite(body: dict, path: str, search: str, click_code: str | None = None) -> dict:
    """A captured callback body for another view: every pathname/search/href input or state gets the new
    location; a clickData or cellClicked (the drill click) names click_code as the clicked region."""
    out = copy.deepcopy(body)
    for item in list(_items(out.get("inputs"))) + list(_items(out.get("state"))):
        prop, value = item.get("property"), item.get("value")
        if prop == "pathname":
            item["value"] = path
        elif prop == "search":
            item["value"] = search
        elif prop == "href" and isinstance(value, str):
            parts = urlsplit(value)
            item["value"] = f"{parts.scheme}://{parts.netloc}{path}{search}" if parts.netloc else path + search
        elif prop == "cellClicked" and value and click_code:      # a row of the 排名 grid
            value["rowId"] = click_code
        elif prop == "clickData" and value and click_code:
            for point in value.get("points", []):
                if isinstance(point.get("customdata"), list) and point["customdata"]:
                    point["customdata"][0] = click_code
                if "location" in point:
                    point["location"] = click_code
    return out


def is_click(body: dict | None) -> bool:
    """A drill click: a clickData (bar, map shape) or cellClicked (grid row) input with a value."""
    return bool(body) and any(i.get("property") in ("clickData", "cellClicked") and i.get("value")
                              for i in _items(body.get("inputs")))


def searched(response: bytes) -> str | None:
    """The new location.search a navigate callback answered (None when it did not change it)."""
    try:
        data = json.loads(response)
    except ValueError:
        return None
    for props in (data.get("response") or {}).values():
        if isinstance(props, dict) and isinstance(props.get("search"), str):
            return props["search"]
    return None


def failed(status: int, body: bytes) -> bool:
    """Not 200/204 (Dash answers 204 when a callback changes nothing), or a page that says it failed."""
    return status not in (200, 204) or any(mark in body for mark in FAIL_MARKS)


def said(body: bytes) -> str:
    """The Chinese message of a failed answer (first text after the failure mark), for the report."""
    try:
        text = json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        text = body.decode("utf-8", "replace")
    at = min((i for i in (text.find("page-error"), text.find("数据更新中断"), text.find("message")) if i >= 0),
             default=0)
    found = re.search(r'"([^"]*[\u4e00-\u9fff][^"]*)"', text[max(0, at - 2000):]) or \
        re.search(r'[\u4e00-\u9fff][^"<]{0,60}', text)
    return f"：{found.group(found.lastindex or 0)[:80]}" if found else ""


def plan_drills(rng: random.Random, tree: dict[str, list[str]], root: str, n: int) -> list[str]:
    """n region codes, each a child of the one before, starting below root (stops at a leaf)."""
    chain, here = [], root
    for _ in range(n):
        kids = tree.get(here) or []
        if not kids:
            break
        here = rng.choice(kids)
        chain.append(here)
    return chain


def summarize(actions: list[Action]) -> dict[str, dict]:
    """Per kind: count, p50/p95/p99 seconds, actions that erred first time, failed after retry."""
    out = {}
    for kind in sorted({a.kind for a in actions}):
        mine = [a for a in actions if a.kind == kind]
        ok_times = [a.seconds for a in mine if a.ok]
        out[kind] = {"n": len(mine), "p50": percentile(ok_times, .50), "p95": percentile(ok_times, .95),
                     "p99": percentile(ok_times, .99), "errors": sum(1 for a in mine if a.first_error),
                     "failed": sum(1 for a in mine if not a.ok), "requests": sum(a.requests for a in mine),
                     "bytes": sum(a.bytes for a in mine)}
    return out


# ------------------------------------------------------------------ templates
@dataclass
class Template:
    kind: str                # load | click | link | assets
    path: str
    requests: list[dict]
    to_search: str = ""


def load_templates(directory: Path = PAYLOADS) -> tuple[dict, dict, Template | None]:
    loads, drills, assets = {}, {}, None
    for f in sorted(directory.glob("*.json")):
        data = json.loads(f.read_text())
        t = Template(data["kind"], data.get("path", ""), data["requests"], data.get("to_search", ""))
        if t.kind == "load":
            t.requests = [r for r in t.requests if not r["path"].startswith(STATIC_PREFIXES)]
            loads[t.path] = t
        elif t.kind in ("click", "link"):
            t.requests = [r for r in t.requests if not r["path"].startswith(STATIC_PREFIXES)]
            drills[t.path] = t
        elif t.kind == "assets":
            assets = t
    return loads, drills, assets


def region_tree(database_url: str) -> tuple[dict[str, list[str]], dict[str, int]]:
    """parent short code -> children short codes, and each code's level, from the region table (read only)."""
    from sqlalchemy import create_engine, text
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT r.short_code, r.level, p.short_code FROM region r "
                                 "LEFT JOIN region p ON p.code = r.parent_code")).fetchall()
    engine.dispose()
    tree: dict[str, list[str]] = {}
    levels = {}
    for code, level, parent in rows:
        levels[code] = int(level)
        if parent:
            tree.setdefault(parent, []).append(code)
    for kids in tree.values():
        kids.sort()
    return tree, levels


# ------------------------------------------------------------------ one simulated browser
@dataclass
class Action:
    kind: str
    page: str
    level: str
    started: float
    seconds: float = 0.0
    ok: bool = True
    first_error: str = ""
    retried: bool = False
    requests: int = 0
    bytes: int = 0


class Browser:
    """One user's connection and cookies (HTTP/1.1 keep-alive, gzip accepted, as Chromium)."""

    def __init__(self, base: str, timeout: float = 60):
        parts = urlsplit(base)
        self.base, self.host, self.port = base, parts.hostname, parts.port or 80
        self.timeout, self.conn, self.cookies = timeout, None, {}
        self.requests, self.wire_bytes, self.renders = 0, 0, 0

    def _connect(self):
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """(status, decoded body, location header); status 0 when the connection failed."""
        hdrs = {"Accept-Encoding": "gzip, deflate", "Accept-Language": "zh-CN,zh;q=0.9",
                "Referer": self.base + "/", **(headers or {})}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            reused = self.conn is not None
            if self.conn is None:
                self._connect()
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                resp = self.conn.getresponse()
                raw = resp.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                self.conn.close()
                self.conn = None
                if reused and attempt == 1:   # an idle keep-alive connection the server closed: resend, as browsers do
                    continue
                self.requests += 1
                return 0, str(exc).encode(), ""
            except (OSError, http.client.HTTPException) as exc:     # refused, timed out, cut short (IncompleteRead)
                self.conn.close()
                self.conn = None
                self.requests += 1
                return 0, str(exc).encode(), ""
        self.requests += 1
        self.wire_bytes += len(raw)
        for cookie in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        encoding = (resp.headers.get("Content-Encoding") or "").lower()
        try:
            if encoding == "gzip":
                raw = gzip.decompress(raw)
            elif encoding == "deflate":
                raw = zlib.decompress(raw)
        except (OSError, zlib.error):
            return 0, b"undecodable body", ""
        if resp.headers.get("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return resp.status, raw, resp.headers.get("Location", "")

    def login(self, user: str, password: str) -> bool:
        status, html, _ = self.request("GET", "/login", headers={"Accept": "text/html"})
        found = CSRF_RE.search(html)
        if status != 200 or not found:
            return False
        form = urlencode({"csrf": found.group(1).decode(), "next": "/", "name": user, "password": password})
        status, _, location = self.request("POST", "/login", form.encode(),
                                           {"Content-Type": "application/x-www-form-urlencoded",
                                            "Accept": "text/html"})
        return status == 302 and "/login" not in location and "/password" not in location

    def close(self):
        if self.conn is not None:
            self.conn.close()


def replay(browser: Browser, req: dict, path: str, search: str, click_code: str | None = None):
    """Send one captured request for the view (path, search); (status, body)."""
    headers = {k: v for k, v in req.get("headers", {}).items()}
    if req["method"] == "POST":
        body = rewrite(req["body"], path, search, click_code) if req.get("body") else None
        headers.setdefault("Content-Type", "application/json")
        data = json.dumps(body).encode() if body is not None else None
        status, raw, _ = browser.request("POST", req["path"], data, headers)
        if status == 200 and body and "_pages_content" in str(body.get("output")):
            browser.renders += 1              # a page render: the unit of server work for sizing
        return status, raw
    target = path + search if req["type"] == "Document" else req["path"]
    status, raw, _ = browser.request("GET", target, None, headers)
    return status, raw


def run_sequence(browser: Browser, t: Template, path: str, search: str, click_code: str | None = None,
                 after_click: str | None = None) -> str:
    """The template's requests for the view (path, search), in the captured order; '' or what went wrong.
    A callback that answers a new location.search (the navigate callback: a drill click, or the period
    selector settling on first render) moves the later requests to that search, as the browser's URL moves."""
    for req in t.requests:
        click = req["method"] == "POST" and is_click(req.get("body"))
        status, raw = replay(browser, req, path, search, click_code=click_code if click else None)
        if failed(status, raw):
            return f"{req['method']} {req['path'].split('?')[0]} HTTP {status}{said(raw)}"
        if req["method"] == "POST":
            search = searched(raw) or (after_click if click and after_click else search)
    return ""


def run_load(browser: Browser, t: Template, path: str, code: str) -> str:
    """One page load of path at region code."""
    return run_sequence(browser, t, path, f"?region={code}")


def run_drill(browser: Browser, t: Template, path: str, code_from: str, code_to: str) -> str:
    """One drill from code_from to code_to: a bar click's navigate callback and the new view's callbacks,
    or (a page without a drill graph: kind link) the new view's callbacks after a link changed the URL."""
    if t.kind == "link":
        return run_sequence(browser, t, path, f"?region={code_to}")
    return run_sequence(browser, t, path, f"?region={code_from}", click_code=code_to,
                        after_click=f"?region={code_to}")


def run_assets(browser: Browser, t: Template) -> str:
    for req in t.requests:
        status, _raw, _ = browser.request("GET", req["path"], None, {})
        if status not in (200, 304):
            return f"GET {req['path']} HTTP {status}"
    return ""


# ------------------------------------------------------------------ the run
@dataclass
class Config:
    base: str
    users: int = 50
    seconds: float = 60
    think: tuple[float, float] = (1.0, 3.0)
    seed: int = 1
    retry: int = 0
    assets: bool = False
    ramp: float = 5.0
    user: str = servers.BENCH_USER
    password: str = servers.BENCH_PASSWORD
    pages: list[str] = field(default_factory=lambda: list(PAGES))


@dataclass
class Result:
    actions: list[Action]
    logins: list[tuple[float, bool]]
    elapsed: float
    requests: int
    wire_bytes: int
    cpu_s: float
    renders: int = 0


def timed(kind, page, level, fn, retry: int, t0: float, browser: Browser) -> Action:
    action = Action(kind, page, level, time.monotonic() - t0)
    n0, b0 = browser.requests, browser.wire_bytes
    try:
        return _attempts(action, fn, retry)
    finally:
        action.requests, action.bytes = browser.requests - n0, browser.wire_bytes - b0


def _attempts(action: Action, fn, retry: int) -> Action:
    for attempt in range(retry + 1):
        start = time.perf_counter()
        error = fn()
        action.seconds = time.perf_counter() - start
        if not error:
            action.ok, action.retried = True, attempt > 0
            return action
        action.ok = False
        if attempt == 0:
            action.first_error = error
        else:
            action.retried = True
    action.retried = retry > 0
    return action


def deployment_root(database_url: str) -> str:
    """meta.root of the database (the deployment's root region)."""
    from sqlalchemy import create_engine, text
    engine = create_engine(database_url)
    with engine.connect() as conn:
        root = conn.execute(text("SELECT meta_value FROM meta WHERE meta_key = :k"), {"k": "root"}).scalar()
    engine.dispose()
    return str(root)


def run(cfg: Config, tree: dict, levels: dict, root: str, on_half=None) -> Result:
    loads, drills, assets = load_templates()
    pages = [p for p in cfg.pages if p in loads]
    actions: list[Action] = []
    logins: list[tuple[float, bool]] = []
    lock = threading.Lock()
    browsers: list[Browser] = []
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    deadline = t0 + cfg.seconds

    def user(i: int) -> None:
        rng = random.Random(cfg.seed * 1000 + i)
        time.sleep(i * cfg.ramp / max(cfg.users, 1))
        b = Browser(cfg.base)
        with lock:
            browsers.append(b)
        start = time.perf_counter()
        ok = b.login(cfg.user, cfg.password)
        with lock:
            logins.append((time.perf_counter() - start, ok))
        if not ok:
            return
        first = True

        def think():
            time.sleep(rng.uniform(*cfg.think))

        while time.monotonic() < deadline:
            page = rng.choice(pages)
            if first and cfg.assets and assets is not None:
                a = timed("assets", page, "", lambda: run_assets(b, assets), cfg.retry, t0, b)
                with lock:
                    actions.append(a)
            first = False
            a = timed("page load", page, LEVEL_NAMES.get(levels.get(root, 0), ""),
                      lambda: run_load(b, loads[page], page, root), cfg.retry, t0, b)
            with lock:
                actions.append(a)
            think()
            here = root
            template = drills.get(page)
            for code in plan_drills(rng, tree, root, rng.choice((2, 3))) if template else []:
                if time.monotonic() >= deadline:
                    break
                a = timed("drill", page, LEVEL_NAMES.get(levels.get(code, 0), ""),
                          lambda: run_drill(b, template, page, here, code), cfg.retry, t0, b)
                with lock:
                    actions.append(a)
                here = code
                think()
        b.close()

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(cfg.users)]
    for t in threads:
        t.start()
    if on_half is not None:
        time.sleep(max(0.0, t0 + cfg.seconds / 2 - time.monotonic()))
        on_half(time.monotonic() - t0)
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return Result(actions, logins, elapsed, sum(b.requests for b in browsers),
                  sum(b.wire_bytes for b in browsers), cpu, sum(b.renders for b in browsers))


# ------------------------------------------------------------------ report
def rss_snapshot(ports: list[int]) -> dict[int, float]:
    return {pid: mb for port in ports for pid in servers.worker_pids(port)
            if (mb := servers.rss_mb(pid)) is not None}


def report(cfg: Config, result: Result, rss_start: dict, rss_end: dict, load_start, load_end,
           extra: str = "") -> str:
    lines = [f"{cfg.users} users × {result.elapsed:.0f} s against {cfg.base}, think {cfg.think[0]:g}–{cfg.think[1]:g} s, "
             f"seed {cfg.seed}, retry {cfg.retry}{', cold assets' if cfg.assets else ''}{extra}"]
    ok_logins = [s for s, ok in result.logins if ok]
    lines.append(f"sign-ins: {len(ok_logins)}/{len(result.logins)} ok, p50 {percentile(ok_logins, .5):.2f} s")
    lines.append(f"{'action':<10}{'n':>6}{'p50 s':>8}{'p95 s':>8}{'p99 s':>8}{'errors':>8}{'failed':>8}"
                 f"{'req':>7}{'MB':>8}")
    for kind, s in summarize(result.actions).items():
        lines.append(f"{kind:<10}{s['n']:>6}{s['p50']:>8.2f}{s['p95']:>8.2f}{s['p99']:>8.2f}{s['errors']:>8}"
                     f"{s['failed']:>8}{s['requests']:>7}{s['bytes'] / 1e6:>8.1f}")
    lines.append("  (errors: actions whose first try failed; failed: still failed after "
                 f"{cfg.retry} retr{'y' if cfg.retry == 1 else 'ies'})")
    loads = [a for a in result.actions if a.kind == "page load" and a.ok]
    per_page = "  ".join(f"{p} {percentile([a.seconds for a in loads if a.page == p], .95):.2f}"
                         for p in cfg.pages if any(a.page == p for a in loads))
    lines.append(f"page load p95 by page (s): {per_page}")
    errs = [a for a in result.actions if a.first_error]
    if errs:
        lines.append("first errors (t = seconds into the run): " + "; ".join(
            f"t={a.started:.1f} {a.kind} {a.page}: {a.first_error}{' → ok on retry' if a.ok else ''}"
            for a in errs[:12]) + (f" … (+{len(errs) - 12})" if len(errs) > 12 else ""))
    lines.append(f"achieved {result.requests / result.elapsed:.1f} requests/s, "
                 f"{result.renders / result.elapsed:.1f} page renders/s (_pages_content callbacks answered 200), "
                 f"{result.wire_bytes / result.elapsed / 1e6:.2f} MB/s on the wire ({result.wire_bytes / 1e6:.1f} MB)")
    lines.append(f"generator CPU {result.cpu_s:.1f} s ({100 * result.cpu_s / result.elapsed:.0f}% of one core)")
    start_total, end_total = sum(rss_start.values()), sum(rss_end.values())
    lines.append(f"worker RSS start: {_rss_text(rss_start)}  (total {start_total:.0f} MB)")
    lines.append(f"worker RSS end:   {_rss_text(rss_end)}  (total {end_total:.0f} MB)")
    lines.append(f"load average start {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}, "
                 f"end {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f} ({os.cpu_count()} cores)")
    return "\n".join(lines)


def _rss_text(rss: dict) -> str:
    return ", ".join(f"{pid}: {mb:.0f} MB" for pid, mb in sorted(rss.items())) or "(no workers found)"


def to_json(cfg: Config, result: Result, rss_start, rss_end, load_start, load_end) -> dict:
    return {"users": cfg.users, "seconds": result.elapsed, "retry": cfg.retry,
            "summary": summarize(result.actions), "requests_per_s": result.requests / result.elapsed,
            "renders_per_s": result.renders / result.elapsed,
            "wire_mb": result.wire_bytes / 1e6, "generator_cpu_s": result.cpu_s,
            "rss_start_mb": rss_start, "rss_end_mb": rss_end, "load_start": load_start, "load_end": load_end}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:8160 (nginx) or one instance")
    parser.add_argument("--database-url", required=True, help="read once for the region tree")
    parser.add_argument("--root", default=None, help="root region (default: the tree's top)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", default="1,3")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--retry", type=int, default=0, choices=[0, 1])
    parser.add_argument("--assets", action="store_true")
    parser.add_argument("--ramp", type=float, default=5.0)
    parser.add_argument("--ports", default="", help="instance ports whose gunicorn workers' RSS is reported")
    parser.add_argument("--user", default=servers.BENCH_USER)
    parser.add_argument("--password", default=servers.BENCH_PASSWORD)
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    lo, hi = (float(x) for x in args.think.split(","))
    cfg = Config(args.base, args.users, args.seconds, (lo, hi), args.seed, args.retry, args.assets, args.ramp,
                 args.user, args.password)
    tree, levels = region_tree(args.database_url)
    root = args.root or deployment_root(args.database_url)
    ports = [int(p) for p in args.ports.split(",") if p]
    rss0, load0 = rss_snapshot(ports), os.getloadavg()
    result = run(cfg, tree, levels, root)
    rss1, load1 = rss_snapshot(ports), os.getloadavg()
    print(report(cfg, result, rss0, rss1, load0, load1))
    if args.json:
        Path(args.json).write_text(json.dumps(to_json(cfg, result, rss0, rss1, load0, load1), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
