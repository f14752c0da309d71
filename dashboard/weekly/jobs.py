"""Scheduled weekly snapshot: record the last complete week's flags for the root and each of its children,
so “五有”-style persistence keeps counting even in a week nobody opened /weekly (`vetdash weekly-snapshot`)."""
from __future__ import annotations

from dashboard.context import AppContext
from dashboard.weekly.flags import last_complete_week, week_flags
from queries.periods import Period


def snapshot_last_week(ctx: AppContext, codes: list[str] | None = None) -> tuple[Period, dict[str, int]]:
    """(the week, {region name: flags recorded}) for the given regions (default: the root and its children)."""
    week = last_complete_week(ctx.as_of)
    root = ctx.tree.root
    regions = [ctx.tree.resolve(c) for c in codes] if codes else [root] + ctx.tree.children(root.code)
    return week, {r.name: len(week_flags(ctx, r, week, record=True).flags) for r in regions}
