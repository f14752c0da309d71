"""Background exports: a small thread pool, a job id, progress, and a store every worker process can read.

A job's status (JSON) and its file live in one folder per job under VETDASH_EXPORT_DIR (default
~/.local/share/vetdash/exports), written atomically, so with several gunicorn workers the status poll
and the download may land on any of them. Jobs older than KEEP_S are removed when a new one starts.
Inside a job, `report_progress(50, "绘制图表 2/4")` updates the status (a no-op outside a job).
With VETDASH_REDIS_URL the status and the file live in Redis instead (RedisJobStore, expiring after KEEP_S),
so the poll and the download may also land on another instance on another host.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from config.settings import default_data_dir

log = logging.getLogger("vetdash.exports")
KEEP_S = 3600                              # a finished file can be downloaded for an hour
WORKERS = 2                                # exports never take more than this many threads per process
JOB_ID = re.compile(r"^[0-9a-f]{32}$")
_local = threading.local()


def export_dir() -> Path:
    return Path(os.environ.get("VETDASH_EXPORT_DIR") or default_data_dir() / "exports")


class JobStore:
    """One folder per job: status.json and the finished file (result.bin)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _dir(self, job_id: str) -> Path:
        if not JOB_ID.match(job_id or ""):
            raise KeyError(job_id)
        return self.root / job_id

    def write(self, job_id: str, **status) -> dict:
        folder = self._dir(job_id)
        folder.mkdir(parents=True, exist_ok=True)
        current = self.read(job_id) or {"id": job_id}
        current.update(status, updated=time.time())
        tmp = folder / f"status.{threading.get_ident()}.tmp"
        tmp.write_text(json.dumps(current, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / "status.json")                     # readers never see half a file
        return current

    def read(self, job_id: str) -> dict | None:
        try:
            return json.loads((self._dir(job_id) / "status.json").read_text(encoding="utf-8"))
        except (KeyError, FileNotFoundError, json.JSONDecodeError):
            return None

    def save_result(self, job_id: str, data: bytes) -> None:
        folder = self._dir(job_id)
        tmp = folder / "result.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, folder / "result.bin")

    def result(self, job_id: str) -> bytes | None:
        try:
            return (self._dir(job_id) / "result.bin").read_bytes()
        except (KeyError, FileNotFoundError):
            return None

    def prune(self, keep_s: float = KEEP_S) -> int:
        if not self.root.is_dir():
            return 0
        cutoff, removed = time.time() - keep_s, 0
        for folder in self.root.iterdir():
            if JOB_ID.match(folder.name) and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed


class RedisJobStore:
    """The JobStore interface on Redis: one status key (JSON) and one result key per job, both with a TTL."""

    PREFIX = "vetdash:export:"

    def __init__(self, url: str, keep_s: float = KEEP_S):
        import redis
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self.keep_s = int(keep_s)

    def _key(self, job_id: str, part: str) -> str:
        if not JOB_ID.match(job_id or ""):
            raise KeyError(job_id)
        return f"{self.PREFIX}{job_id}:{part}"

    def write(self, job_id: str, **status) -> dict:
        current = self.read(job_id) or {"id": job_id}
        current.update(status, updated=time.time())
        self.client.set(self._key(job_id, "status"), json.dumps(current, ensure_ascii=False), ex=self.keep_s)
        return current

    def read(self, job_id: str) -> dict | None:
        try:
            raw = self.client.get(self._key(job_id, "status"))
        except KeyError:
            return None
        return json.loads(raw) if raw else None

    def save_result(self, job_id: str, data: bytes) -> None:
        self.client.set(self._key(job_id, "result"), data, ex=self.keep_s)

    def result(self, job_id: str) -> bytes | None:
        try:
            return self.client.get(self._key(job_id, "result"))
        except KeyError:
            return None

    def prune(self, keep_s: float = KEEP_S) -> int:
        return 0                                   # Redis expires the keys itself


def default_store():
    """Redis when VETDASH_REDIS_URL is set (shared by every instance), else the export folder (one host)."""
    url = _redis_url()
    return RedisJobStore(url) if url else JobStore(export_dir())


def _redis_url() -> str | None:
    try:
        from dashboard.context import get_context
        return get_context().settings.redis_url
    except RuntimeError:                           # no app (scripts): the environment decides
        return os.environ.get("VETDASH_REDIS_URL") or None


def report_progress(percent: int, message: str = "") -> None:
    """Progress of the job running in this thread (0–100) with a Chinese message; no-op outside a job."""
    job = getattr(_local, "job", None)
    if job is not None:
        store, job_id = job
        store.write(job_id, progress=max(0, min(100, int(percent))), message=message)


class JobRunner:
    """Runs export functions in a bounded thread pool (created lazily: gunicorn --preload forks after import)."""

    def __init__(self, store: JobStore | None = None, workers: int = WORKERS):
        self.store = store or default_store()
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="export")
            return self._pool

    def submit(self, label: str, fn: Callable[[], tuple[bytes, str, str]], app=None) -> str:
        """fn() -> (bytes, file name, mimetype), run in the pool (inside app's context when given)."""
        self.store.prune()
        job_id = uuid.uuid4().hex
        self.store.write(job_id, status="queued", progress=0, message="排队中", label=label,
                         created=time.time(), filename=None, mimetype=None)
        self._executor().submit(self._run, job_id, fn, app)
        return job_id

    def _run(self, job_id: str, fn, app) -> None:
        _local.job = (self.store, job_id)
        try:
            self.store.write(job_id, status="running", progress=5, message="正在生成")
            if app is not None:
                with app.app_context():
                    data, filename, mimetype = fn()
            else:
                data, filename, mimetype = fn()
            self.store.save_result(job_id, data)
            self.store.write(job_id, status="done", progress=100, message="已完成", filename=filename,
                             mimetype=mimetype, size=len(data))
        except Exception as exc:                    # noqa: BLE001 — the job shows a Chinese message
            message = getattr(exc, "user_message", None) or (str(exc) if _is_user_error(exc) else
                                                              "导出出错，详情已记入服务器日志。")
            if not _is_user_error(exc):
                log.exception("export job %s failed", job_id)
            self.store.write(job_id, status="error", message=message)
        finally:
            _local.job = None

    def wait(self, job_id: str, timeout_s: float = 30.0) -> dict | None:
        """Poll until the job is done or failed (tests, scripts)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            status = self.store.read(job_id)
            if status and status.get("status") in ("done", "error"):
                return status
            time.sleep(0.05)
        return self.store.read(job_id)


def _is_user_error(exc: Exception) -> bool:
    from queries.codes import RegionCodeError
    from queries.periods import PeriodError
    from queries.regions import OutOfScope
    return isinstance(exc, (RegionCodeError, OutOfScope, PeriodError)) or type(exc).__name__ == "BadRequest"


_RUNNER: JobRunner | None = None


def runner() -> JobRunner:
    global _RUNNER
    if _RUNNER is None:
        _RUNNER = JobRunner()
    return _RUNNER


def set_runner(job_runner: JobRunner | None) -> None:
    """Tests use a runner with a temporary store."""
    global _RUNNER
    _RUNNER = job_runner
