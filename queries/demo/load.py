"""Bulk loading of generated tables, driven by the schema (STACK_NOTES.md §8).

SQLite: one transaction on the raw DBAPI connection, WAL + synchronous=OFF, multi-row INSERTs
with bound parameters. PostgreSQL: COPY FROM STDIN (psycopg 3 cursor.copy / write_row).
MariaDB/MySQL: pymysql executemany with bound parameters (batched into multi-row INSERTs).
Every value is a bound parameter; table and column names come from the schema. Raw tables are created
without their secondary indexes; `create_indexes` adds them after the load (faster on all three).
"""
from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from sqlalchemy import BigInteger, Boolean, Date, Integer, Numeric, SmallInteger
from sqlalchemy.schema import CreateTable

from queries import schema
from queries.demo.columns import Coded

CHUNK = {"sqlite": 200_000, "postgresql": 100_000, "mysql": 5_000}


def create_tables(engine) -> None:
    """Drop every table of the schema (rollups from queries/rollups included), create the raw
    tables without their secondary indexes and every other table complete."""
    schema.drop_all(engine)
    with engine.begin() as conn:
        for name in schema.RAW_TABLES:
            conn.execute(CreateTable(schema.metadata.tables[name]))
    others = [t for t in schema.metadata.sorted_tables if t.name not in schema.RAW_TABLES]
    schema.metadata.create_all(engine, tables=others)


def create_indexes(engine, names=None, progress=None) -> None:
    for name in names or schema.RAW_TABLES:
        for index in sorted(schema.metadata.tables[name].indexes, key=lambda i: i.name):
            index.create(engine)
        if progress:
            progress(name)


# ---------------------------------------------------------------- value conversion
def _dates(a: np.ndarray) -> list:
    """datetime64[D] -> 'YYYY-MM-DD' strings (None for NaT); formats each distinct day once."""
    a = np.asarray(a, dtype="datetime64[D]")
    nat = np.isnat(a)
    uniq, inv = np.unique(a.astype(np.int64), return_inverse=True)
    text = np.array([str(d) for d in uniq.astype("datetime64[D]")], dtype=object)
    out = text[inv]
    out[nat] = None
    return out.tolist()


def _nullable_ints(a: np.ndarray) -> list:
    if a.dtype.kind == "f":
        nan = np.isnan(a)
        if nan.any():
            out = np.where(nan, 0, a).astype(np.int64).astype(object)
            out[nan] = None
            return out.tolist()
        return a.astype(np.int64).tolist()
    return a.astype(np.int64).tolist()


def _column_values(column, data, lo: int, hi: int) -> list:
    if isinstance(data, Coded):
        return data.chunk(lo, hi).tolist()
    part = np.asarray(data[lo:hi])
    ctype = column.type
    if isinstance(ctype, Date):
        return _dates(part)
    if isinstance(ctype, Boolean):
        return part.astype(bool).tolist()
    if isinstance(ctype, (Integer, SmallInteger, BigInteger)):
        return _nullable_ints(part)
    if isinstance(ctype, Numeric):
        return np.round(part.astype(float), 2).tolist()
    if part.dtype == object:
        return [None if isinstance(x, float) and math.isnan(x) else x for x in part.tolist()]   # NaN -> NULL
    return part.tolist()


def columns_of(name: str, data: dict, lo: int, hi: int) -> list[list]:
    """Rows lo..hi as one Python list per schema column (in schema order)."""
    table = schema.metadata.tables[name]
    missing = [c.name for c in table.columns if c.name not in data]
    if missing:
        raise KeyError(f"{name}: generator did not produce {missing}")
    return [_column_values(c, data[c.name], lo, hi) for c in table.columns]


def rows_of(name: str, data: dict, lo: int, hi: int) -> list[tuple]:
    return list(zip(*columns_of(name, data, lo, hi)))


def flat_of(name: str, data: dict, lo: int, hi: int) -> list:
    """Rows lo..hi as one flat parameter list (row-major) for multi-row INSERT statements."""
    cols = columns_of(name, data, lo, hi)
    k = len(cols)
    flat = [None] * ((hi - lo) * k)
    for j, col in enumerate(cols):
        flat[j::k] = col
    return flat


def table_len(data: dict) -> int:
    return len(next(iter(data.values())))


# ---------------------------------------------------------------- loaders
def load_all(engine, tables: dict[str, dict], progress=None) -> dict[str, int]:
    """Insert every generated table; returns row counts. progress(n) is called per chunk."""
    dialect = engine.dialect.name
    raw = engine.raw_connection()
    try:
        if dialect == "sqlite":
            _load_sqlite(raw, tables, progress)
        elif dialect == "postgresql":
            _load_postgres(raw, tables, progress)
        elif dialect in ("mysql", "mariadb"):
            _load_mysql(raw, tables, progress)
        else:
            raise ValueError(f"unsupported database dialect {dialect!r}")
        raw.commit()
    finally:
        raw.close()
    return {name: table_len(data) for name, data in tables.items()}


def _chunks(name, data, size):
    n = table_len(data)
    for lo in range(0, n, size):
        hi = min(n, lo + size)
        yield hi - lo, rows_of(name, data, lo, hi)


def _insert_sql(name: str, rows: int = 1) -> str:
    """INSERT with qmark placeholders for `rows` rows (SQLite)."""
    cols = [c.name for c in schema.metadata.tables[name].columns]
    one = "(" + ", ".join(["?"] * len(cols)) + ")"
    return "INSERT INTO " + name + " (" + ", ".join(cols) + ") VALUES " + ", ".join([one] * rows)


def _chunk_list(tables, size):
    return [(name, lo, min(table_len(data), lo + size))
            for name, data in tables.items() for lo in range(0, table_len(data), size)]


def _prefetched(convert, items):
    """Yield (item, convert(item)), converting the next item in a helper thread meanwhile: the
    drivers release the GIL while the database works, so conversion and insertion overlap."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = None
        for item in items:
            future = pool.submit(convert, item)
            if pending is not None:
                yield pending[0], pending[1].result()
            pending = (item, future)
        if pending is not None:
            yield pending[0], pending[1].result()


def _load_sqlite(raw, tables, progress):
    """Multi-row INSERTs of ~200 rows from a flat parameter list (measured 1.5-2× executemany)."""
    cur = raw.cursor()
    cur.execute("PRAGMA journal_mode=WAL").fetchall()
    cur.execute("PRAGMA synchronous=OFF")
    chunks = _chunk_list(tables, CHUNK["sqlite"])
    for (name, lo, hi), flat in _prefetched(lambda c: flat_of(c[0], tables[c[0]], c[1], c[2]), chunks):
        k = len(schema.metadata.tables[name].columns)
        per = max(1, min(200, 32_000 // k))
        sql = _insert_sql(name, per)
        full = (hi - lo) // per * per * k
        for s in range(0, full, per * k):
            cur.execute(sql, flat[s:s + per * k])
        if full < len(flat):
            cur.execute(_insert_sql(name, (len(flat) - full) // k), flat[full:])
        if progress:
            progress(hi - lo)
    cur.close()


def _load_postgres(raw, tables, progress):
    """COPY … FROM STDIN; psycopg's C write_row measured faster here than pre-built text lines."""
    conn = raw.driver_connection
    with conn.cursor() as cur:
        for name, data in tables.items():
            cols = ", ".join(c.name for c in schema.metadata.tables[name].columns)
            with cur.copy(f"COPY {name} ({cols}) FROM STDIN") as copy:
                for n, rows in _chunks(name, data, CHUNK["postgresql"]):
                    for row in rows:
                        copy.write_row(row)
                    if progress:
                        progress(n)


def _load_mysql(raw, tables, progress):
    """pymysql executemany with bound parameters: it batches the rows into multi-row INSERTs itself.
    Table and column names come from the schema metadata, never from input."""
    cur = raw.cursor()
    cur.execute("SET unique_checks = 0")
    cur.execute("SET foreign_key_checks = 0")
    for name, data in tables.items():
        columns = [c.name for c in schema.metadata.tables[name].columns]
        statement = ("INSERT INTO " + name + " (" + ", ".join(columns) + ") VALUES ("
                     + ", ".join(["%s"] * len(columns)) + ")")
        for n, rows in _chunks(name, data, CHUNK["mysql"]):
            cur.executemany(statement, rows)
            if progress:
                progress(n)
    cur.close()
