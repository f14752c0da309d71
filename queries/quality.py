"""Questions behind the 数据质量 page: the refresh's data-quality findings and each table's freshness.

The checks themselves run in `vetdash refresh` (queries/rollups/quality.py); these read their results.
`flagged_counties` is the hook for other pages: a county listed there shows an affected figure as 数据异常.
"""
from __future__ import annotations

import pandas as pd

from queries.binds import region_binds
from queries.db import Database
from queries.load.specs import SPECS

CHECKS = {   # check_kind -> (Chinese name, what it means for the figures)
    "negative": ("负数金额", "金额小于0, 会让发放额、执行率失真"),
    "rate": ("资金执行率超出合理范围", "本年度实发超过预算的150%或预算不为正, 多为预算漏报、负数或类别错误"),
    "dup_station": ("重复服务站", "同一区划同一层级有多个服务站, 覆盖率会超过100%"),
    "orphan": ("关联记录缺失", "发放对象不在优抚对象名册、人员不在退役军人库或服务站不存在"),
    "unknown_code": ("区划代码不存在", "区划代码不在区划树中, 这些行不进入任何汇总"),
    "unknown_value": ("取值不在允许范围", "资金类别或发放状态不是规定取值, 不进入分类统计"),
    "future": ("日期晚于数据截至日期", "发生日期晚于数据截至日期"),
    "no_budget": ("县无本年度预算", "有发放记录但没有本年度预算, 无法计算资金执行率"),
}
SOURCES = {name: spec.title for name, spec in SPECS.items()}


def findings(db: Database, scope: str, region: str) -> pd.DataFrame:
    """check_kind, source, place_code, place_name, cases, example_id, worst — one row per finding."""
    return db.frame("quality_findings", region_binds(scope, region))


def freshness(db: Database, scope: str, region: str) -> pd.DataFrame:
    """place_code, place_name, source, latest_day, rows_total — one row per county and source table."""
    return db.frame("quality_freshness", region_binds(scope, region))


def flagged_counties(db: Database, scope: str, region: str) -> dict[str, set[str]]:
    """{county 12-digit code: {check kinds}} for the counties inside a region with any finding."""
    frame = findings(db, scope, region)
    out: dict[str, set[str]] = {}
    for code, kind in zip(frame["place_code"], frame["check_kind"]):
        out.setdefault(code, set()).add(kind)
    return out


def findings_total(db: Database) -> int:
    """Rows found by all checks together (0 = clean): `vetdash refresh` exits 1 when it is not 0."""
    frame = db.frame("quality_counts")
    return int(frame["cases"].sum()) if len(frame) else 0


def summary_lines(db: Database) -> list[str]:
    """What `vetdash refresh` and `vetdash load` print after the checks: one line per kind of finding."""
    frame = db.frame("quality_counts")
    if frame.empty:
        return ["数据质量检查：未发现问题。"]
    total = int(frame["cases"].sum())
    lines = [f"数据质量检查：发现 {len(frame)} 类问题，共 {total:,} 行(详见驾驶舱“数据质量”页 /quality)："]
    for r in frame.itertuples(index=False):
        lines.append(f"  {CHECKS.get(r.check_kind, (r.check_kind,))[0]}：{int(r.places)} 个县(区)，{int(r.cases)} 行")
    return lines
