"""Read-only data tables as dash-ag-grid: one component per table instead of one per cell (a 20-row list
of 8 columns is ~190 html components, and their count drives the callback's framework overhead).

The grid's own assets come from the dash-ag-grid package (served by this app, nothing from a CDN); the
Chinese texts are LOCALE_ZH (AG Grid's localeText)."""
from __future__ import annotations

import dash_ag_grid as dag

LOCALE_ZH = {"noRowsToShow": "无数据", "loadingOoo": "加载中…", "filterOoo": "筛选…", "contains": "包含",
             "notContains": "不包含", "equals": "等于", "notEqual": "不等于", "startsWith": "开头是",
             "endsWith": "结尾是", "blank": "为空", "notBlank": "不为空", "lessThan": "小于",
             "greaterThan": "大于", "lessThanOrEqual": "小于或等于", "greaterThanOrEqual": "大于或等于",
             "inRange": "介于", "inRangeStart": "从", "inRangeEnd": "到", "andCondition": "且",
             "orCondition": "或", "applyFilter": "应用", "resetFilter": "重置", "clearFilter": "清除",
             "cancelFilter": "取消", "empty": "请选择", "textFilter": "文本筛选", "numberFilter": "数值筛选",
             "pinColumn": "固定列", "autosizeThisColumn": "自动调整此列宽度", "resetColumns": "重置列",
             "sortAscending": "升序", "sortDescending": "降序", "sortUnSort": "取消排序",
             "page": "页", "of": "共", "to": "至", "more": "更多", "next": "下一页", "previous": "上一页",
             "firstPage": "首页", "lastPage": "末页", "ariaRowSelect": "选择行"}
THEME = {"function": "themeQuartz.withParams({spacing: 4, fontSize: 14, headerFontSize: 14, "
                     "fontFamily: 'Noto Sans CJK SC, Microsoft YaHei, sans-serif'})"}
DEFAULT_COL = {"sortable": True, "resizable": True, "minWidth": 56, "wrapHeaderText": True,
               "autoHeaderHeight": True}
AUTO_HEIGHT_ROWS = 12             # shorter tables size to their rows; longer ones scroll inside max_height


def text_column(name: str, field: str, numeric: bool = False, **kw) -> dict:
    """A column of display-ready text (the page formats numbers: 7,667万元, 93.5%); numeric aligns right."""
    col = {"headerName": name, "field": field, **kw}
    if numeric:
        col["cellClass"] = "ag-right-aligned-cell"
        col["headerClass"] = "ag-right-aligned-header"
    return col


def number_column(name: str, field: str, fmt: str = ",.1f", **kw) -> dict:
    """A right-aligned number column: the value sorts as a number, the cell shows d3.format(fmt) (or —)."""
    # wide enough for "11,234.5": on a phone the grid scrolls sideways instead of cutting numbers to "1,0…"
    kw.setdefault("minWidth", 84)
    return text_column(name, field, numeric=True, type="numericColumn", **kw, valueFormatter={
        "function": f"params.value == null ? '—' : d3.format('{fmt}')(params.value)"})


def table_grid(grid_id, rows: list[dict], columns: list[dict], max_height: int = 360,
               class_name: str = "data-grid", **options) -> dag.AgGrid:
    """A sortable read-only grid; rows are plain dicts of strings/numbers (no NaN: JSON has none)."""
    grid_options = {"localeText": LOCALE_ZH, "suppressMovableColumns": True, "theme": THEME,
                    "enableCellTextSelection": True, **options}
    tall = len(rows) > AUTO_HEIGHT_ROWS
    if not tall:
        grid_options["domLayout"] = "autoHeight"
    return dag.AgGrid(id=grid_id, rowData=rows, columnDefs=columns, defaultColDef=DEFAULT_COL,
                      columnSize="responsiveSizeToFit", dashGridOptions=grid_options,
                      style={"height": f"{max_height}px"} if tall else {"height": None}, className=class_name)
