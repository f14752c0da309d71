"""年度工作情况 as Word: title, the report's sentence with footnote numbers, the figures with 口径, 内部资料."""
from __future__ import annotations

from datetime import datetime

from dashboard.exports import docx_common as d
from dashboard.yearly_model import BY_KEY, YearlyModel

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"


def mark(n: int) -> str:
    return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else f"[{n}]"


def yearly_docx(model: YearlyModel, generated: datetime | None = None) -> bytes:
    doc = d.new_document()
    d.heading(doc, model.title, 18, center=True)
    sub = d.paragraph(doc, indent=False)
    sub.alignment = 1
    d.set_font(sub.add_run(f"{model.year_label} · 数据截至{model.as_of.year}年{model.as_of.month}月{model.as_of.day}日"
                           f" · {d.INTERNAL}"), d.BODY_FONT, 11, color="555555")
    d.heading(doc, "一、主要工作数据", 14)
    p = d.paragraph(doc)
    for text, key in model.segments:
        d.set_font(p.add_run(text), d.BODY_FONT, 14)
        if key:
            run = p.add_run(mark(model.figures[key].note))
            d.set_font(run, d.BODY_FONT, 9)
            run.font.superscript = True
    d.heading(doc, "二、数据明细及口径", 14)
    rows = [[mark(f.note) if f.note else "", f.name, f.text, f.formula] for f in model.figures.values()]
    d.table(doc, ["注", "项目", "数值", "口径"], rows, widths_cm=[1.0, 3.8, 3.0, 8.4], size=10)
    if model.children is not None and len(model.children):
        d.heading(doc, "三、各县(市、区)情况", 14)
        frame = model.children.drop(columns=["区划代码"])
        cols = list(frame.columns)
        units = {BY_KEY[k].name: f.unit for k, f in model.figures.items()}
        body = [[r[0]] + [_cell(v, units.get(c, "")) for c, v in zip(cols[1:], r[1:])]
                for r in frame.itertuples(index=False, name=None)]
        short = {BY_KEY[k].name: BY_KEY[k].short or BY_KEY[k].name for k in model.figures}
        head = [c if c not in units else f"{short[c]}（{units[c]}）" for c in cols]
        widths = [1.8] + [2.2 if units.get(c) == "万元" else 1.4 for c in cols[1:]]      # money needs 9 digits
        d.table(doc, head, body, size=8, widths_cm=widths)
    note = d.paragraph(doc, indent=False)
    stamp = (generated or datetime.now()).strftime("%Y-%m-%d %H:%M")
    d.set_font(note.add_run(f"说明：以上数据由退役军人事务领导驾驶舱根据业务数据库自动生成（{stamp}），"
                            "口径见上表；正式上报以统计报表为准。"), d.BODY_FONT, 9, color="555555")
    return d.to_bytes(doc)


def _cell(v, unit: str) -> str:
    if v is None or v != v:
        return "—"
    return f"{v:,.2f}" if unit == "万元" else f"{int(v):,}"
