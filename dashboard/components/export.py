"""The small "导出Excel" link in a page's head: downloads every table of the current view."""
from __future__ import annotations

from dash import html

from dashboard.urls import make_search


def export_href(name: str, region: str | None = None, period: str | None = None, metric: str | None = None,
                ext: str = "xlsx") -> str:
    return f"/export/{name}.{ext}" + make_search({"region": region, "period": period, "metric": metric})


def export_link(name: str, model, label: str = "导出Excel", ext: str = "xlsx") -> html.Div:
    """Link for the view a page model shows (its region, period and metric); floats right above the title."""
    metric = getattr(getattr(model, "metric", None), "id", None)
    url = export_href(name, model.region.short, model.period.key, metric, ext)
    return html.Div(html.A(label, href=url, download="", id=f"export-{name}-{ext}",
                           className="export-link btn btn-sm btn-outline-secondary",
                           title="下载本页各表格（含区划、期间、数据截至日期，内部资料）"),
                    className="export-bar no-print")
