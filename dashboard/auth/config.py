"""Sign-in rules from config/auth.toml (password complexity and expiry, lock-out, sessions, audit retention)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).resolve().parents[2] / "config" / "auth.toml"
MIN_RETENTION_DAYS = 180          # 等保: logs kept at least six months


@dataclass(frozen=True)
class AuthRules:
    min_length: int = 10
    min_classes: int = 3
    expiry_days: int = 90
    max_failures: int = 5
    lock_minutes: int = 15
    idle_minutes: int = 30
    max_hours: int = 8
    retention_days: int = 365


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> AuthRules:
    """Rules from the TOML file; a retention shorter than 180 days is refused (Chinese message)."""
    data = tomllib.loads(Path(path or PATH).read_text(encoding="utf-8"))
    pw, lock, sess, aud = (data.get(k, {}) for k in ("password", "lockout", "session", "audit"))
    rules = AuthRules(
        min_length=int(pw.get("min_length", 10)), min_classes=int(pw.get("min_classes", 3)),
        expiry_days=int(pw.get("expiry_days", 90)), max_failures=int(lock.get("max_failures", 5)),
        lock_minutes=int(lock.get("lock_minutes", 15)), idle_minutes=int(sess.get("idle_minutes", 30)),
        max_hours=int(sess.get("max_hours", 8)), retention_days=int(aud.get("retention_days", 365)))
    if rules.retention_days < MIN_RETENTION_DAYS:
        raise ValueError(f"config/auth.toml：审计日志保留天数不得少于 {MIN_RETENTION_DAYS} 天")
    if rules.max_failures < 1 or rules.min_length < 8:
        raise ValueError("config/auth.toml：锁定次数至少 1 次，密码最短不少于 8 位")
    return rules
