"""Loads queries/sql/**/<name>.sql once; a missing or duplicate name fails at import time.

A query the planners need written differently may have a per-dialect override next to it,
`<name>.<dialect>.sql` (dialect: sqlite, postgresql, mysql — MariaDB reports "mysql" or "mariadb"):
load_sql(name, dialect=...) returns the override when there is one, else the portable `<name>.sql`.
"""
from __future__ import annotations

from pathlib import Path

SQL_DIR = Path(__file__).with_name("sql")
DIALECTS = ("sqlite", "postgresql", "mysql")
_ALIASES = {"mariadb": "mysql"}


class QueryNameError(LookupError):
    pass


def _scan(sql_dir: Path = SQL_DIR) -> tuple[dict[str, Path], dict[tuple[str, str], Path]]:
    """(portable files by name, overrides by (name, dialect)); an override needs its portable file."""
    found: dict[str, Path] = {}
    variants: dict[tuple[str, str], Path] = {}
    for path in sorted(sql_dir.rglob("*.sql")):
        name, _, dialect = path.stem.partition(".")
        if dialect and dialect not in DIALECTS:
            raise QueryNameError(f"{path}: unknown dialect {dialect!r} (one of {', '.join(DIALECTS)})")
        seen = variants if dialect else found
        key = (name, dialect) if dialect else name
        if key in seen:
            raise QueryNameError(f"duplicate query name {path.stem!r}: {seen[key]} and {path}")
        first = path.read_text(encoding="utf-8").splitlines()[:1]
        if first and first[0].startswith("-- name:") and first[0].split(":", 1)[1].strip() != name:
            raise QueryNameError(f"{path}: header name does not match file name {name!r}")
        seen[key] = path
    orphans = sorted(f"{n}.{d}" for n, d in variants if n not in found)
    if orphans:
        raise QueryNameError(f"dialect overrides without a portable query: {', '.join(orphans)}")
    return found, variants


_FILES, _VARIANTS = _scan()


def strip_comments(sql: str) -> str:
    """Drop full-line `--` comments: a `:word` in a comment would otherwise be taken as a bind."""
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))


def pick(name: str, dialect: str | None, files: dict[str, Path] | None = None,
         variants: dict[tuple[str, str], Path] | None = None) -> Path:
    """The file serving `name` on `dialect`: its override when present, else the portable one."""
    files = _FILES if files is None else files
    variants = _VARIANTS if variants is None else variants
    dialect = _ALIASES.get(dialect or "", dialect or "")
    return variants.get((name, dialect), files[name])


def load_sql(*names: str, dialect: str | None = None) -> dict[str, str]:
    """Executable text of the named queries (dialect overrides applied); raises QueryNameError naming every
    missing one."""
    missing = [n for n in names if n not in _FILES]
    if missing:
        raise QueryNameError(f"no .sql file for: {', '.join(missing)} (looked in {SQL_DIR})")
    return {n: strip_comments(pick(n, dialect).read_text(encoding="utf-8")) for n in names}


def all_names() -> list[str]:
    return sorted(_FILES)
