"""The `meta` rows that describe the data itself: its version, and how far each source reaches.

- data_version: an integer bumped by whatever changes the data (`vetdash refresh`, `vetdash load`); a
  running dashboard compares it every few seconds and drops its as-of date, region tree and page cache
  when it changes, so new data shows without a restart.
- loaded_from.<source> / loaded_through.<source>: the first and last day (YYYY-MM-DD) a source table has
  rows for, so a period outside them reads "unknown" ("—" and why), never 0.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import text

from queries.periods import from_day_key

# source -> fixed SELECT of its first and last day key (identifiers are never built from input)
SOURCES = {
    "petition": "SELECT MIN(received_day), MAX(received_day) FROM petition",
    "payment": "SELECT MIN(paid_day), MAX(paid_day) FROM payment",
    "station_activity": "SELECT MIN(day), MAX(day) FROM station_activity",
    "employment_status": "SELECT MIN(effective_day), MAX(effective_day) FROM employment_status",
    "placement": "SELECT MIN(received_day), MAX(received_day) FROM placement",
}
SOURCE_NAMES = {"petition": "信访件", "payment": "资金发放记录", "station_activity": "服务站服务记录",
                "employment_status": "就业状态记录", "placement": "安置记录"}


def _upsert(conn, key: str, value: str) -> None:
    done = conn.execute(text("UPDATE meta SET meta_value = :v WHERE meta_key = :k"), {"k": key, "v": value})
    if not done.rowcount:
        conn.execute(text("INSERT INTO meta (meta_key, meta_value) VALUES (:k, :v)"), {"k": key, "v": value})


def bump_data_version(conn) -> int:
    """data_version + 1 (1 when absent); returns the new version."""
    current = conn.execute(text("SELECT meta_value FROM meta WHERE meta_key = :k"), {"k": "data_version"}).scalar()
    version = (int(current) if current and str(current).isdigit() else 0) + 1
    _upsert(conn, "data_version", str(version))
    return version


def record_coverage(conn) -> dict[str, tuple[str, str]]:
    """Write loaded_from/loaded_through for every source present; returns them."""
    out = {}
    for source, sql in SOURCES.items():
        lo, hi = conn.execute(text(sql)).one()
        if lo is None or hi is None:
            continue
        out[source] = (from_day_key(int(lo)).isoformat(), from_day_key(int(hi)).isoformat())
        _upsert(conn, f"loaded_from.{source}", out[source][0])
        _upsert(conn, f"loaded_through.{source}", out[source][1])
    return out


def coverage(meta: dict[str, str]) -> dict[str, tuple[date, date]]:
    """source -> (first day, last day) from meta rows."""
    out = {}
    for source in SOURCES:
        lo, hi = meta.get(f"loaded_from.{source}"), meta.get(f"loaded_through.{source}")
        if lo and hi:
            out[source] = (date.fromisoformat(lo), date.fromisoformat(hi))
    return out
