"""The text `vetdash load` prints: counts by table, rejects by table and reason, meta."""
from __future__ import annotations

import unicodedata

from queries.load.specs import ORDER, SPECS


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a display width (a Chinese character takes two columns in a terminal)."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))
    fill = " " * max(0, width - shown)
    return fill + str(text) if right else str(text) + fill


def summary_text(result) -> str:
    heads = ["读入", "通过", "拒收", "新增", "更新", "未变"]
    lines = ["导入结果：", "  " + _pad("表", 18) + "".join(_pad(h, 9, True) for h in heads)]
    for name in (n for n in ORDER if n in result.tables):
        t = result.tables[name]
        c = t.counts
        values = [t.read, t.valid, t.rejected_rows, c.new, c.updated, c.unchanged]
        lines.append("  " + _pad(name, 18) + "".join(_pad(v, 9, True) for v in values) + "  " + SPECS[name].title)
    reasons = result.reasons()
    if reasons:
        lines.append("拒收原因(按问题计, 一行可有多个问题)：")
        for (table, reason), n in sorted(reasons.items(), key=lambda kv: (ORDER.index(kv[0][0]), -kv[1])):
            lines.append("  " + _pad(table, 18) + _pad(reason, 20) + _pad(n, 8, True))
        lines.append("拒收明细：" + "、".join(str(p) for p in result.rejects_files))
    else:
        lines.append("没有拒收的行。")
    lines.append(f"数据截至日期 as_of = {result.as_of.isoformat()}；数据版本 data_version = {result.data_version}"
                 + ("" if result.changed else "（本次没有任何变化）"))
    lines.append("汇总表已刷新。" if result.refreshed else "汇总表无需刷新。")
    return "\n".join(lines)
