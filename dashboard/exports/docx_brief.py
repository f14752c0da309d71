"""Generic Word brief: title, subtitle, KPI table with changes, flag table, narrative, chart images.

Everything comes from a plain `Brief` (dataclasses below), so the weekly review page (one brief for the
city, or one per county) only fills the data in:

    from dashboard.exports.charts import figure_png
    from dashboard.exports.docx_brief import Brief, BriefFlag, BriefImage, BriefKpi, write_brief
    brief = Brief(title="郴州市退役军人事务工作周报", region="郴州市", period_label="2026年第48周（11月23日—29日）",
                  as_of=date(2026, 11, 29),
                  kpis=[BriefKpi("就业率", "93.1%", "▲0.8个百分点", "▲1.2个百分点", "green")],
                  flags=[BriefFlag("宜章县", "资金执行率", "71.0%", "red", "落后序时进度 20.7 个百分点")],
                  narrative=["本周全市共收到信访 36 件，……"],
                  images=[BriefImage(figure_png(fig), "各县信访量")])
    data = write_brief(brief)       # .docx bytes, 内部资料 in header and footer
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from config.thresholds import STATUS_COLORS, STATUS_LABELS
from dashboard.exports import docx_common as d

STATUS_TEXT = {"abnormal": "数据异常", "unknown": "暂无数据", **STATUS_LABELS}
NUMERALS = "一二三四五六七八九十"


@dataclass
class BriefKpi:
    name: str
    value: str                       # formatted: 93.1% / 36件 / 7,667万元
    change_prev: str = ""            # ▲0.8个百分点 / 持平
    change_last_year: str = ""
    status: str | None = None        # green | amber | red | abnormal | unknown; None or "none": no target
    note: str = ""
    formula: str = ""                # 口径: listed under the KPI table when any KPI has one


@dataclass
class BriefFlag:
    region: str
    indicator: str
    value: str
    status: str = "red"
    reason: str = ""
    persistence: str = ""            # 新 / 持续3周 / 已解除: a 持续 column when any flag has one


@dataclass
class BriefImage:
    png: bytes
    caption: str = ""
    width_cm: float = 16.0


@dataclass
class Brief:
    title: str
    region: str
    period_label: str                # 2026年第48周（11月23日—29日）
    as_of: date
    subtitle: str | None = None      # default: "<region> · <period_label>"
    kpis: list[BriefKpi] = field(default_factory=list)
    flags: list[BriefFlag] = field(default_factory=list)
    narrative: list[str] = field(default_factory=list)
    images: list[BriefImage] = field(default_factory=list)
    data_version: str = ""           # e.g. the data's as-of stamp / refresh id, printed under the title
    issued: datetime | None = None
    issued_by: str = ""              # who issued it (签发人), printed with the issue time
    week_label: str = ""             # e.g. 2026年第48周 — printed as its own line under the title (期次)


def _status_color(status: str | None) -> str | None:
    """The screen's colour for a status with a label ("none", a figure without a target: no colour)."""
    return STATUS_COLORS.get(status) if status and STATUS_TEXT.get(status) else None


def write_brief(brief: Brief) -> bytes:
    """The brief as .docx bytes (A4 portrait)."""
    doc = d.new_document()
    d.heading(doc, brief.title, 18, center=True)
    if brief.week_label:                                  # 期次, right under the title
        period = doc.add_paragraph()
        period.alignment = WD_ALIGN_PARAGRAPH.CENTER
        d.set_font(period.add_run(brief.week_label), d.HEAD_FONT, 12)
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.set_font(sub.add_run(brief.subtitle or f"{brief.region} · {brief.period_label}"), d.BODY_FONT, 13)
    facts = doc.add_paragraph()
    facts.alignment = WD_ALIGN_PARAGRAPH.CENTER
    issued = (brief.issued or datetime.now()).strftime("%Y-%m-%d %H:%M")
    line = f"数据截至{brief.as_of.year}年{brief.as_of.month}月{brief.as_of.day}日　印发时间 {issued}"
    if brief.issued_by:
        line += f"　签发人 {brief.issued_by}"
    if brief.data_version:
        line += f"　数据版本 {brief.data_version}"
    d.set_font(facts.add_run(line + f"　{d.INTERNAL}"), d.BODY_FONT, 9, color="555555")

    sections = []
    if brief.narrative:
        sections.append(("总体情况", _narrative))
    if brief.kpis:
        sections.append(("主要指标", _kpis))
    if brief.flags:
        sections.append(("预警事项", _flags))
    if brief.images:
        sections.append(("图表", _images))
    for i, (name, fill) in enumerate(sections):
        d.heading(doc, f"{NUMERALS[i]}、{name}", 14)
        fill(doc, brief)
    return d.to_bytes(doc)


def _narrative(doc, brief: Brief) -> None:
    for text in brief.narrative:
        d.paragraph(doc, text, 13)


def _kpis(doc, brief: Brief) -> None:
    rows, fills = [], {}
    for i, k in enumerate(brief.kpis):
        rows.append([k.name, k.value, k.change_prev or "—", k.change_last_year or "—",
                     STATUS_TEXT.get(k.status, "") if k.status else "", k.note])
        color = _status_color(k.status)
        if color:
            fills[(i, 4)] = color
    d.table(doc, ["指标", "本期", "较上期", "较去年同期", "状态", "说明"], rows, fills,
            widths_cm=[3.4, 2.4, 2.8, 2.8, 1.6, 4.0], size=10)
    kouji = [[k.name, k.formula] for k in brief.kpis if k.formula]
    if kouji:
        note = doc.add_paragraph()
        note.paragraph_format.space_before = Pt(6)
        d.set_font(note.add_run("指标口径"), d.HEAD_FONT, 10, True)
        d.table(doc, ["指标", "口径"], kouji, widths_cm=[3.2, 13.0], size=8.5)


def _flags(doc, brief: Brief) -> None:
    rows, fills = [], {}
    persist = any(f.persistence for f in brief.flags)
    for i, f in enumerate(brief.flags):
        row = [f.region, f.indicator, f.value, STATUS_TEXT.get(f.status, f.status)]
        rows.append(row + ([f.persistence or "—"] if persist else []) + [f.reason])
        color = _status_color(f.status)
        if color:
            fills[(i, 3)] = color
    if persist:
        d.table(doc, ["区划", "指标", "数值", "状态", "持续", "原因"], rows, fills,
                widths_cm=[2.4, 2.8, 2.0, 1.2, 2.4, 5.4], size=9.5)
    else:
        d.table(doc, ["区划", "指标", "数值", "状态", "原因"], rows, fills, widths_cm=[3.0, 3.2, 2.4, 1.6, 6.8], size=10)


def _images(doc, brief: Brief) -> None:
    for n, image in enumerate(brief.images, start=1):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run().add_picture(io.BytesIO(image.png), width=Cm(image.width_cm))
        if image.caption:
            cap = doc.add_paragraph()
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            d.set_font(cap.add_run(f"图{n}　{image.caption}"), d.HEAD_FONT, 10)
