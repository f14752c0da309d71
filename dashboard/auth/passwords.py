"""Password hashing (argon2id) and the complexity rule from config/auth.toml."""
from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboard.auth.config import AuthRules

_HASHER = PasswordHasher()        # argon2id, library defaults (RFC 9106 low-memory profile)
CLASSES = (("大写字母", str.isupper), ("小写字母", str.islower), ("数字", str.isdigit),
           ("符号", lambda c: not c.isalnum() and not c.isspace()))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when the password matches; never raises on a wrong password or a damaged hash."""
    if not stored:
        return False
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def complexity_problems(password: str, rules: AuthRules, name: str = "") -> list[str]:
    """Chinese reasons the password is too weak ([] when it passes)."""
    problems = []
    if len(password) < rules.min_length:
        problems.append(f"长度至少 {rules.min_length} 位")
    present = sum(1 for _, test in CLASSES if any(test(c) for c in password))
    if present < rules.min_classes:
        problems.append(f"须包含{'、'.join(n for n, _ in CLASSES)}中至少 {rules.min_classes} 类")
    if name and name.lower() in password.lower():
        problems.append("不得包含账号名")
    return problems


def generate_password(rules: AuthRules) -> str:
    """A random password that meets the rules (for new accounts, resets and demo accounts)."""
    alphabet = string.ascii_letters + string.digits + "!@#%&*?"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(max(rules.min_length, 14)))
        if not complexity_problems(candidate, rules) and sum(
                1 for _, t in CLASSES if any(t(c) for c in candidate)) == 4:
            return candidate
