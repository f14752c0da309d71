"""gunicorn entry point: `gunicorn dashboard.wsgi:server` (settings from VETDASH_* environment).

Bad settings stop the start with one Chinese line (no traceback); log lines carry time, level and pid."""
import sys

from config.settings import Settings, SettingsError
from dashboard.runtime import configure_logging

try:
    settings = Settings.from_env()
except SettingsError as exc:
    sys.stderr.write(f"{exc}\n")
    sys.stderr.flush()
    raise SystemExit(2) from None

configure_logging(settings.log_level)

from dashboard.app import create_app  # noqa: E402 — after logging is set up, so import-time lines are formatted

try:
    app = create_app(settings)
except SettingsError as exc:            # e.g. no folder to keep the session key in
    sys.stderr.write(f"{exc}\n")
    sys.stderr.flush()
    raise SystemExit(2) from None
server = app.server
