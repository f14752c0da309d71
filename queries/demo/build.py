"""`build_demo`: generate the demo data for a root region, bulk-load it, rebuild the rollups.

    from queries.demo.build import build_demo
    build_demo(root="4310", scale="city", years=5, seed=42, out="demo.sqlite")

Deterministic for the same arguments (one seeded numpy stream per phase); nothing that happened
is dated after as_of (deadlines such as due_on / until_on may lie after it).
"""
from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import event, make_url, text
from tqdm import tqdm

from queries import codes, schema
from queries.db import make_engine
from queries.demo import load
from queries.demo.beneficiaries import beneficiary_table, generate_beneficiaries
from queries.demo.calibrate import calibrate_payments
from queries.demo.context import make_context
from queries.demo.employment import (
    generate_status,
    service_event_table,
    status_table,
    training_table,
)
from queries.demo.funds import (
    budget_table,
    fund_standard_table,
    generate_payments,
    payment_table,
)
from queries.demo.network import activity_table, generate_units, unit_table
from queries.demo.people import generate_veterans, veteran_table
from queries.demo.petitions import petition_table
from queries.demo.placement import (
    generate_placements,
    placement_table,
    placement_task_table,
)
from queries.refresh import ROLLUPS, refresh

SCALES = ("city", "province")


def build_demo(root: str = "4310", scale: str = "city", years: int = 5, seed: int = 42,
               as_of: date | None = None, url: str | None = None, out: str | None = None,
               progress: bool = True) -> dict:
    """Build the demo database; returns {"rows": {table: n}, "seconds": {phase: s}, ...}."""
    if (url is None) == (out is None):
        raise ValueError("build_demo needs exactly one of url= (SQLAlchemy URL) or out= (SQLite file)")
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, not {scale!r}")
    if years < 1:
        raise ValueError("years must be at least 1")
    root = "43" if scale == "province" else codes.short_code(root)
    as_of = as_of or date.today()
    if out is not None:
        # written under a temporary name in the same folder and renamed when complete: an interrupted
        # build never leaves a file at `out` that the app would serve
        final = Path(out).resolve()
        final.parent.mkdir(parents=True, exist_ok=True)
        temp = final.with_name(f".{final.name}.building-{os.getpid()}")
        _remove_sqlite(temp)
        try:
            summary = build_demo(root, scale, years, seed, as_of, url=f"sqlite:///{temp}", progress=progress)
            _finish_sqlite(temp, final)
        finally:
            _remove_sqlite(temp)
        summary["database"] = f"sqlite:///{final}"
        return summary

    seconds: dict[str, float] = {}
    tables, calibration = _generate(root, scale, years, seed, as_of, seconds, progress)

    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_build_pragmas)
    try:
        with _timed(seconds, "create"):
            load.create_tables(engine)
            _mark(engine, "build_in_progress")     # the app shows nothing while this row exists
        total = sum(load.table_len(t) for t in tables.values())
        with _timed(seconds, "load"), _bar(progress, "写入数据", total, "行") as bar:
            counts = load.load_all(engine, tables, progress=bar.update)
        del tables
        with _timed(seconds, "indexes"), _bar(progress, "建立索引", len(schema.RAW_TABLES), "表") as bar:
            load.create_indexes(engine, progress=lambda _name: bar.update(1))
        with _timed(seconds, "refresh"), _bar(progress, "刷新汇总表", len(ROLLUPS), "表") as bar:
            refresh_seconds = refresh(engine, progress=lambda _name: bar.update(1))
        _mark(engine, "build_complete", drop="build_in_progress")    # last: the build is whole
        counts["meta"] += 1
    finally:
        engine.dispose()
    seconds["total"] = round(sum(v for k, v in seconds.items()), 2)
    return {"rows": counts, "seconds": seconds,
            "refresh_seconds": {k: round(v, 2) for k, v in refresh_seconds.items()},
            "root": root, "scale": scale, "as_of": as_of.isoformat(), "calibration": calibration,
            "database": make_url(url).render_as_string(hide_password=True)}


def _mark(engine, key: str, drop: str | None = None) -> None:
    """Set meta[key] = now (and delete meta[drop]) in one transaction."""
    with engine.begin() as conn:
        for name in filter(None, (key, drop)):
            conn.execute(text("DELETE FROM meta WHERE meta_key = :k"), {"k": name})
        conn.execute(text("INSERT INTO meta (meta_key, meta_value) VALUES (:k, :v)"),
                     {"k": key, "v": datetime.now().isoformat(timespec="seconds")})


def _finish_sqlite(temp: Path, final: Path) -> None:
    """Fold the WAL into the file, then put it in place (an old file's -wal/-shm must not outlive it)."""
    import sqlite3
    conn = sqlite3.connect(temp)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{final}{suffix}").unlink(missing_ok=True)
    os.replace(temp, final)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _sqlite_build_pragmas(dbapi_conn, _record):
    """Index builds and the refresh sort large temp B-trees: give this build's connections a 1 GB
    page cache and a helper thread (the app's own engine keeps make_engine's settings). 16 KB
    pages (applies to a new file only) made load, indexes and refresh ~5-10% faster."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA page_size = 16384")
    cur.execute("PRAGMA cache_size = -1000000")
    cur.execute("PRAGMA threads = 2")
    cur.close()


def _generate(root, scale, years, seed, as_of, seconds, progress):
    steps = ["区划与故事", "服务网络", "退役军人", "优抚对象", "资金发放", "安置", "就业", "信访"]
    tables: dict[str, dict] = {}
    with _timed(seconds, "generate"), _bar(progress, "生成数据", len(steps), "步") as bar:
        ctx = make_context(root, seed, years, as_of)
        tables["region"] = _region_table(ctx)
        tables["meta"] = _meta_table(ctx, scale, seed, years)
        bar.update(1)
        veterans = generate_veterans(ctx)
        bens = generate_beneficiaries(ctx, veterans)
        units = generate_units(ctx)
        tables["service_unit"] = unit_table(ctx, units, veterans, bens)
        tables["station_activity"] = activity_table(ctx, units)
        bar.update(1)
        tables["veteran"] = veteran_table(ctx, veterans)
        bar.update(1)
        tables["beneficiary"] = beneficiary_table(ctx, bens)
        bar.update(1)
        pays = generate_payments(ctx, bens)
        calibration = calibrate_payments(ctx, pays)
        tables["payment"] = payment_table(ctx, bens, pays)
        tables["budget"] = budget_table(ctx, pays)
        tables["fund_standard"] = fund_standard_table(ctx)
        del pays
        bar.update(1)
        placements = generate_placements(ctx, veterans)
        tables["placement"] = placement_table(ctx, veterans, placements)
        tables["placement_task"] = placement_task_table(ctx, placements)
        bar.update(1)
        status = generate_status(ctx, placements)
        tables["employment_status"] = status_table(ctx, veterans, placements, status)
        tables["service_event"] = service_event_table(ctx, veterans, placements)
        tables["training"] = training_table(ctx, veterans, placements, status)
        bar.update(1)
        tables["petition"] = petition_table(ctx, veterans)
        bar.update(1)
    missing = set(schema.RAW_TABLES) - set(tables)
    assert not missing, f"no generator for {missing}"
    return {name: tables[name] for name in schema.RAW_TABLES}, {"|".join(map(str, k)): v for k, v in calibration.items()}


def _region_table(ctx) -> dict:
    """region_rows() as column arrays; pandas' missing strings (NaN) become NULL."""
    r = ctx.regions
    out = {}
    for c in r.columns:
        if r[c].dtype.kind in "biu":
            out[c] = r[c].to_numpy()
        else:
            col = r[c].to_numpy(dtype=object, copy=True)
            col[pd.isna(r[c]).to_numpy()] = None
            out[c] = col
    return out


def _meta_table(ctx, scale: str, seed: int, years: int) -> dict:
    meta = {"as_of": ctx.as_of.isoformat(), "root": ctx.root, "scale": scale, "seed": str(seed),
            "years": str(years), "built_at": datetime.now().isoformat(timespec="seconds")}
    return {"meta_key": np.array(list(meta), object), "meta_value": np.array(list(meta.values()), object)}


@contextmanager
def _timed(seconds: dict, name: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds[name] = round(time.perf_counter() - start, 2)


def _bar(progress: bool, desc: str, total: int, unit: str):
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=not progress,
                unit_scale=unit == "行", leave=True)
