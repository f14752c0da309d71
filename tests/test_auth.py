"""Accounts without HTTP: password rules, hashing, lock-out, expiry, the 三员 separation, display tokens, audit."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from dashboard.auth import accounts, audit
from dashboard.auth.accounts import CONSOLE, Actor, Denied
from dashboard.auth.config import AuthRules, load_rules
from dashboard.auth.passwords import complexity_problems, generate_password, hash_password, verify_password
from dashboard.state_db import accounts as account_table, audit_log, state_engine as engine_for

RULES = AuthRules(min_length=10, min_classes=3, expiry_days=90, max_failures=3, lock_minutes=15)
GOOD = "Abcdef-12345"


@pytest.fixture
def engine(tmp_path):
    return engine_for(f"sqlite:///{tmp_path}/state.sqlite")


def test_complexity_rules():
    assert complexity_problems("Ab1-", RULES) == ["长度至少 10 位"]
    assert complexity_problems("abcdefghijkl", RULES) == ["须包含大写字母、小写字母、数字、符号中至少 3 类"]
    assert complexity_problems("Zhang-2026-ok", RULES, name="zhang") == ["不得包含账号名"]
    assert complexity_problems(GOOD, RULES) == []


def test_generated_password_meets_rules():
    for _ in range(20):
        pw = generate_password(RULES)
        assert complexity_problems(pw, RULES) == [] and len(pw) >= 14


def test_hash_is_argon2_and_verifies():
    h = hash_password(GOOD)
    assert h.startswith("$argon2id$") and GOOD not in h
    assert verify_password(h, GOOD) and not verify_password(h, GOOD + "x")
    assert not verify_password("not-a-hash", GOOD) and not verify_password(None, GOOD)


def test_weak_password_refused_on_add(engine):
    with pytest.raises(ValueError, match="密码不符合要求"):
        accounts.add(engine, CONSOLE, RULES, "li", role="领导", password="password")


def test_lockout_after_n_failures_then_unlock_by_reset(engine):
    accounts.add(engine, CONSOLE, RULES, "li", role="领导", password=GOOD, must_change=False)
    assert accounts.authenticate(engine, RULES, "li", "wrong")[1] == "账号或密码错误（再错 2 次将锁定账号）"
    accounts.authenticate(engine, RULES, "li", "wrong")
    acc, msg = accounts.authenticate(engine, RULES, "li", "wrong")
    assert acc is None and msg == "连续输错密码 3 次，账号已锁定 15 分钟"
    acc, msg = accounts.authenticate(engine, RULES, "li", GOOD)        # right password, still locked
    assert acc is None and msg.startswith("连续输错密码，账号已锁定")
    new = accounts.reset_password(engine, CONSOLE, RULES, "li")
    acc, msg = accounts.authenticate(engine, RULES, "li", new)
    assert acc is not None and msg == ""
    assert accounts.password_expired(acc, RULES)                       # a reset password must be changed


def test_lock_ends_after_lock_minutes(engine):
    accounts.add(engine, CONSOLE, RULES, "li", role="领导", password=GOOD, must_change=False)
    for _ in range(3):
        accounts.authenticate(engine, RULES, "li", "wrong")
    with engine.begin() as conn:      # the lock began 16 minutes ago
        conn.execute(update(account_table).values(locked_until=datetime.now() - timedelta(minutes=1)))
    assert accounts.authenticate(engine, RULES, "li", GOOD)[0] is not None


def test_password_expiry(engine):
    accounts.add(engine, CONSOLE, RULES, "li", role="领导", password=GOOD, must_change=False)
    acc = accounts.get(engine, "li")
    assert not accounts.password_expired(acc, RULES)
    assert accounts.password_expired(acc, RULES, now=acc["password_changed_at"] + timedelta(days=91))
    assert not accounts.password_expired(acc, RULES, now=acc["password_changed_at"] + timedelta(days=89))
    accounts.change_password(engine, RULES, "li", GOOD, "Neues-Pass-777")
    with pytest.raises(ValueError, match="原密码不正确"):
        accounts.change_password(engine, RULES, "li", GOOD, "Neues-Pass-888")


def test_disabled_account_cannot_sign_in(engine):
    accounts.add(engine, CONSOLE, RULES, "li", role="领导", password=GOOD, must_change=False)
    accounts.set_active(engine, CONSOLE, "li", False)
    assert accounts.authenticate(engine, RULES, "li", GOOD) == (None, "账号已停用，请联系系统管理员")


def test_three_administrators_cannot_do_each_others_work(engine):
    sysadmin, secadmin, auditor = Actor("s", "sysadmin"), Actor("k", "secadmin"), Actor("a", "auditor")
    accounts.add(engine, CONSOLE, RULES, "li", role="工作人员", region="431022", password=GOOD)
    accounts.add(engine, CONSOLE, RULES, "k", role="安全管理员", password=GOOD)
    # 系统管理员: accounts yes, roles no
    accounts.add(engine, sysadmin, RULES, "wang")
    assert accounts.get(engine, "wang")["role"] == ""                  # no role until 安全管理员 assigns one
    with pytest.raises(Denied, match="安全管理员"):
        accounts.set_role(engine, sysadmin, "wang", "领导", None, "4310")
    with pytest.raises(Denied):
        accounts.add(engine, sysadmin, RULES, "zhao", role="领导")
    # 安全管理员: roles yes (not his own), accounts no
    accounts.set_role(engine, secadmin, "wang", "县局局长", "431022", "4310")
    assert accounts.get(engine, "wang")["region"] == "431022000000"
    with pytest.raises(Denied, match="自己"):
        accounts.set_role(engine, secadmin, "k", "领导", None, "4310")
    for op in (lambda a: accounts.add(engine, a, RULES, "x1"), lambda a: accounts.reset_password(engine, a, RULES, "li"),
               lambda a: accounts.set_active(engine, a, "li", False), lambda a: accounts.add_token(engine, a, "li")):
        with pytest.raises(Denied, match="系统管理员"):
            op(secadmin)
        with pytest.raises(Denied):
            op(auditor)
    with pytest.raises(Denied):
        accounts.set_role(engine, auditor, "li", "领导", None, "4310")
    assert accounts.get(engine, "li")["active"] and accounts.get(engine, "li")["role"] == "staff"


def test_director_region_must_be_a_county(engine):
    with pytest.raises(ValueError, match="县级"):
        accounts.add(engine, CONSOLE, RULES, "z", role="县局局长", region="4310", password=GOOD)
    with pytest.raises(ValueError, match="不在本系统"):
        accounts.add(engine, CONSOLE, RULES, "z", role="工作人员", region="430102", password=GOOD)


def test_display_token_until_revoked(engine):
    accounts.add(engine, CONSOLE, RULES, "wall", role="大屏显示")
    token = accounts.add_token(engine, CONSOLE, "wall")
    assert len(token) >= 40
    assert accounts.account_for_token(engine, token)["name"] == "wall"
    assert accounts.account_for_token(engine, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert accounts.revoke_tokens(engine, CONSOLE, "wall") == 1
    assert accounts.account_for_token(engine, token) is None
    assert accounts.authenticate(engine, RULES, "wall", "")[0] is None     # no password sign-in for a screen


def test_audit_records_changes_and_purges_old_rows(engine):
    accounts.add(engine, CONSOLE, RULES, "li", role="领导", password=GOOD)
    accounts.authenticate(engine, RULES, "li", "wrong", ip="10.1.2.3")
    rows = audit.query(engine)
    assert [r["event"] for r in rows] == ["login_failed", "account_add"]
    assert rows[0]["ip"] == "10.1.2.3" and rows[0]["ok"] is False and rows[1]["account"] == "命令行"
    with engine.begin() as conn:
        conn.execute(audit_log.insert().values(at=datetime.now() - timedelta(days=200), account="old",
                                               event="login", ok=True, ip="", detail=""))
        conn.execute(audit_log.insert().values(at=datetime.now() - timedelta(days=170), account="kept",
                                               event="login", ok=True, ip="", detail=""))
    assert audit.purge(engine, 180) == 1
    assert {r["account"] for r in audit.query(engine, event="login")} == {"kept"}


def test_config_refuses_short_retention(tmp_path):
    path = tmp_path / "auth.toml"
    path.write_text("[audit]\nretention_days = 90\n", encoding="utf-8")
    with pytest.raises(ValueError, match="180"):
        load_rules(str(path))
    assert load_rules().retention_days >= 180
