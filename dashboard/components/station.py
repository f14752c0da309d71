"""Village (or township) service station card: 五有 ticks, grade, staff, recent activity."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from queries.periods import from_day_key

FIVE_HAVES = [("has_institution", "有机构"), ("has_quota", "有编制"), ("has_personnel", "有人员"),
              ("has_funding", "有经费"), ("has_safeguards", "有保障")]


def station_card(station: dict | None, region_name: str) -> dbc.Card:
    if not station:
        return dbc.Card(dbc.CardBody([
            html.H5(f"{region_name}退役军人服务站", className="card-title"),
            dbc.Alert("该区划尚未建成挂牌退役军人服务站（计入服务站覆盖率缺口）。", color="danger", className="mb-0"),
        ]), className="station-card", id="station-card")
    ticks = [html.Span(("✔ " if station.get(k) else "✘ ") + label,
                       className="five-tick " + ("tick-ok" if station.get(k) else "tick-missing"))
             for k, label in FIVE_HAVES]
    grades = []
    if station.get("is_model"):
        grades.append(dbc.Badge(f"示范型{('（' + station['model_grade'] + '）') if station.get('model_grade') else ''}",
                                color="primary", className="me-1"))
    if station.get("is_benchmark"):
        grades.append(dbc.Badge("标杆型", color="info", className="me-1"))
    if station.get("is_red"):
        grades.append(dbc.Badge("红色服务站", color="danger", className="me-1"))
    if station.get("yibu_yizhan"):
        grades.append(dbc.Badge("一部一站", color="secondary", className="me-1"))
    last = station.get("last_day")
    last_text = "无服务记录" if not last or last != last else f"{from_day_key(int(last)):%Y年%m月%d日}"
    records = int(station.get("records_30d") or 0)
    activity = ("近30日有服务记录" if records else "近30日无服务记录（挂牌未运行）")
    founded = station.get("founded_on")
    return dbc.Card(dbc.CardBody([
        html.H5(station.get("name", ""), className="card-title"),
        html.Div(grades or [html.Span("未获评示范/标杆/红色", className="text-muted")], className="mb-2"),
        html.Div(ticks, className="five-ticks mb-2"),
        html.Table(html.Tbody([
            html.Tr([html.Th("建成挂牌"), html.Td(f"{founded:%Y年%m月}" if hasattr(founded, "year") else str(founded or "—"))]),
            html.Tr([html.Th("工作人员"), html.Td(f"专职 {station.get('staff_full', 0)} 人，兼职 {station.get('staff_part', 0)} 人，"
                                              f"持证退役军人事务员 {station.get('staff_certified', 0)} 人")]),
            html.Tr([html.Th("服务对象"), html.Td(f"{int(station.get('service_objects') or 0):,} 人")]),
            html.Tr([html.Th("最近服务"), html.Td(last_text)]),
            html.Tr([html.Th("近30日"), html.Td(f"{records} 条记录，办件 {int(station.get('items_30d') or 0)} 件，"
                                               f"走访 {int(station.get('visits_30d') or 0)} 人次")]),
        ]), className="table table-sm station-table mb-1"),
        dbc.Badge(activity, color="success" if records else "warning", className="activity-badge"),
    ]), className="station-card", id="station-card")
