"""A data-quality finding turns the figures it corrupts grey ("数据异常"), not just the out-of-range ones.

`vetdash refresh` records findings per county (queries/quality.py). A finding for a county marks the
indicators in AFFECTS as abnormal, with the finding as reason, on that county's pages and its ancestors'
(the city's totals hold the bad rows too); a child bar or map shape is grey when a finding lies in that
child. Below a county, only the county-level figures shown there (按县统计) carry the county's marks.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd
from sqlalchemy import inspect

from dashboard.catalogue import STATUS_ABNORMAL, Kpi
from queries import codes
from queries import quality as q

_FUNDS = ("funds_paid", "execution", "funds_people", "funds_per_capita", "ontime_rate", "funds_backpay",
          "funds_anomalies", "funds_anomaly_rate")
_STATIONS = ("network_built", "coverage", "network_town_coverage", "network_village_coverage", "network_running",
             "five_have", "network_model_share", "network_red", "network_yibu", "network_staff",
             "network_certified", "network_objects")
_PETITIONS = ("petitions_received", "petitions_per_10k", "petitions_repeat_rate", "petitions_skip", "petitions_group",
              "petitions_accept_timely", "petitions_close_rate", "closed_ontime", "petitions_overdue",
              "petitions_satisfaction")
_EMPLOYMENT = ("employment_rate", "employment_waiting", "employment_clear_rate")
# The indicators fed by each source table's rows: a row missing (unknown code), dated in the future or
# pointing at nothing corrupts these.
BY_SOURCE = {
    "payment": _FUNDS, "budget": ("execution",), "beneficiary": ("funds_anomalies", "funds_anomaly_rate"),
    "fund_standard": ("funds_anomalies", "funds_anomaly_rate"),
    "service_unit": _STATIONS, "station_activity": ("network_items", "network_visits", "network_running"),
    "petition": _PETITIONS, "veteran": ("petitions_per_10k",) + _EMPLOYMENT,
    "placement": ("placement_received", "placement_rate", "placement_gov_share", "placement_report_ontime",
                  "placement_training_rate"),
    "placement_task": ("placement_rate",), "employment_status": _EMPLOYMENT,
    "service_event": ("employment_311_rate",), "training": ("employment_trainings", "placement_training_rate"),
}
# Where a check corrupts fewer figures than its whole source table.
BY_CHECK = {
    ("negative", "payment"): ("funds_paid", "execution", "funds_per_capita"),
    ("negative", "budget"): ("execution",),
    ("rate", "budget"): ("execution",),
    ("no_budget", "budget"): ("execution",),
    ("unknown_value", "payment"): ("funds_paid", "execution", "funds_people", "funds_per_capita", "ontime_rate"),
    ("unknown_value", "budget"): ("execution",),
    ("dup_station", "service_unit"): ("network_built", "coverage", "network_town_coverage",
                                      "network_village_coverage", "network_running", "five_have"),
    ("orphan", "payment"): ("funds_anomalies", "funds_anomaly_rate"),
}


def affected(check_kind: str, source: str) -> tuple[str, ...]:
    """Indicator ids a finding of this kind in this source table corrupts."""
    return BY_CHECK.get((check_kind, source), BY_SOURCE.get(source, ()))


def _reasons(frame: pd.DataFrame) -> dict[str, str]:
    """indicator id -> one Chinese reason naming the findings (kind, place, rows)."""
    parts: dict[str, list[str]] = {}
    for r in frame.itertuples(index=False):
        name = r.place_name if isinstance(r.place_name, str) and r.place_name else codes.short_code(r.place_code)
        text = f"{q.CHECKS.get(r.check_kind, (r.check_kind,))[0]}（{name}，{int(r.cases):,}行）"
        for ind in affected(r.check_kind, r.source):
            if text not in parts.setdefault(ind, []):
                parts[ind].append(text)
    return {ind: "数据质量检查发现：" + "；".join(texts[:3]) + ("等" if len(texts) > 3 else "") + "，请核查源数据"
            for ind, texts in parts.items()}


_HAS_TABLE: set = set()


def _checked(engine) -> bool:
    """Whether the database has the checks' table (one built before them and not refreshed since has not);
    once seen it is remembered, until then asked again (a refresh may create it while the app runs)."""
    if engine not in _HAS_TABLE and inspect(engine).has_table("roll_quality"):
        _HAS_TABLE.add(engine)
    return engine in _HAS_TABLE


_MEMO: OrderedDict = OrderedDict()   # (database, data version, scope, region) -> findings frame
_MEMO_MAX = 1024
_MEMO_LOCK = threading.Lock()


def _findings(ctx, code: str) -> pd.DataFrame:
    """The findings inside a region; the same until the next refresh (data version), so every page of the
    process reads them once per version instead of once or twice per page."""
    if not _checked(ctx.db.engine):
        return pd.DataFrame(columns=["check_kind", "source", "place_code", "place_name", "cases", "example_id", "worst"])
    key = (repr(ctx.db), ctx.data_version, ctx.scope, code)
    with _MEMO_LOCK:
        if key in _MEMO:
            _MEMO.move_to_end(key)
            return _MEMO[key]
    frame = q.findings(ctx.db, ctx.scope, code)
    with _MEMO_LOCK:
        _MEMO[key] = frame
        while len(_MEMO) > _MEMO_MAX:
            _MEMO.popitem(last=False)
    return frame


class QualityMarks:
    """The findings inside one region, read once per page model."""

    def __init__(self, ctx, region):
        self.region = region
        self.frame = _findings(ctx, region.code)
        self.own = _reasons(self.frame)
        self.county_own: dict[str, str] = {}
        if region.level >= 4:                  # 按县统计 figures on a township/village page are the county's
            county = ctx.tree.county_of(region.code)
            if county is not None:
                from dashboard.auth.viewer import county_figures   # a township viewer may read his county's
                with county_figures(county):
                    self.county_own = _reasons(_findings(ctx, county.code))

    def reason(self, kpi: Kpi) -> str | None:
        ind = kpi.indicator
        if ind.county_only and self.region.level >= 4:
            return self.county_own.get(ind.id)
        return self.own.get(ind.id)

    def mark_kpis(self, kpis):
        """Kpis (a list or a dict of them) with affected figures made abnormal; returns the same object."""
        for kpi in (kpis.values() if isinstance(kpis, dict) else kpis):
            reason = self.reason(kpi)
            if reason and kpi.value is not None:
                kpi.status, kpi.reason = STATUS_ABNORMAL, reason
                kpi.extra["quality_region"] = self.region.short
        return kpis

    def child_reasons(self, child_short: str) -> dict[str, str]:
        lo, hi = codes.subtree_range(child_short)
        part = self.frame[(self.frame["place_code"] >= lo) & (self.frame["place_code"] <= hi)]
        return _reasons(part) if len(part) else {}

    def mark_children(self, children: pd.DataFrame, metric_id: str) -> pd.DataFrame:
        """Children rows (children_frame) whose subtree has a finding affecting the metric turn grey."""
        if children.empty or self.frame.empty:
            return children
        out = children.copy()
        for i, row in out.iterrows():
            if row["status"] in (STATUS_ABNORMAL, "unknown") or pd.isna(row["value"]):
                continue
            if metric_id in self.child_reasons(row["code"]):
                out.at[i, "status"] = STATUS_ABNORMAL
                out.at[i, "text"] = f"数据异常（{row['text']}）"
        return out


def apply(ctx, region, kpis=None, children: pd.DataFrame | None = None, metric_id: str | None = None):
    """(kpis, children) with the quality findings' marks applied."""
    marks = QualityMarks(ctx, region)
    if kpis is not None:
        marks.mark_kpis(kpis)
    if children is not None and metric_id:
        children = marks.mark_children(children, metric_id)
    return kpis, children
