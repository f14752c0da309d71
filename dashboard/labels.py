"""Chinese wording and number formatting in one place (万/亿 as Chinese reports write them)."""
from __future__ import annotations

import math
from datetime import date

BUREAU = "退役军人事务局"
APP_TITLE = "领导驾驶舱"
PAGES = [  # (path, tab label)
    ("/", "总览"),
    ("/network", "服务网络"),
    ("/placement", "安置就业"),
    ("/funds", "资金发放"),
    ("/petitions", "信访热点"),
    ("/rankings", "排名"),
    ("/weekly", "周例会"),
    ("/quality", "数据质量"),
    ("/yearly", "年度总结"),
]
PERIOD_KINDS = [("week", "周"), ("month", "月"), ("quarter", "季"), ("year", "年")]
KIND_BADGES = {"时点": "时点指标：期末时点值", "期间": "期间指标：本期内发生额",
               "年累计": "年累计指标：自1月1日至期末"}
COUNTY_ONLY = "按县统计"
NO_DATA = "暂无数据"


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def fmt_int(v, unit: str = "") -> str:
    if _missing(v):
        return "—"
    v = float(v)
    if abs(v) >= 1e8:
        return f"{v / 1e8:,.2f}亿{unit}"
    if abs(v) >= 1e5:
        return f"{v / 1e4:,.1f}万{unit}"
    return f"{v:,.0f}{unit}"


def fmt_yuan(v) -> str:
    """7667万元, 1.49亿元, 3,820元."""
    if _missing(v):
        return "—"
    v = float(v)
    if abs(v) >= 1e8:
        return f"{v / 1e8:,.2f}亿元"
    if abs(v) >= 1e6:
        return f"{v / 1e4:,.0f}万元"
    if abs(v) >= 1e4:
        return f"{v / 1e4:,.1f}万元"
    return f"{v:,.0f}元"


def fmt_pct(v, digits: int = 1) -> str:
    """v is a percentage (93.5 -> '93.5%')."""
    if _missing(v):
        return "—"
    return f"{v:.{digits}f}%"


def fmt_delta(delta, unit: str) -> str:
    """▲0.4个百分点 / ▼12件 / 持平."""
    if _missing(delta):
        return ""
    if abs(delta) < 1e-9:
        return "持平"
    arrow = "▲" if delta > 0 else "▼"
    if unit == "%":
        return f"{arrow}{abs(delta):.1f}个百分点"
    if unit == "元":
        return f"{arrow}{fmt_yuan(abs(delta))}"
    if "/" in unit:                                  # ratios such as 件/万人, 人/站
        return "持平" if abs(delta) < 0.05 else f"{arrow}{abs(delta):,.1f}{unit}"
    return f"{arrow}{fmt_int(abs(delta))}{unit}"


def fmt_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def fmt_month(m: int) -> str:
    return f"{m // 100}年{m % 100}月"


def ratio(num, den, scale: float = 100.0):
    """num/den*scale, or None when the denominator is 0 or missing."""
    if _missing(num) or _missing(den) or not den:
        return None
    return float(num) / float(den) * scale
