"""周例会简报 (.docx) for a region's week: what /weekly shows (KPIs with 口径, flags with persistence, 本周要点)
plus 2–3 charts drawn on the server, marked 内部资料, with who issued it and when — then kept as issued.

`issue(ctx, region, week, issued_by)` builds one brief and stores it (dashboard/weekly/issued.py);
`issue_counties(...)` one per county of a city, returned as a zip. Both report progress when run as a
background job (dashboard/exports/jobs.py).
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pandas as pd

from dashboard import labels
from dashboard.cache import cached_model
from dashboard.catalogue import is_missing
from dashboard.components.kpi import format_value
from dashboard.context import AppContext
from dashboard.exports.charts import ChartError, figure_png
from dashboard.exports.docx_brief import Brief, BriefFlag, BriefImage, BriefKpi, write_brief
from dashboard.exports.jobs import report_progress
from dashboard.figures import base_layout, ranked_bars
from dashboard.weekly import issued
from dashboard.weekly.flags import AREA_KEYS
from dashboard.weekly.model import WeeklyModel, build_weekly, flag_order

AREA_COLORS = {"服务网络": "#1f77b4", "安置就业": "#2ca02c", "资金发放": "#d4a017", "信访热点": "#d64541"}


def brief_title(model: WeeklyModel) -> str:
    """郴州市退役军人事务局 周例会简报 / 宜章县退役军人事务局 周例会简报."""
    return f"{model.region.name}退役军人事务局 周例会简报"


def week_number(model: WeeklyModel) -> str:
    """期次: 2026年第48周."""
    iso = model.week.start.isocalendar()
    return f"{iso[0]}年第{iso[1]}周"


def kpi_rows(model: WeeklyModel) -> list[BriefKpi]:
    """The page's cards as table rows: value, change against last week and last year, status, 口径."""
    out = []
    for k in model.kpis:
        ind = k.indicator
        shown = format_value(ind, None if k.status == "abnormal" else k.value)
        comparable = k.status != "abnormal" and not k.value_label and not is_missing(k.value)
        prev = labels.fmt_delta(float(k.value) - float(k.prev), ind.unit) if comparable and not is_missing(k.prev) else ""
        ly = (labels.fmt_delta(float(k.value) - float(k.last_year), ind.unit)
              if comparable and not is_missing(k.last_year) else "")
        note = " ".join(t for t in (k.value_label or "", k.reason or "", k.note or "") if t)
        out.append(BriefKpi(ind.name, shown, prev, ly, k.status, note, formula=f"{ind.formula}（{ind.kind}）"))
    return out


def flag_rows(model: WeeklyModel) -> list[BriefFlag]:
    """The flag table as the page orders it: red flags with how long they have been red, then 已解除."""
    rows = []
    for f in flag_order(model):                         # the page's own order: one rule for screen and paper
        reason = f.rule_text + (f"；{f.detail}" if f.detail else "")
        rows.append(BriefFlag(f.region_name, f.name, f.value_text, "已解除" if f.resolved else "red", reason,
                              persistence=f.persistence))
    return rows


def flags_figure(model: WeeklyModel) -> dict | None:
    """预警事项分布: flags per region stacked by area (None when there are none)."""
    if not model.flags:
        return None
    frame = pd.DataFrame([{"region": f.region_name, "area": f.area} for f in model.flags])
    counts = frame.groupby(["region", "area"]).size().unstack(fill_value=0)
    counts = counts.loc[counts.sum(axis=1).sort_values().index]
    traces = [{"type": "bar", "orientation": "h", "name": area, "y": list(counts.index), "x": list(map(int, counts[area])),
               "marker": {"color": AREA_COLORS.get(area, "#888888")}}
              for area in AREA_KEYS if area in counts.columns]
    layout = base_layout(max(300, 28 * len(counts) + 110), f"预警事项分布 · {model.week.label}", barmode="stack",
                         margin={"l": 10, "r": 20, "t": 50, "b": 40},
                         xaxis={"title": {"text": "项"}, "dtick": 1, "rangemode": "tozero"},
                         yaxis={"automargin": True, "tickmode": "linear", "dtick": 1},
                         showlegend=True, legend={"orientation": "h", "y": -0.12})
    return {"data": traces, "layout": layout}


def chart_specs(model: WeeklyModel) -> list[tuple[str, str]]:
    """(overview metric, caption) of the bar charts: the week's petitions, and 资金执行率 (a county's
    townships have no 执行率 of their own: 服务站覆盖率 instead)."""
    second = ("execution", "资金执行率") if model.region.level <= 2 else ("coverage", "服务站覆盖率")
    return [("petitions_per_10k", "每万名退役军人信访量"), second]


def charts(ctx: AppContext, model: WeeklyModel) -> list[BriefImage]:
    """2–3 PNG charts drawn by kaleido; a chart that cannot be drawn is left out (the brief still goes)."""
    from dashboard.overview_model import build_overview
    level = "各县(市、区)" if model.region.level <= 2 else "各乡镇(街道)"
    figures = []
    first = flags_figure(model)
    if first is not None:
        figures.append((first, "预警事项分布（按区划、领域）", 1000, None))
    for metric, caption in chart_specs(model):
        ov = cached_model("overview", build_overview, ctx, model.region.short, model.week.key, metric)
        ref = ov.extras.get("pace") if metric == "execution" else None
        fig = ranked_bars(ov.children, f"{caption} · {level} · {model.week.label}", ov.metric.unit,
                          reference=ref, reference_label=f"序时进度{ref:.1f}%" if ref else "")
        figures.append((fig, f"{level}{caption}", 1000, None))
    images = []
    for i, (fig, caption, width, height) in enumerate(figures, start=1):
        report_progress(40 + 40 * i // (len(figures) + 1), f"绘制图表 {i}/{len(figures)}")
        h = height or int(fig["layout"].get("height") or 420)
        try:
            images.append(BriefImage(figure_png(fig, width=width, height=min(h, 900)), caption))
        except ChartError:
            continue
    return images


def build_brief(ctx: AppContext, region_code: str, week_key: str, issued_by: str, issued_at: datetime,
                with_charts: bool = True) -> tuple[Brief, WeeklyModel]:
    report_progress(10, "读取本周数据")
    model = cached_model("weekly", build_weekly, ctx, region_code, week_key)
    report_progress(35, "整理指标和预警")
    brief = Brief(title=brief_title(model), region=model.region.name, period_label=model.week.label,
                  as_of=ctx.as_of, subtitle=f"{model.region.name} · {model.week.label}",
                  kpis=kpi_rows(model), flags=flag_rows(model), narrative=list(model.narrative),
                  images=charts(ctx, model) if with_charts else [], data_version=ctx.data_version,
                  issued=issued_at, issued_by=issued_by, week_label=f"（{week_number(model)}）")
    return brief, model


def file_name(model: WeeklyModel) -> str:
    return f"{model.region.name}_周例会简报_{week_number(model)}.docx"


def issue(ctx: AppContext, state_url: str, region_code: str, week_key: str, issued_by: str,
          issued_at: datetime | None = None) -> tuple[issued.IssuedBrief, bytes]:
    """Build the brief, store it as issued; returns (stored row, the .docx bytes)."""
    when = (issued_at or datetime.now()).replace(microsecond=0)
    brief, model = build_brief(ctx, region_code, week_key, issued_by, when)
    report_progress(85, "生成Word")
    data = write_brief(brief)
    row = issued.store(state_url, model.region.code, model.week.key, ctx.data_version, issued_by, file_name(model),
                       data, issued_at=when)
    return row, data


def issue_counties(ctx: AppContext, state_url: str, city_code: str, week_key: str, issued_by: str,
                   issued_at: datetime | None = None) -> tuple[list[issued.IssuedBrief], bytes, str]:
    """One brief per county (市辖区、县、县级市、功能区) of a city, each stored; (rows, zip bytes, zip name)."""
    city = ctx.tree.resolve(city_code)
    counties = ctx.tree.children(city.code)
    rows, buf = [], io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, county in enumerate(counties):
            report_progress(5 + 90 * i // max(len(counties), 1), f"生成{county.name}简报 {i + 1}/{len(counties)}")
            row, data = _quiet(issue, ctx, state_url, county.short, week_key, issued_by, issued_at)
            zf.writestr(row.file_name, data)
            rows.append(row)
    week = rows[0].week if rows else week_key or ""
    return rows, buf.getvalue(), f"{city.name}_各县周例会简报_{week}.zip"


def _quiet(fn, *args):
    """Run one county's brief without its own progress messages (the zip's progress is per county)."""
    from dashboard.exports import jobs
    saved = getattr(jobs._local, "job", None)
    jobs._local.job = None
    try:
        return fn(*args)
    finally:
        jobs._local.job = saved
