"""The installed build's fingerprint: a wall screen reloads itself when it changes (after an upgrade)."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("dashboard", "queries", "config", "assets")
SUFFIXES = (".py", ".sql", ".toml", ".js", ".css")


@lru_cache(maxsize=1)
def build_id() -> str:
    """Hash of the code and assets' names, sizes and times: the same in every worker of one install."""
    digest = hashlib.sha1()
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]
