"""Sign-in guard for every request, /login, /logout, /password; flask-login keeps the signed-in account.

Order of identities per request: a wall screen's ?token= (on /screen) → the reverse proxy's trusted header
(VETDASH_TRUSTED_HEADER) → the session cookie → in auth_mode "demo", a loopback visitor is the 领导 demo
session. Nobody else gets anything but the sign-in page (HTML) or a 401 (callbacks).
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
import logging
import os
import secrets
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, g, jsonify, redirect, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from config.settings import SettingsError, default_data_dir
from dashboard.auth import accounts, audit, roles
from dashboard.auth.config import load_rules
from dashboard.auth.html import LOGIN, PASSWORD, REFUSED, page
from dashboard.state_db import state_engine
from dashboard.auth.viewer import Viewer
from queries import codes

log = logging.getLogger("vetdash.auth")

PUBLIC = {"/login", "/healthz", "/logout"}
PUBLIC_ASSET_SUFFIXES = (".css", ".woff", ".woff2")        # the sign-in page's stylesheet only
ADMIN_PATHS = ("/admin/", "/audit")
SELF_PATHS = {"/password"}
SCREEN_PATHS = ("/screen",)
DASH_INTERNAL = ("/_dash-", "/_reload-hash", "/_favicon.ico", "/assets/")
LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}
DEMO_VIEWER = Viewer("演示领导", "演示领导（本机演示）", roles.LEADER, None, demo=True)


def clock() -> float:
    """Wall-clock seconds (a function so tests can move time forward)."""
    return time.time()


class User(UserMixin):
    def __init__(self, acc: dict):
        self.acc = acc
        self.id = acc["name"]


def settings():
    from dashboard.context import get_context
    return get_context().settings


def engine():
    return state_engine(settings().state_db_url)


def init_auth(server: Flask, app_settings) -> None:
    """Session cookie rules, flask-login, the guard and the sign-in routes."""
    rules = load_rules()
    server.secret_key = app_settings.secret_key or _persisted_key(app_settings)
    server.config.update(
        SESSION_COOKIE_NAME="vetdash_session", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(app_settings.tls), PERMANENT_SESSION_LIFETIME=timedelta(hours=rules.max_hours),
        REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax", REMEMBER_COOKIE_SECURE=bool(app_settings.tls))
    manager = LoginManager()
    manager.init_app(server)

    @manager.user_loader
    def load(name):
        acc = accounts.get(engine(), name)
        return User(acc) if acc and acc["active"] else None

    server.before_request(guard)
    server.add_url_rule("/login", "login", login_view, methods=["GET", "POST"])
    server.add_url_rule("/logout", "logout", logout_view, methods=["GET", "POST"])
    server.add_url_rule("/password", "password", password_view, methods=["GET", "POST"])
    from dashboard.auth import admin
    admin.register(server)


def _persisted_key(app_settings) -> str:
    """One random key per data folder, shared by gunicorn workers, restarts and every instance on this host.

    Created with O_EXCL, so two instances starting at once cannot each keep a different key; instances on
    other hosts set VETDASH_SECRET_KEY (docs/deploy.md). Never a random key per process: without a
    writable folder the start stops with one Chinese line."""
    path = Path(default_data_dir()) / "secret_key"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return _read_key(path)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
        return _read_key(path)
    except OSError as exc:
        raise SettingsError(f"配置错误：无法在 {path.parent} 保存会话密钥（{exc.strerror}），"
                            "请设置 VETDASH_SECRET_KEY 或让该目录可写") from None


def _read_key(path: Path) -> str:
    """The key another process may be writing this very moment: wait for its 64 characters."""
    for _ in range(50):
        key = path.read_text().strip()
        if len(key) >= 32:
            return key
        time.sleep(0.02)
    raise OSError(0, "会话密钥文件内容无效（应为至少 32 个字符），请删除后重启")


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def csrf_ok() -> bool:
    sent = request.form.get("csrf", "")
    return bool(sent) and secrets.compare_digest(sent, session.get("csrf", ""))


def viewer_of(acc: dict, **kw) -> Viewer:
    return Viewer(acc["name"], acc["full_name"] or acc["name"], acc["role"], acc["region"], **kw)


# ------------------------------------------------------------------ the guard
def guard():
    """Runs before every request: who is this, and may they have this path at all."""
    path = request.path
    g.pop("scope", None)
    if path in PUBLIC or (path.startswith("/assets/") and path.endswith(PUBLIC_ASSET_SUFFIXES)):
        g.viewer = _identify(quiet=True)
        return None
    viewer = _identify()
    if isinstance(viewer, tuple):              # a refusal or redirect already decided
        return viewer
    if viewer is None:
        return _unauthenticated()
    g.viewer = viewer
    if path in SELF_PATHS or path.startswith(ADMIN_PATHS):
        return None                            # those views check their own permission
    if _needs_password_change():
        return _to("/password")
    if viewer.role == roles.DISPLAY and not (path.startswith(SCREEN_PATHS) or path.startswith(DASH_INTERNAL)):
        return _to("/screen")
    if not viewer.sees_data:
        home = {roles.SYSADMIN: "/admin/accounts", roles.SECADMIN: "/admin/roles", roles.AUDITOR: "/audit"}
        if path == "/" and request.method == "GET" and viewer.role in home:
            return _to(home[viewer.role])
        return refuse(f"您的账号（{roles.NAMES.get(viewer.role, viewer.role)}）不能查看业务数据。"
                      "三员账号仅用于各自的管理工作；查看驾驶舱请使用查看账号。")
    return None


def _identify(quiet: bool = False):
    """The viewer of this request (see module doc), None, or a ready response."""
    s = settings()
    token = request.args.get("token")
    if token and request.path.startswith(SCREEN_PATHS) and not quiet:
        acc = accounts.account_for_token(engine(), token)
        if acc is None:
            audit.record("login_failed", "大屏令牌无效或已吊销", account="", ok=False, ip=request.remote_addr)
            return refuse("大屏令牌无效或已吊销，请联系系统管理员。", status=401)
        if session.get("display") != _digest(token):
            session.clear()
            login_user(User(acc))
            session["display"] = _digest(token)
            audit.record("login", "大屏令牌登录", account=acc["name"], ip=request.remote_addr)
        return viewer_of(acc, via_token=True)
    if s.trusted_header and request.headers.get(s.trusted_header):
        acc = accounts.get(engine(), request.headers[s.trusted_header].strip())
        if acc is None or not acc["active"] or acc["role"] == roles.DISPLAY:
            return None if quiet else refuse("代理传来的账号在本系统中不存在或已停用。", status=403)
        return viewer_of(acc)
    if current_user.is_authenticated:
        acc = current_user.acc
        if session.get("display"):
            # the screen's session lives as long as its token: checked on every request, no idle timeout
            live = _token_live(session["display"])
            if not live:
                _end_session()
                return None if quiet else refuse("大屏令牌已吊销，请联系系统管理员。", status=401)
            return viewer_of(acc, via_token=True)
        now, rules = clock(), load_rules()
        if (now - session.get("seen", 0) > rules.idle_minutes * 60
                or now - session.get("t0", 0) > rules.max_hours * 3600):
            _end_session()
            session["notice"] = "登录已超时，请重新登录"
            return None
        session["seen"] = now
        return viewer_of(acc)
    if s.auth_mode == "demo" and request.remote_addr in LOOPBACK:
        from dashboard.context import get_context    # the root may come from meta.root, not a setting
        return replace(DEMO_VIEWER, region=codes.code12(s.root_region or get_context().base_scope))
    return None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token_live(digest: str) -> bool:
    from sqlalchemy import select
    from dashboard.state_db import tokens
    with engine().connect() as conn:
        row = conn.execute(select(tokens.c.account).where(tokens.c.token_hash == digest,
                                                          tokens.c.revoked_at.is_(None))).first()
    if row is None:
        return False
    acc = accounts.get(engine(), row.account)
    return bool(acc and acc["active"] and acc["role"] == roles.DISPLAY)


def _end_session() -> None:
    logout_user()
    session.clear()


def _needs_password_change() -> bool:
    viewer = g.get("viewer")
    if viewer is None or viewer.demo or viewer.via_token or not current_user.is_authenticated:
        return False
    return accounts.password_expired(current_user.acc, load_rules())


def _is_page_request() -> bool:
    return request.method == "GET" and not request.path.startswith(DASH_INTERNAL)


def _unauthenticated():
    if _is_page_request():
        target = request.full_path.rstrip("?")
        return _to("/login?" + urlencode({"next": target}))
    return jsonify({"message": "未登录或登录已超时，请刷新页面重新登录"}), 401


def _to(url: str):
    return redirect(url, code=302)


def refuse(message: str, status: int = 403):
    """A Chinese refusal: a small page for a browser, JSON for a callback; never data."""
    if _is_page_request():
        return page("无权访问", REFUSED, status=status, message=message, back="/", back_label="返回首页")
    return jsonify({"message": message}), status


# ------------------------------------------------------------------ views
def _safe_next(target: str | None) -> str:
    """Only same-site paths (no //host, no scheme) — an open redirect would help phishing."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def login_view():
    rules, error = load_rules(), ""
    name = ""
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        if not csrf_ok():
            error = "页面已过期，请重新提交"
        else:
            acc, error = accounts.authenticate(engine(), rules, name, request.form.get("password", ""),
                                               ip=request.remote_addr or "")
            if acc is not None:
                nxt = _safe_next(request.form.get("next"))
                session.clear()                        # a fresh session: no fixation across sign-in
                login_user(User(acc))
                session.permanent = True
                session["t0"] = session["seen"] = clock()
                return _to("/password" if accounts.password_expired(acc, rules) else nxt)
    notice = session.pop("notice", "")
    return page("登录", LOGIN, status=401 if error else 200, error=error, notice=notice, name=name,
                csrf=csrf_token(), next=_safe_next(request.args.get("next") or request.form.get("next")))


def logout_view():
    viewer = g.get("viewer")
    if current_user.is_authenticated:
        audit.record("logout", "", account=current_user.id, ip=request.remote_addr)
    _end_session()
    if viewer is not None and viewer.demo:
        return _to("/")
    return _to("/login")


def password_view():
    if not current_user.is_authenticated or session.get("display"):
        return _to("/login")
    rules, error = load_rules(), ""
    acc = current_user.acc
    if request.method == "POST":
        if not csrf_ok():
            error = "页面已过期，请重新提交"
        elif request.form.get("new") != request.form.get("again"):
            error = "两次输入的新密码不一致"
        else:
            try:
                accounts.change_password(engine(), rules, acc["name"], request.form.get("old", ""),
                                         request.form.get("new", ""))
                return _to("/")
            except ValueError as exc:
                error = str(exc)
    reason = ("请先修改密码：密码为管理员设置或已超过有效期" if accounts.password_expired(acc, rules) else "")
    rule = f"至少 {rules.min_length} 位，含大写字母、小写字母、数字、符号中至少 {rules.min_classes} 类，不得包含账号名。"
    return page("修改密码", PASSWORD, status=400 if error else 200, reason=reason, error=error,
                csrf=csrf_token(), rule=rule)
