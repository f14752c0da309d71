"""Process set-up shared by gunicorn and the CLI: structured log lines and the per-request deadline."""
from __future__ import annotations

import logging
import sys

from flask import Flask

from queries.db import clear_request_deadline, set_request_deadline

LOG_FORMAT = "%(asctime)s %(levelname)s pid=%(process)d %(name)s: %(message)s"


def configure_logging(level: str = "INFO") -> None:
    """One line per event: time, level, pid, logger, message (per query: `sql <name> <ms> ms`).

    Under gunicorn nothing configures the root logger, so without this only WARNING+ would reach stderr,
    bare and without time or pid."""
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)                 # libraries stay quiet …
    logging.getLogger("vetdash").setLevel(level)   # … the app's own lines (queries, refresh, pages) show


def install_deadline(server: Flask, seconds: float) -> None:
    """Every query of one request shares `seconds` (0 = none); the statement timeout is capped to what is left."""
    if not seconds:
        return

    @server.before_request
    def _start():
        set_request_deadline(seconds)

    @server.teardown_request
    def _end(_exc):
        clear_request_deadline()
