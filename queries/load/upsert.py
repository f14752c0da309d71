"""Idempotent upsert by the source record id: insert new rows, update changed ones, leave equal ones alone.

Portable on SQLite, PostgreSQL and MariaDB (no ON CONFLICT / ON DUPLICATE KEY dialects, and no
unique constraints needed on the big tables): the existing rows of each chunk of keys are read
first, so a second load of the same files writes nothing. Every value is a bound parameter;
table and column names come from the schema metadata.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, bindparam, select

from queries import schema
from queries.load.specs import SPECS

CHUNK = 1000


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.new + self.updated


def _norm(v):
    """One comparable form per value, whatever the driver returned (Decimal vs float, datetime vs date)."""
    if isinstance(v, bool):
        return v
    if isinstance(v, (Decimal, float)):
        return Decimal(str(v)).quantize(Decimal("0.01"))
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
        try:
            return date.fromisoformat(v)
        except ValueError:
            return v
    return v


def _existing(conn, table, key: tuple[str, ...], keys: list[tuple]) -> dict[tuple, dict]:
    cols = [table.c[k] for k in key]
    if len(cols) == 1:
        where = cols[0].in_([k[0] for k in keys])
    else:
        where = cols[0].in_(sorted({k[0] for k in keys}))        # composite keys: small county tables
    out = {}
    for row in conn.execute(select(table).where(where)).mappings():
        out[tuple(row[k] for k in key)] = dict(row)
    return out


def upsert(conn, name: str, rows: list[dict], progress=None) -> Counts:
    """Write rows (every schema column present) keyed by SPECS[name].key; returns the counts."""
    table = schema.metadata.tables[name]
    key = SPECS[name].key
    columns = [c.name for c in table.columns]
    counts = Counts()
    update = table.update().where(and_(*[table.c[k] == bindparam("key_" + k) for k in key]))
    for lo in range(0, len(rows), CHUNK):
        chunk = rows[lo:lo + CHUNK]
        have = _existing(conn, table, key, [tuple(r[k] for k in key) for r in chunk])
        inserts, updates = [], []
        for row in chunk:
            values = {c: row.get(c) for c in columns}
            old = have.get(tuple(row[k] for k in key))
            if old is None:
                inserts.append(values)
            elif any(_norm(old[c]) != _norm(values[c]) for c in columns):
                updates.append({**values, **{"key_" + k: row[k] for k in key}})
            else:
                counts.unchanged += 1
        if inserts:
            conn.execute(table.insert(), inserts)
        if updates:
            conn.execute(update, updates)
        counts.new += len(inserts)
        counts.updated += len(updates)
        if progress:
            progress(len(chunk))
    return counts

