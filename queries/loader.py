"""Loads queries/sql/**/<name>.sql once; a missing or duplicate name fails at import time."""
from __future__ import annotations

from pathlib import Path

SQL_DIR = Path(__file__).with_name("sql")


class QueryNameError(LookupError):
    pass


def _scan(sql_dir: Path = SQL_DIR) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(sql_dir.rglob("*.sql")):
        name = path.stem
        if name in found:
            raise QueryNameError(f"duplicate query name {name!r}: {found[name]} and {path}")
        first = path.read_text(encoding="utf-8").splitlines()[:1]
        if first and first[0].startswith("-- name:") and first[0].split(":", 1)[1].strip() != name:
            raise QueryNameError(f"{path}: header name does not match file name {name!r}")
        found[name] = path
    return found


_FILES = _scan()


def strip_comments(sql: str) -> str:
    """Drop full-line `--` comments: a `:word` in a comment would otherwise be taken as a bind."""
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))


def load_sql(*names: str) -> dict[str, str]:
    """Executable text of the named queries; raises QueryNameError naming every missing one."""
    missing = [n for n in names if n not in _FILES]
    if missing:
        raise QueryNameError(f"no .sql file for: {', '.join(missing)} (looked in {SQL_DIR})")
    return {n: strip_comments(_FILES[n].read_text(encoding="utf-8")) for n in names}


def all_names() -> list[str]:
    return sorted(_FILES)
