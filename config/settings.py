"""One typed settings object, read once from the environment (VETDASH_*) and checked at start.

A bad value stops the start with one Chinese line naming the variable (SettingsError), never a traceback.
Timeouts form a chain, each below the next, so the innermost one fires first with its own message:
    statement timeout (VETDASH_STATEMENT_TIMEOUT_MS, per query, enforced by the database)
  < request deadline  (VETDASH_REQUEST_DEADLINE_S, all queries of one page request together)
  < gunicorn worker timeout (dashboard/cli.py: deadline + 15 s; restarts a worker whose main loop hangs)
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.engine import make_url

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
REDIS_CACHE_TIMEOUT_S = 86400        # default page-cache lifetime with VETDASH_REDIS_URL (else 300 s)
DIALECTS = ("sqlite", "postgresql", "mysql", "mariadb")


class SettingsError(ValueError):
    """A VETDASH_* value that cannot be used; the message is one Chinese line."""


def default_data_dir() -> Path:
    """User data folder for the demo database (never inside the repository)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "vetdash"


def default_demo_path() -> Path:
    return default_data_dir() / "demo.sqlite"


def default_state_path() -> Path:
    """The dashboard's own state database (weekly snapshots, …), beside the demo database."""
    return default_data_dir() / "state.sqlite"


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=lambda: f"sqlite:///{default_demo_path()}")
    root_region: str | None = None     # overrides the database's meta.root (short or 12-digit code)
    scope_region: str | None = None    # viewer's subtree; None = the root
    statement_timeout_ms: int = 5000   # per query; 0 = no limit (on every database)
    request_deadline_s: float = 15.0   # all queries of one request; 0 = no limit
    cache_timeout_s: int = 300
    cache_type: str = "SimpleCache"
    redis_url: str | None = None       # VETDASH_REDIS_URL: shared cache, export progress (docs/deploy.md)
    as_of: str | None = None           # override "today" (YYYY-MM-DD); default: the data's as-of date
    log_level: str = "INFO"            # INFO shows one line per query with its duration
    state_url: str = field(default_factory=lambda: f"sqlite:///{default_state_path()}")  # the dashboard's own state
    debug: bool = False
    boundary_dir: str | None = None    # extra map boundaries made by `vetdash regions` (besides the shipped Hunan ones)
    # accounts (dashboard/auth): "required" = sign-in for everything; "demo" = loopback viewers are a 领导 demo session
    auth_mode: str = "required"
    secret_key: str | None = None      # session signing key; default: a random key kept beside the state database
    tls: bool = False                  # served over HTTPS (cookies get Secure)
    trusted_header: str | None = None  # e.g. X-Remote-User set by an authenticating reverse proxy (docs/accounts.md)
    proxies: int = 0                   # reverse proxies in front (nginx: 1) whose X-Forwarded-For/-Proto to trust

    def __post_init__(self):
        check(self)

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        kwargs = {}
        if env.get("VETDASH_DATABASE_URL"):
            kwargs["database_url"] = env["VETDASH_DATABASE_URL"]
        if env.get("VETDASH_ROOT"):
            kwargs["root_region"] = env["VETDASH_ROOT"].strip()
        if env.get("VETDASH_SCOPE"):
            kwargs["scope_region"] = env["VETDASH_SCOPE"].strip()
        if env.get("VETDASH_STATEMENT_TIMEOUT_MS"):
            kwargs["statement_timeout_ms"] = _number(env, "VETDASH_STATEMENT_TIMEOUT_MS", int, "毫秒")
        if env.get("VETDASH_REQUEST_DEADLINE_S"):
            kwargs["request_deadline_s"] = _number(env, "VETDASH_REQUEST_DEADLINE_S", float, "秒")
        if env.get("VETDASH_CACHE_TIMEOUT_S"):
            kwargs["cache_timeout_s"] = _number(env, "VETDASH_CACHE_TIMEOUT_S", int, "秒")
        elif env.get("VETDASH_REDIS_URL"):
            # keys carry the data version, so a shared cache may keep models until the next refresh: the
            # views warmed after a nightly refresh are still there in the morning (Redis evicts by LRU)
            kwargs["cache_timeout_s"] = REDIS_CACHE_TIMEOUT_S
        if env.get("VETDASH_CACHE_TYPE"):
            kwargs["cache_type"] = env["VETDASH_CACHE_TYPE"].strip()
        if env.get("VETDASH_REDIS_URL"):
            kwargs["redis_url"] = env["VETDASH_REDIS_URL"].strip()
        if env.get("VETDASH_STATE_URL"):
            kwargs["state_url"] = env["VETDASH_STATE_URL"]
        if env.get("VETDASH_AS_OF"):
            kwargs["as_of"] = env["VETDASH_AS_OF"].strip()
        if env.get("VETDASH_BOUNDARY_DIR"):
            kwargs["boundary_dir"] = env["VETDASH_BOUNDARY_DIR"].strip()
        if env.get("VETDASH_LOG_LEVEL"):
            kwargs["log_level"] = env["VETDASH_LOG_LEVEL"].strip().upper()
        kwargs["debug"] = env.get("VETDASH_DEBUG", "") in ("1", "true", "yes")
        for var, key in (("VETDASH_AUTH_MODE", "auth_mode"), ("VETDASH_SECRET_KEY", "secret_key"),
                         ("VETDASH_TRUSTED_HEADER", "trusted_header")):
            if env.get(var):
                kwargs[key] = env[var]
        kwargs["tls"] = env.get("VETDASH_TLS", "") in ("1", "true", "yes")
        if env.get("VETDASH_PROXIES"):
            kwargs["proxies"] = _number(env, "VETDASH_PROXIES", int, "层")
        settings = cls(**kwargs)
        check_url(settings.database_url)
        return settings

    @property
    def state_db_url(self) -> str:
        """The dashboard's own database (accounts, sessions, audit, weekly snapshots) — never the operational one."""
        return self.state_url

    @property
    def scope(self) -> str | None:
        """The viewer's subtree from the settings; None: the database's meta.root decides."""
        return self.scope_region or self.root_region


def _number(env, name: str, kind, unit: str):
    raw = env[name].strip()
    try:
        return kind(raw)
    except ValueError:
        whole = "整数" if kind is int else "数字"
        raise SettingsError(f"配置错误：{name}=“{raw}”应为不小于0的{whole}（单位：{unit}，0 表示不限）") from None


def check_url(url: str) -> None:
    """The database URL parses and names a supported database (checked for settings from the environment;
    tests build Settings around a ready Database and pass placeholder URLs)."""
    try:
        dialect = make_url(url).get_backend_name()
    except Exception:                   # noqa: BLE001 — any parse failure is the same message
        raise SettingsError("配置错误：VETDASH_DATABASE_URL 不是有效的数据库地址，"
                            "应如 postgresql+psycopg://用户:密码@主机:5432/库名") from None
    if dialect not in DIALECTS:
        raise SettingsError(f"配置错误：VETDASH_DATABASE_URL 的数据库类型“{dialect}”不受支持，"
                            "应为 sqlite、postgresql 或 mysql/mariadb")


def check(s: Settings) -> None:
    """Raise SettingsError (one Chinese line) for the first unusable value."""
    from queries import codes          # imported here: keeps config importable without the queries package

    for name, value in (("VETDASH_ROOT", s.root_region), ("VETDASH_SCOPE", s.scope_region)):
        if value is None:
            continue
        try:
            codes.short_code(value)
        except codes.RegionCodeError as exc:
            raise SettingsError(f"配置错误：{name}：{exc}") from None
    if s.scope_region and not codes.is_within(s.scope_region, s.root_region):
        raise SettingsError(f"配置错误：VETDASH_SCOPE=“{s.scope_region}”不在 VETDASH_ROOT=“{s.root_region}”之内")
    for name, value, unit in (("VETDASH_STATEMENT_TIMEOUT_MS", s.statement_timeout_ms, "毫秒"),
                              ("VETDASH_REQUEST_DEADLINE_S", s.request_deadline_s, "秒"),
                              ("VETDASH_CACHE_TIMEOUT_S", s.cache_timeout_s, "秒")):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or value != value:
            raise SettingsError(f"配置错误：{name}=“{value}”应为不小于0的数字（单位：{unit}，0 表示不限）")
    if s.statement_timeout_ms and s.request_deadline_s and s.statement_timeout_ms / 1000 >= s.request_deadline_s:
        raise SettingsError(f"配置错误：VETDASH_STATEMENT_TIMEOUT_MS（{s.statement_timeout_ms} 毫秒）应小于 "
                            f"VETDASH_REQUEST_DEADLINE_S（{s.request_deadline_s:g} 秒），否则单条查询可占满整个请求")
    if s.as_of is not None:
        try:
            date.fromisoformat(s.as_of)
        except ValueError:
            raise SettingsError(f"配置错误：VETDASH_AS_OF=“{s.as_of}”应为 YYYY-MM-DD，如 2026-11-23") from None
    if s.boundary_dir is not None and not os.path.isdir(s.boundary_dir):
        raise SettingsError(f"配置错误：VETDASH_BOUNDARY_DIR=“{s.boundary_dir}”不是已有的目录"
                            "（放 vetdash regions 生成的边界文件）")
    if s.log_level not in LOG_LEVELS:
        raise SettingsError(f"配置错误：VETDASH_LOG_LEVEL=“{s.log_level}”应为 {'、'.join(LOG_LEVELS)} 之一")
    if s.redis_url and not s.redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(f"配置错误：VETDASH_REDIS_URL=“{s.redis_url}”应如 redis://127.0.0.1:6379/0")
    if not s.cache_type:
        raise SettingsError("配置错误：VETDASH_CACHE_TYPE 不能为空（默认 SimpleCache）")
