"""Sign-in over HTTP (Flask test client): guard, cookies, expiry, each role × each page × in/out of scope,
the administrators' pages, the audit download and the wall screen's token."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from dashboard import labels
from dashboard.auth import accounts, web
from dashboard.auth.accounts import CONSOLE
from tests.auth_support import PASSWORD, render, required_app, sign_in  # noqa: F401  (fixture)

PAGES = [p for p, _ in labels.PAGES]
REFUSAL = "不在您的查看范围"


def test_unsigned_requests_get_sign_in_or_401(required_app):
    app, _ = required_app
    client = app.server.test_client()
    r = client.get("/?region=431022")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login?next=")
    r = client.post("/_dash-update-component", json={})
    assert r.status_code == 401 and "未登录" in r.get_json()["message"]
    assert client.get("/_dash-dependencies").status_code == 401
    assert client.get("/healthz").status_code == 200
    page = client.get("/login").get_data(as_text=True)
    assert "账号" in page and "密码" in page and 'name="csrf"' in page


def test_sign_in_sets_safe_cookie_and_wrong_password_is_refused(required_app):
    app, _ = required_app
    client = app.server.test_client()
    r = sign_in(client, "t-leader", "wrong-password")
    assert r.status_code == 401 and "账号或密码错误" in r.get_data(as_text=True)
    r = sign_in(client, "t-leader", next_url="/rankings")
    assert r.status_code == 302 and r.headers["Location"] == "/rankings"
    cookie = next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("vetdash_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/_dash-dependencies").status_code == 200


def test_csrf_token_required(required_app):
    app, _ = required_app
    client = app.server.test_client()
    r = client.post("/login", data={"name": "t-leader", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 401 and "页面已过期" in r.get_data(as_text=True)


def test_open_redirect_refused(required_app):
    app, _ = required_app
    r = sign_in(app.server.test_client(), "t-leader", next_url="//evil.example/x")
    assert r.headers["Location"] == "/"


def test_session_expires_after_idle_time(required_app, monkeypatch):
    app, _ = required_app
    client = app.server.test_client()
    t = [1_000_000.0]
    monkeypatch.setattr(web, "clock", lambda: t[0])
    sign_in(client, "t-leader")
    assert client.get("/_dash-dependencies").status_code == 200
    t[0] += 29 * 60                                     # 29 minutes idle: still signed in (limit 30)
    assert client.get("/_dash-dependencies").status_code == 200
    t[0] += 31 * 60
    assert client.get("/_dash-dependencies").status_code == 401
    r = client.get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert "登录已超时" in client.get("/login").get_data(as_text=True)


def test_lockout_over_http_is_audited(required_app):
    app, engine = required_app
    accounts.add(engine, CONSOLE, web.load_rules(), "t-locky", role="领导", password=PASSWORD, must_change=False)
    client = app.server.test_client()
    for _ in range(5):
        r = sign_in(client, "t-locky", "Wrong-Pass-000")
    assert "账号已锁定" in r.get_data(as_text=True)
    assert "账号已锁定" in sign_in(client, "t-locky").get_data(as_text=True)
    events = [row["event"] for row in web.audit.query(engine, account="t-locky")]
    assert events == ["login_failed", "locked"] + ["login_failed"] * 5   # newest first


def test_must_change_password_first(required_app):
    app, engine = required_app
    pw = accounts.add(engine, CONSOLE, web.load_rules(), "t-newbie", role="领导")      # generated: must change
    client = app.server.test_client()
    r = sign_in(client, "t-newbie", pw)
    assert r.headers["Location"] == "/password"
    assert client.get("/").headers["Location"].endswith("/password")
    page = client.get("/password").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = client.post("/password", data={"csrf": csrf, "old": pw, "new": "Brand-New-2026", "again": "Brand-New-2026"})
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert client.get("/_dash-dependencies").status_code == 200


# ------------------------------------------------------------------ role × page × region
CASES = [  # account, region asked, allowed?
    ("t-leader", "431022101", True), ("t-leader", "4301", False),
    ("t-director", "431022", True), ("t-director", "431022101", True),
    ("t-director", "431002", False), ("t-director", "431002001", False),
    ("t-staff", "431022101", True), ("t-staff", "431022102", False), ("t-staff", "431022", False),
]
NAMES = {"431022101": "白石渡镇", "431022": "宜章县"}


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("account,region,allowed", CASES)
def test_role_page_region(required_app, account, region, allowed, path):
    app, _ = required_app
    client = app.server.test_client()
    sign_in(client, account)
    status, text = render(client, path, f"?region={region}")
    assert status == 200
    if allowed:
        assert REFUSAL not in text and "页面生成出错" not in text
        assert NAMES.get(region, "") in text
    else:
        assert REFUSAL in text
        assert f'"{region}' not in text.replace(f"区划“{region}”", "")       # no data keyed by the code


@pytest.mark.parametrize("path,allowed", [(p, p in ("/", "/rankings")) for p in PAGES])
def test_director_peer_view_of_the_city(required_app, path, allowed):
    """县局局长 at the city: 总览 and 排名 show every county's county-level values; other pages refuse."""
    app, _ = required_app
    client = app.server.test_client()
    sign_in(client, "t-director")
    status, text = render(client, path, "?region=4310")
    assert status == 200
    if allowed:
        assert "北湖区" in text and "宜章县" in text and "只能查看" not in text and "页面生成出错" not in text
    else:
        assert "仅可查看本县" in text


def test_administrators_see_no_data_and_only_their_page(required_app):
    app, _ = required_app
    homes = {"t-sysadmin": "/admin/accounts", "t-secadmin": "/admin/roles", "t-auditor": "/audit"}
    for name, home in homes.items():
        client = app.server.test_client()
        sign_in(client, name)
        assert client.get("/").headers["Location"] == home
        assert client.get("/_dash-dependencies").status_code == 403
        r = client.post("/_dash-update-component", json={"output": "x.children", "inputs": [], "state": []})
        assert r.status_code == 403 and "不能查看业务数据" in r.get_json()["message"]
        for other in set(homes.values()) - {home}:
            r = client.get(other)
            assert r.status_code == 403 and "本页仅限" in r.get_data(as_text=True)
        assert client.get(home).status_code == 200


def test_viewers_cannot_open_admin_pages(required_app):
    app, _ = required_app
    client = app.server.test_client()
    sign_in(client, "t-leader")
    for path in ("/admin/accounts", "/admin/roles", "/audit", "/audit.xlsx"):
        assert client.get(path).status_code == 403


def test_auditor_filters_and_downloads_excel(required_app):
    app, _ = required_app
    sign_in(app.server.test_client(), "t-leader", "Wrong-Pass-111")
    client = app.server.test_client()
    sign_in(client, "t-auditor")
    page = client.get("/audit?account=t-leader&event=login_failed").get_data(as_text=True)
    assert "登录失败" in page and "t-leader" in page
    r = client.get("/audit.xlsx?account=t-leader&event=login_failed")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("时间", "账号", "事件", "结果", "来源地址", "详情")
    assert len(rows) >= 2 and all(row[1] == "t-leader" and row[2] == "登录失败" and row[3] == "失败" for row in rows[1:])


def test_sysadmin_web_creates_account_without_role(required_app):
    app, engine = required_app
    client = app.server.test_client()
    sign_in(client, "t-sysadmin")
    page = client.get("/admin/accounts").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    name = f"t-web-{len(accounts.list_all(engine))}"
    text = client.post("/admin/accounts", data={"csrf": csrf, "op": "add", "name": name}).get_data(as_text=True)
    assert f"已新建账号“{name}”" in text and accounts.get(engine, name)["role"] == ""


# ------------------------------------------------------------------ wall screen
def test_display_token_survives_session_expiry_until_revoked(required_app, monkeypatch):
    app, engine = required_app
    if accounts.get(engine, "t-wall") is None:
        accounts.add(engine, CONSOLE, web.load_rules(), "t-wall", role="大屏显示", region="4310")
    token = accounts.add_token(engine, CONSOLE, "t-wall")
    t = [2_000_000.0]
    monkeypatch.setattr(web, "clock", lambda: t[0])
    client = app.server.test_client()
    assert client.get(f"/screen?token={token}").status_code == 200
    status, text = render(client, "/", "?region=4310")           # the screen's refresh: cookie, no token
    assert status == 200 and "宜章县" in text
    t[0] += 48 * 3600                                            # two days later: past idle and max session
    status, text = render(client, "/", "?region=4310")
    assert status == 200 and "宜章县" in text
    assert client.get("/funds").headers["Location"] == "/screen"  # a screen shows the screen only
    accounts.revoke_tokens(engine, CONSOLE, "t-wall")
    r = client.post("/_dash-update-component", json={})
    assert r.status_code == 401 and "吊销" in r.get_json()["message"]
    assert client.get(f"/screen?token={token}").status_code == 401


def test_wrong_token_refused(required_app):
    app, _ = required_app
    r = app.server.test_client().get("/screen?token=" + "x" * 43)
    assert r.status_code == 401 and "令牌无效" in r.get_data(as_text=True)


def test_watermark_names_the_viewer(required_app):
    app, _ = required_app
    client = app.server.test_client()
    sign_in(client, "t-director")
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "watermark" in layout and "t-director" in layout and "pointer-events" not in layout


# ------------------------------------------------------------------ demo mode, proxy header, command line
def test_demo_mode_serves_loopback_only(live_db_url):
    from tests.browser import get_app
    client = get_app(live_db_url).server.test_client()            # the shared app runs in "demo" mode
    assert client.get("/_dash-dependencies").status_code == 200   # 127.0.0.1: the 领导 demo session
    remote = client.get("/_dash-dependencies", environ_base={"REMOTE_ADDR": "10.20.30.40"})
    assert remote.status_code == 401                               # anyone else signs in
    page = client.get("/?region=4310", environ_base={"REMOTE_ADDR": "10.20.30.40"})
    assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_trusted_header_from_reverse_proxy(required_app, monkeypatch):
    from dataclasses import replace
    from dashboard.context import get_context
    app, _ = required_app
    ctx = get_context()
    monkeypatch.setattr(ctx, "settings", replace(ctx.settings, trusted_header="X-Remote-User"))
    client = app.server.test_client()
    r = client.post("/_dash-update-component", json={}, headers={"X-Remote-User": "nobody"})
    assert r.status_code == 403 and "不存在或已停用" in r.get_json()["message"]
    deps = client.get("/_dash-dependencies", headers={"X-Remote-User": "t-director"})
    assert deps.status_code == 200
    assert client.get("/_dash-dependencies").status_code == 401     # without the header: not signed in


def test_user_command_line(tmp_path, monkeypatch, capsys):
    from dashboard.cli import main
    monkeypatch.setenv("VETDASH_STATE_URL", f"sqlite:///{tmp_path}/state.sqlite")
    assert main(["user", "add", "zhang", "--role", "县局局长", "--region", "431022"]) == 0
    out = capsys.readouterr().out
    password = out.split("初始密码：")[1].split()[0]
    assert len(password) >= 14
    assert main(["user", "add", "wall", "--role", "大屏显示"]) == 0
    assert main(["user", "token", "add", "wall"]) == 0
    token = capsys.readouterr().out.split("token=")[1].strip()
    assert main(["user", "disable", "zhang"]) == 0
    assert main(["user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "zhang" in listing and "县局局长" in listing and "431022" in listing and "停用" in listing
    assert main(["user", "token", "revoke", "wall"]) == 0
    assert "吊销 wall 的 1 个令牌" in capsys.readouterr().out
    assert main(["user", "add", "li", "--role", "县局局长", "--region", "4310"]) == 2
    assert "县级" in capsys.readouterr().err
    from dashboard.auth import accounts
    from dashboard.state_db import state_engine as engine_for
    assert accounts.account_for_token(engine_for(f"sqlite:///{tmp_path}/state.sqlite"), token) is None
