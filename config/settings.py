"""One typed settings object, read once from the environment (VETDASH_*)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def default_data_dir() -> Path:
    """User data folder for the demo database (never inside the repository)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "vetdash"


def default_demo_path() -> Path:
    return default_data_dir() / "demo.sqlite"


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=lambda: f"sqlite:///{default_demo_path()}")
    root_region: str = "4310"          # the deployment's root (short or 12-digit code)
    scope_region: str | None = None    # viewer's subtree; None = the root
    statement_timeout_ms: int = 5000
    cache_timeout_s: int = 300
    cache_type: str = "SimpleCache"
    as_of: str | None = None           # override "today" (YYYY-MM-DD); default: the data's as-of date
    debug: bool = False
    # accounts (dashboard/auth): "required" = sign-in for everything; "demo" = loopback viewers are a 领导 demo session
    auth_mode: str = "required"
    state_url: str | None = None       # the dashboard's own database (accounts, audit); default SQLite in the data dir
    secret_key: str | None = None      # session signing key; default: a random key kept beside the state database
    tls: bool = False                  # served over HTTPS (cookies get Secure)
    trusted_header: str | None = None  # e.g. X-Remote-User set by an authenticating reverse proxy (docs/accounts.md)

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        kwargs = {}
        if env.get("VETDASH_DATABASE_URL"):
            kwargs["database_url"] = env["VETDASH_DATABASE_URL"]
        if env.get("VETDASH_ROOT"):
            kwargs["root_region"] = env["VETDASH_ROOT"]
        if env.get("VETDASH_SCOPE"):
            kwargs["scope_region"] = env["VETDASH_SCOPE"]
        if env.get("VETDASH_STATEMENT_TIMEOUT_MS"):
            kwargs["statement_timeout_ms"] = int(env["VETDASH_STATEMENT_TIMEOUT_MS"])
        if env.get("VETDASH_CACHE_TIMEOUT_S"):
            kwargs["cache_timeout_s"] = int(env["VETDASH_CACHE_TIMEOUT_S"])
        if env.get("VETDASH_CACHE_TYPE"):
            kwargs["cache_type"] = env["VETDASH_CACHE_TYPE"]
        if env.get("VETDASH_AS_OF"):
            kwargs["as_of"] = env["VETDASH_AS_OF"]
        kwargs["debug"] = env.get("VETDASH_DEBUG", "") in ("1", "true", "yes")
        for var, key in (("VETDASH_AUTH_MODE", "auth_mode"), ("VETDASH_STATE_URL", "state_url"),
                         ("VETDASH_SECRET_KEY", "secret_key"), ("VETDASH_TRUSTED_HEADER", "trusted_header")):
            if env.get(var):
                kwargs[key] = env[var]
        kwargs["tls"] = env.get("VETDASH_TLS", "") in ("1", "true", "yes")
        return cls(**kwargs)

    @property
    def scope(self) -> str:
        return self.scope_region or self.root_region

    @property
    def state_db_url(self) -> str:
        """The dashboard's own database (accounts, sessions, audit) — never the operational one."""
        return self.state_url or f"sqlite:///{default_data_dir() / 'state.sqlite'}"
