"""年度工作情况: a region's year in the words of a bureau's annual report (seed 002), as plain data.

The figures come from queries.report.county_year_summary (one definition, shared with the demo's
calibration check); their name, unit and 口径 are catalogue entries (dashboard.catalogue.REPORT_FIGURES);
this module only writes the sentence they appear in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard.auth.viewer import county_figures_scope
from dashboard.catalogue import REPORT_BY_ID, Indicator
from dashboard.context import AppContext
from dashboard.exports.jobs import report_progress
from queries import report
from queries.codes import RegionCodeError
from queries.periods import Period
from queries.regions import Region

YEARS_BACK = 5                        # the year selector offers this many years up to the as-of year


@dataclass(frozen=True)
class FigureDef:
    key: str
    source: str                       # the figure's name in report.county_year_summary
    short: str = ""                   # column header where every figure sits side by side (各县情况)

    @property
    def indicator(self) -> Indicator:
        """The catalogue entry (name, unit, 口径): one definition for the page, the .docx and the .xlsx."""
        return REPORT_BY_ID[f"yearly_{self.key}"]

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def formula(self) -> str:
        return self.indicator.formula

    @property
    def unit(self) -> str:
        return self.indicator.unit


FIGURES = [
    FigureDef("zizhu", "接收自主就业退役士兵", "自主就业"),
    FigureDef("anpai", "接收政府安排工作退役士兵", "安排工作"),
    FigureDef("shiye", "其中：安置到事业单位", "事业单位"),
    FigureDef("yangqi", "其中：安置到央企", "央企"),
    FigureDef("dangzheng", "其中：安置到党政机关", "党政机关"),
    FigureDef("guoqi", "其中：安置到地方国企", "地方国企"),
    FigureDef("helped", "帮助实现就业创业", "就业创业"),
    FigureDef("fuxu", "优抚对象抚恤补助资金发放", "抚恤补助"),
    FigureDef("youdai", "义务兵家庭优待金发放", "优待金"),
]
BY_KEY = {f.key: f for f in FIGURES}
OPTIONAL = ("dangzheng", "guoqi")     # named in the sentence only when not zero (seed 002 names two)


@dataclass
class YearFigure:
    key: str
    name: str
    value: float
    unit: str
    text: str                          # 232人 / 7,667.00万元
    formula: str
    note: int = 0                      # footnote number (1-based) in the sentence


@dataclass
class YearlyModel:
    region: Region
    lineage: list
    period: Period                     # the year (kind "year")
    figures: dict[str, YearFigure]
    segments: list[tuple[str, str | None]]     # the sentence: (text, figure key or None)
    children: pd.DataFrame | None      # a city: one row per county with every figure
    as_of: date
    note: str | None = None            # e.g. a township asked for: its county is shown
    extras: dict = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.period.start.year

    @property
    def sentence(self) -> str:
        return "".join(text for text, _ in self.segments)

    @property
    def title(self) -> str:
        return f"{self.region.name}{self.year}年退役军人事务工作情况"

    @property
    def year_label(self) -> str:
        return self.period.label


def fmt_figure(value: float, unit: str) -> str:
    """232人 / 7,667.00万元 (the annual report writes money in 万元 with two decimals)."""
    if unit == "万元":
        return f"{value:,.2f}万元"
    return f"{int(round(value)):,}{unit}"


def year_period(ctx: AppContext, period_key: str | None) -> Period:
    """The year of any period key (2023, 2026-11, 2026-W47); default: the last complete year."""
    if not period_key:
        return Period.parse(str(ctx.as_of.year - 1), ctx.as_of)
    p = Period.parse(period_key, ctx.as_of)
    return p if p.kind == "year" else Period.parse(str(p.start.year), ctx.as_of)


def summary_region(ctx: AppContext, region: Region) -> tuple[Region, str | None]:
    """The region a yearly summary is written for: a township or village gives its county (with a note)."""
    if region.level <= 3:
        return region, None
    county = ctx.tree.county_of(region.code)
    if county is None:
        raise RegionCodeError(f"年度工作情况按市、县(市、区)统计；“{region.name}”不属于任何县(市、区)")
    return county, f"年度工作情况按市、县(市、区)统计，以下为“{region.name}”所属的{county.name}的情况。"


def figures_for(ctx: AppContext, region_code: str, year: int) -> dict[str, YearFigure]:
    # a township viewer reads his own county's summary (按县统计), never another county's
    scope = county_figures_scope(ctx.scope, region_code)
    frame = report.county_year_summary(ctx.db, scope, region_code, year).set_index("figure")
    out = {}
    for f in FIGURES:
        if f.source not in frame.index:
            continue
        value, unit = float(frame.loc[f.source, "value"]), f.unit
        if str(frame.loc[f.source, "unit"]) != unit:        # the query and the catalogue must agree on the unit
            raise RuntimeError(f"{f.key}: report unit {frame.loc[f.source, 'unit']} ≠ catalogue unit {unit}")
        out[f.key] = YearFigure(f.key, f.name, value, unit, fmt_figure(value, unit), f.formula)
    return out


def sentence(figures: dict[str, YearFigure], period: Period) -> list[tuple[str, str | None]]:
    """接收自主就业退役士兵N人，安排工作N人（事业单位N人、央企N人），帮助就业创业N人；发放优抚对象抚恤补助N万元，
    义务兵家庭优待金N万元。 — as (text, key) segments so each figure can carry its 口径."""
    segs: list[tuple[str, str | None]] = []
    head = f"{period.start.year}年" + (f"（截至{period.as_of.month}月{period.as_of.day}日）" if period.is_partial else "")
    segs.append((f"{head}，全年接收自主就业退役士兵" if not period.is_partial else f"{head}，接收自主就业退役士兵", None))
    segs.append((figures["zizhu"].text, "zizhu"))
    segs += [("，安排工作", None), (figures["anpai"].text, "anpai")]
    parts = [("事业单位", "shiye"), ("央企", "yangqi")] + [
        (name, key) for name, key in (("党政机关", "dangzheng"), ("地方国企", "guoqi"))
        if key in figures and figures[key].value]
    segs.append(("（", None))
    for i, (name, key) in enumerate(parts):
        segs += [(("、" if i else "") + name, None), (figures[key].text, key)]
    segs.append(("），帮助就业创业", None))
    segs.append((figures["helped"].text, "helped"))
    segs += [("；发放优抚对象抚恤补助", None), (figures["fuxu"].text, "fuxu"),
             ("，义务兵家庭优待金", None), (figures["youdai"].text, "youdai"), ("。", None)]
    return segs


def _number(figures: dict[str, YearFigure], segments) -> None:
    n = 0
    for _text, key in segments:
        if key and not figures[key].note:
            n += 1
            figures[key].note = n


def _children(ctx: AppContext, region: Region, year: int) -> pd.DataFrame | None:
    """A city's counties side by side (a province root is left out: raw-table queries per city are heavy)."""
    if region.level != 2:
        return None
    rows = []
    children = ctx.tree.children(region.code)
    for i, child in enumerate(children):
        report_progress(10 + 80 * i // max(len(children), 1), f"统计各县(市、区) {i + 1}/{len(children)}")
        figs = figures_for(ctx, child.code, year)
        rows.append({"区划代码": child.short, "区划": child.name,
                     **{BY_KEY[k].name: f.value for k, f in figs.items()}})
    return pd.DataFrame(rows)


def build_yearly(ctx: AppContext, region_code: str | None, period_key: str | None) -> YearlyModel:
    """Raises RegionCodeError / OutOfScope / PeriodError (Chinese messages) for bad URL state."""
    region, note = summary_region(ctx, ctx.tree.resolve(region_code))
    period = year_period(ctx, period_key)
    figures = figures_for(ctx, region.code, period.start.year)
    segments = sentence(figures, period)
    _number(figures, segments)
    return YearlyModel(region, ctx.tree.lineage(region.code), period, figures, segments,
                       _children(ctx, region, period.start.year), ctx.as_of, note=note)


def year_options(as_of: date) -> list[int]:
    return list(range(as_of.year, as_of.year - YEARS_BACK, -1))
