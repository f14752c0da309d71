"""The region tree inside the viewer's scope, held in memory (≤ 32k rows) for names and drill checks."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from queries import codes
from queries.codes import RegionCodeError


class OutOfScope(PermissionError):
    """A region code outside the viewer's scope (message shown to users)."""


@dataclass(frozen=True)
class Region:
    code: str          # 12 digits
    short: str         # level-length code
    name: str
    level: int
    parent: str | None
    kind: str


class RegionTree:
    """Regions of one scope, with lookups by any code form."""

    def __init__(self, frame: pd.DataFrame, scope: str):
        self.scope = codes.code12(scope)
        self._by_code: dict[str, Region] = {}
        self._children: dict[str, list[str]] = {}
        for row in frame.itertuples(index=False):
            region = Region(row.code, row.short_code, row.name, int(row.level), row.parent_code, row.kind)
            self._by_code[row.code] = region
            if row.parent_code:
                self._children.setdefault(row.parent_code, []).append(row.code)
        # 功能区 codes, kept with the tree so the 排名 page need not re-read the region table per request
        self.functional = frozenset(frame.loc[frame["is_functional"].astype(bool), "code"]) \
            if "is_functional" in frame.columns else None
        if self.scope not in self._by_code:
            raise RegionCodeError(f"数据库中没有配置的根区划“{codes.short_code(scope)}”")

    @classmethod
    def load(cls, db, scope: str) -> "RegionTree":
        lo, hi = codes.subtree_range(scope)
        frame = db.frame("region_tree", {"scope_lo": lo, "scope_hi": hi})
        if codes.level_of(scope) > 3:
            # a township (or village) scope also knows its county — never resolvable, only for 按县统计 figures
            county = codes.code12(codes.short_code(scope)[:6])
            c_lo, c_hi = codes.subtree_range(county)
            above = db.frame("region_tree", {"scope_lo": c_lo, "scope_hi": c_hi})
            frame = pd.concat([frame, above[above["code"] == county]], ignore_index=True)
        return cls(frame, scope)

    @property
    def root(self) -> Region:
        return self._by_code[self.scope]

    def resolve(self, code: str | None) -> Region:
        """Region for a code from a URL or click; Chinese errors for bad, unknown or out-of-scope codes."""
        if not code:
            return self.root
        full = codes.code12(code)          # raises RegionCodeError for malformed codes
        if not codes.is_within(full, self.scope):
            raise OutOfScope(f"区划“{codes.short_code(code)}”不在您的查看范围（{self.root.name}）内")
        region = self._by_code.get(full)
        if region is None:
            raise RegionCodeError(f"找不到区划代码“{codes.short_code(code)}”")
        return region

    def get(self, code: str) -> Region | None:
        return self._by_code.get(codes.code12(code))

    def children(self, code: str) -> list[Region]:
        return [self._by_code[c] for c in self._children.get(codes.code12(code), [])]

    def lineage(self, code: str) -> list[Region]:
        """From the scope root down to the region (for the breadcrumb)."""
        out, cur = [], self._by_code.get(codes.code12(code))
        while cur is not None:
            out.append(cur)
            if cur.code == self.scope:
                break
            cur = self._by_code.get(cur.parent) if cur.parent else None
        return list(reversed(out))

    def county_of(self, code: str) -> Region | None:
        """The county-level ancestor (or itself) — for indicators that exist only per county (also above a
        township scope: a township viewer sees his county's 按县统计 figures)."""
        cur = self._by_code.get(codes.code12(code))
        while cur is not None and cur.level > 3:
            cur = self._by_code.get(cur.parent) if cur.parent else None
        return cur if cur is not None and cur.level == 3 else None

    def __len__(self) -> int:
        return len(self._by_code)

    def count_by_level(self, code: str) -> dict[int, int]:
        lo, hi = codes.subtree_range(code)
        counts: dict[int, int] = {}
        for c, r in self._by_code.items():
            if lo <= c <= hi:
                counts[r.level] = counts.get(r.level, 0) + 1
        return counts
