"""NBS 统计用区划代码 helpers: 12-digit storage form <-> short level-length form.

Levels: 1 省 (2 digits), 2 市 (4), 3 县 (6), 4 乡镇 (9), 5 村(社区) (12).
A descendant's 12-digit code starts with its ancestor's short code, so a subtree is the
string range [short + '0'*k, short + '9'*k] — indexable on every database.
"""
from __future__ import annotations

import re

LEVEL_LENGTHS = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
LENGTH_LEVELS = {v: k for k, v in LEVEL_LENGTHS.items()}
LEVEL_NAMES = {1: "省", 2: "市", 3: "县", 4: "乡镇", 5: "村(社区)"}
_DIGITS = re.compile(r"^[0-9]+$")          # ASCII only: full-width ４３１０ from an IME is refused


class RegionCodeError(ValueError):
    """A region code that is not a valid NBS code (message is shown to users, in Chinese)."""


def level_of_short(short: str) -> int:
    return LENGTH_LEVELS[len(short)]


def short_code(code: str) -> str:
    """'431022000000' -> '431022'; short forms pass through (validated)."""
    code = (code or "").strip()
    if not _DIGITS.match(code):
        raise RegionCodeError(f"区划代码“{code}”应为数字")
    if len(code) == 12:
        for level in (1, 2, 3, 4):
            n = LEVEL_LENGTHS[level]
            if code[n:] == "0" * (12 - n):
                return code[:n]
        return code
    if len(code) == 6 and code.endswith("00"):      # adcode of a city (431000 -> 4310)
        code = code[:4]
    if len(code) == 4 and code.endswith("00"):      # adcode of a province (4300 -> 43)
        code = code[:2]
    if len(code) in LENGTH_LEVELS:
        return code
    raise RegionCodeError(f"区划代码“{code}”长度不对：应为2、4、6、9或12位")


def code12(code: str) -> str:
    """Any accepted form -> the 12-digit storage form."""
    s = short_code(code)
    return s.ljust(12, "0")


def level_of(code: str) -> int:
    return level_of_short(short_code(code))


def subtree_range(code: str) -> tuple[str, str]:
    """Inclusive 12-digit bounds of a region's subtree (itself and all descendants)."""
    s = short_code(code)
    return s.ljust(12, "0"), s.ljust(12, "9")


def is_within(code: str, scope: str) -> bool:
    return short_code(code).startswith(short_code(scope))


def child_length(code: str) -> int | None:
    """Length of the short code of this region's children (None for a village)."""
    level = level_of(code)
    return LEVEL_LENGTHS.get(level + 1)


def ancestors_short(code: str) -> list[str]:
    """Short codes of the ancestors and itself, top first: '431022100' -> ['43','4310','431022','431022100']."""
    s = short_code(code)
    return [s[:n] for lvl, n in LEVEL_LENGTHS.items() if n <= len(s)]


def mask_id(value) -> str:
    """Masked internal ID for anomaly lists: ****3821 (never a name or national ID)."""
    text = str(value)
    return "****" + text[-4:].rjust(4, "0")
