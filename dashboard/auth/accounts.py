"""Account operations on the state database, each checked against the acting role and written to the audit log.

The actor is an `Actor` (a signed-in administrator) or CONSOLE (the operator at the server's shell running
`vetdash user …`, the root of trust that creates the first administrators).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update

from dashboard.auth import audit, roles
from dashboard.auth.config import AuthRules
from dashboard.auth.passwords import complexity_problems, generate_password, hash_password, verify_password
from dashboard.state_db import accounts, tokens
from queries import codes


class Denied(PermissionError):
    """The acting account may not do this (Chinese message)."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: str


CONSOLE = Actor("命令行", "console")


def _short(code: str | None) -> str:
    return codes.short_code(code) if code else ""


def _require(actor: Actor, permission: str) -> None:
    if actor is CONSOLE or actor.role == "console":
        return
    if not roles.can(actor.role, permission):
        what = {"accounts": "账号管理（系统管理员）", "roles": "角色与范围分配（安全管理员）",
                "audit": "审计日志（审计管理员）"}[permission]
        raise Denied(f"{roles.NAMES.get(actor.role, actor.role)}无权进行{what}")


def get(engine, name: str) -> dict | None:
    with engine.connect() as conn:
        row = conn.execute(select(accounts).where(accounts.c.name == name)).first()
    return dict(row._mapping) if row else None


def list_all(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(accounts).order_by(accounts.c.name))]


def _must(engine, name: str) -> dict:
    acc = get(engine, name)
    if acc is None:
        raise ValueError(f"账号“{name}”不存在")
    return acc


def add(engine, actor: Actor, rules: AuthRules, name: str, full_name: str = "", role: str = "",
        region: str | None = None, root: str = "4310", password: str | None = None,
        must_change: bool | None = None) -> str:
    """Create an account; returns its (generated unless given) password. Only the console may also set
    the role in the same step — on the web the 安全管理员 assigns it afterwards."""
    _require(actor, "accounts")
    name = (name or "").strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise ValueError("账号名不能为空、不能含空格，最长 64 个字符")
    if get(engine, name):
        raise ValueError(f"账号“{name}”已存在")
    if must_change is None:          # a password someone else chose or saw is changed at first sign-in
        must_change = actor is not CONSOLE or password is None
    if role and actor is not CONSOLE:
        _require(actor, "roles")
    role = roles.parse_role(role) if role else ""
    region_code = roles.check_region(role, region, root)
    if role == roles.DISPLAY:
        password_hash = None                        # signs in only by its screen token
    else:
        password = password or generate_password(rules)
        problems = complexity_problems(password, rules, name)
        if problems:
            raise ValueError("密码不符合要求：" + "；".join(problems))
        password_hash = hash_password(password)
    now = audit.now()
    with engine.begin() as conn:
        conn.execute(insert(accounts).values(
            name=name, full_name=full_name or name, password_hash=password_hash, role=role,
            region=region_code, active=True, failures=0, password_changed_at=now,
            must_change=must_change, created_at=now))
    audit.record("account_add", f"{name}（{roles.NAMES[role]} {_short(region_code)}）".replace(" ）", "）"),
                 account=actor.name, engine=engine)
    return password or ""


def set_active(engine, actor: Actor, name: str, active: bool) -> None:
    _require(actor, "accounts")
    _must(engine, name)
    with engine.begin() as conn:
        conn.execute(update(accounts).where(accounts.c.name == name).values(active=active, failures=0,
                                                                            locked_until=None))
    audit.record("account_enable" if active else "account_disable", name, account=actor.name, engine=engine)


def reset_password(engine, actor: Actor, rules: AuthRules, name: str) -> str:
    """A new random password the user must change at the next sign-in; also lifts a lock-out."""
    _require(actor, "accounts")
    acc = _must(engine, name)
    if acc["role"] == roles.DISPLAY:
        raise ValueError("大屏账号没有密码，请用 vetdash user token 管理其令牌")
    password = generate_password(rules)
    with engine.begin() as conn:
        conn.execute(update(accounts).where(accounts.c.name == name).values(
            password_hash=hash_password(password), failures=0, locked_until=None, must_change=True,
            password_changed_at=audit.now()))
    audit.record("password_reset", name, account=actor.name, engine=engine)
    return password


def set_role(engine, actor: Actor, name: str, role: str, region: str | None, root: str) -> None:
    """安全管理员 assigns a role and region; never to his own account."""
    _require(actor, "roles")
    acc = _must(engine, name)
    if actor.name == name and actor is not CONSOLE:
        raise Denied("不能修改自己账号的角色")
    role = roles.parse_role(role)
    if role == roles.DISPLAY and acc["password_hash"]:
        raise ValueError("大屏显示角色只能用于新建的大屏账号")
    region_code = roles.check_region(role, region, root)
    with engine.begin() as conn:
        conn.execute(update(accounts).where(accounts.c.name == name).values(role=role, region=region_code))
    audit.record("role_change", f"{name}：{roles.NAMES.get(acc['role'], acc['role'])} {_short(acc['region'])} → "
                                f"{roles.NAMES[role]} {_short(region_code)}", account=actor.name, engine=engine)


def authenticate(engine, rules: AuthRules, name: str, password: str, ip: str = "") -> tuple[dict | None, str]:
    """(account, "") on success; (None, Chinese reason) otherwise. Counts failures and locks after N."""
    acc = get(engine, (name or "").strip())
    now = audit.now()
    if acc is None or acc["role"] == roles.DISPLAY:
        audit.record("login_failed", f"未知账号“{name}”", account=name or "", ok=False, ip=ip, engine=engine)
        return None, "账号或密码错误"
    if not acc["active"]:
        audit.record("login_failed", "账号已停用", account=acc["name"], ok=False, ip=ip, engine=engine)
        return None, "账号已停用，请联系系统管理员"
    if acc["locked_until"] and acc["locked_until"] > now:
        audit.record("login_failed", "账号锁定中", account=acc["name"], ok=False, ip=ip, engine=engine)
        return None, f"连续输错密码，账号已锁定，请于 {acc['locked_until']:%H:%M} 后再试或联系系统管理员"
    if not verify_password(acc["password_hash"], password or ""):
        with engine.begin() as conn:
            # counted in the database (failures + 1), not read-then-written: several workers and instances
            # share the count, and two wrong passwords at the same moment on two of them are two failures
            conn.execute(update(accounts).where(accounts.c.name == acc["name"]).values(
                failures=accounts.c.failures + 1))
            failures = conn.execute(select(accounts.c.failures).where(accounts.c.name == acc["name"])).scalar_one()
            locked = now + timedelta(minutes=rules.lock_minutes) if failures >= rules.max_failures else None
            if locked:
                conn.execute(update(accounts).where(accounts.c.name == acc["name"]).values(
                    failures=0, locked_until=locked))
        audit.record("login_failed", "密码错误", account=acc["name"], ok=False, ip=ip, engine=engine)
        if locked:
            audit.record("locked", f"连续 {failures} 次密码错误，锁定 {rules.lock_minutes} 分钟",
                         account=acc["name"], ok=False, ip=ip, engine=engine)
            return None, f"连续输错密码 {failures} 次，账号已锁定 {rules.lock_minutes} 分钟"
        return None, f"账号或密码错误（再错 {rules.max_failures - failures} 次将锁定账号）"
    with engine.begin() as conn:
        conn.execute(update(accounts).where(accounts.c.name == acc["name"]).values(failures=0, locked_until=None))
    audit.record("login", "登录成功", account=acc["name"], ip=ip, engine=engine)
    return acc, ""


def password_expired(acc: dict, rules: AuthRules, now: datetime | None = None) -> bool:
    """The password must be changed before anything else (reset, first sign-in, or older than expiry_days)."""
    if acc.get("must_change"):
        return True
    if rules.expiry_days <= 0 or acc.get("password_changed_at") is None:
        return False
    return (now or audit.now()) - acc["password_changed_at"] > timedelta(days=rules.expiry_days)


def change_password(engine, rules: AuthRules, name: str, old: str, new: str) -> None:
    """The user's own change (old password required); Chinese errors for a wrong old or weak new one."""
    acc = _must(engine, name)
    if not verify_password(acc["password_hash"], old or ""):
        raise ValueError("原密码不正确")
    if old == new:
        raise ValueError("新密码不能与原密码相同")
    problems = complexity_problems(new or "", rules, name)
    if problems:
        raise ValueError("新密码不符合要求：" + "；".join(problems))
    with engine.begin() as conn:
        conn.execute(update(accounts).where(accounts.c.name == name).values(
            password_hash=hash_password(new), must_change=False, password_changed_at=audit.now()))
    audit.record("password_change", name, account=name, engine=engine)


# ------------------------------------------------------------------ wall-screen display tokens
def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_token(engine, actor: Actor, name: str) -> str:
    """A long random token for a display account's screen URL (shown once, kept only as a hash)."""
    _require(actor, "accounts")
    acc = _must(engine, name)
    if acc["role"] != roles.DISPLAY:
        raise ValueError(f"账号“{name}”不是大屏显示账号（请先由安全管理员将其角色设为“大屏显示”）")
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(insert(tokens).values(token_hash=_digest(token), account=name, created_at=audit.now()))
    audit.record("token_add", name, account=actor.name, engine=engine)
    return token


def revoke_tokens(engine, actor: Actor, name: str) -> int:
    _require(actor, "accounts")
    _must(engine, name)
    with engine.begin() as conn:
        n = conn.execute(update(tokens).where(tokens.c.account == name, tokens.c.revoked_at.is_(None))
                         .values(revoked_at=audit.now())).rowcount
    audit.record("token_revoke", f"{name}（{n} 个）", account=actor.name, engine=engine)
    return n


def account_for_token(engine, token: str) -> dict | None:
    """The active display account a live (unrevoked) token belongs to, else None."""
    if not token or len(token) < 20:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(tokens).where(tokens.c.token_hash == _digest(token),
                                                tokens.c.revoked_at.is_(None))).first()
    if row is None:
        return None
    acc = get(engine, row.account)
    return acc if acc and acc["active"] and acc["role"] == roles.DISPLAY else None
