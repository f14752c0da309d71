"""Writes docs/indicators.md from the indicator catalogue (dashboard/catalogue.py) and the thresholds files.

    python docs/make_indicator_doc.py            # rewrite docs/indicators.md
    python docs/make_indicator_doc.py --check    # exit 1 if docs/indicators.md is out of date

A test fails when the file is stale, so the doc, the tooltips and every view say the same thing.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from config.thresholds import load_thresholds  # noqa: E402
from dashboard.catalogue import AREAS, INDICATORS, PACE_TEXT, REPORT_FIGURES  # noqa: E402

OUT = ROOT / "docs" / "indicators.md"
AREA_DOCS = {"服务网络": "indicators/network.md", "安置就业": "indicators/placement.md",
             "资金发放": "indicators/funds.md", "信访热点": "indicators/petitions.md"}

HEAD = f"""# 指标口径 (indicator catalogue)

Generated from `dashboard/catalogue.py` by `python docs/make_indicator_doc.py` — do not edit by hand; a
test fails when this file is stale. Every KPI card, bar, map, ranking, weekly flag, wall panel and export
reads the same catalogue entry, so a number, its 口径 and its 红黄绿 mean the same everywhere.

- **Kinds**: **时点** (a stock at the period's last counted day), **期间** (a flow within the period),
  **年累计** (1 January to the period's last counted day). A period not yet over is cut at the data's
  as-of date and compared with the same number of days of the previous period and of last year.
- **{PACE_TEXT}** (3 Dec 2026: 337 ÷ 365 = 92.3%; 30 Nov: 334 ÷ 365 = 91.5%); pace-type indicators are
  judged by their gap to it in 百分点.
- **Money flows** (发放额, 受益人次, 资金执行率) belong to a period by the day the money arrived (`paid_on`,
  cash basis, as budget execution is counted); 按时足额发放率 is by entitlement month (所属月份), counting
  only payments already due at the as-of date. The breakdown by 所属月份 stays as a chart.
- **Status**: 红黄绿 only for a value inside its sane range; outside it the value shows as “数据异常”
  (grey) with the reason, never 达标. No source data shows “—” with why (未知不是0); a period that ends
  before a source's first loaded day is unknown, not 0 (`meta.loaded_from.*`, written by `vetdash refresh`).
- **Stand-in**: a card whose current period has no denominator yet (nothing due yet this month) shows the
  last complete period's value labelled “11月（上期）”; the page's period stays as chosen.
- **按县统计**: a county-only indicator below county level shows the county's value, never an invented
  village figure. Thresholds: `config/thresholds.toml` and `config/thresholds.d/*.toml` (operator-edited).
- Source: the `.sql` file under `queries/sql/` that computes the numerator and denominator.

Per-area operational choices: """ + " · ".join(f"[{a}]({p})" for a, p in AREA_DOCS.items()) + "\n"


def _range(sane) -> str:
    lo, hi = sane
    return f"{'−∞' if lo is None else f'{lo:g}'} … {'∞' if hi is None else f'{hi:g}'}"


def _threshold(ind, thresholds) -> str:
    t = thresholds.get(ind.tkey) if ind.tkey else None
    if t is None:
        return "无目标值（不着色）"
    if t.direction == "pace":
        return f"落后序时进度 ≤{t.green:g} 绿 / ≤{t.amber:g} 黄 / 其余红（`{ind.tkey}`）"
    op = "≥" if t.direction == "higher" else "≤"
    scaled = "（按30日折算）" if ind.per_month else ""
    return f"{op}{t.green:g} 绿 / {op}{t.amber:g} 黄 / 其余红{scaled}（`{ind.tkey}`）"


def render() -> str:
    thresholds = load_thresholds()
    parts = [HEAD]
    for area in AREAS:
        parts.append(f"\n## {area}\n\n| ID | 指标 | 口径 | 类别 | 单位 | 方向 | 合理范围 | 红黄绿 | 层级 | 来源 SQL |\n"
                     "|---|---|---|---|---|---|---|---|---|---|\n")
        for ind in (i for i in INDICATORS if i.area == area):
            level = "县及以上（以下按县统计）" if ind.county_only else (
                "县及以上着色" if ind.status_min_level == 3 else "市—村")
            sources = ", ".join(f"`{s.strip()}`" for s in ind.source.split(","))
            parts.append(f"| {ind.code} `{ind.id}` | {ind.name} | {ind.formula} | {ind.kind} | {ind.unit} | "
                         f"{ind.direction_text} | {_range(ind.sane)} | {_threshold(ind, thresholds)} | {level} | "
                         f"{sources} |\n")
    parts.append(YEARLY_HEAD)
    for ind in REPORT_FIGURES:
        sources = ", ".join(f"`{s.strip()}`" for s in ind.source.split(","))
        parts.append(f"| {ind.code} `{ind.id}` | {ind.name} | {ind.formula} | {ind.unit} | {sources} |\n")
    return "".join(parts)


YEARLY_HEAD = """
## 年度工作情况

The figures of the yearly summary (`/yearly`, its Word and Excel downloads), in the words of a bureau's
annual report: whole calendar years, per city or county (a township shows its county), no 红黄绿 and no
ranking. Computed by `queries/report.py`; 万元 with two decimals.

| ID | 项目 | 口径 | 单位 | 来源 SQL |
|---|---|---|---|---|
"""


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print("docs/indicators.md is out of date: run python docs/make_indicator_doc.py")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(INDICATORS)} indicators, {len(REPORT_FIGURES)} yearly figures)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
