"""The text `vetdash load` prints: counts by table, rejects by table and reason, meta."""
from __future__ import annotations

from queries.load.specs import ORDER, SPECS


def summary_text(result) -> str:
    lines = ["导入结果：", f"  {'表':<18}{'读入':>8}{'通过':>8}{'拒收':>8}{'新增':>8}{'更新':>8}{'未变':>8}"]
    for name in (n for n in ORDER if n in result.tables):
        t = result.tables[name]
        c = t.counts
        lines.append(f"  {name:<18}{t.read:>8}{t.valid:>8}{t.rejected_rows:>8}{c.new:>8}{c.updated:>8}{c.unchanged:>8}"
                     f"  {SPECS[name].title}")
    reasons = result.reasons()
    if reasons:
        lines.append("拒收原因(按问题计, 一行可有多个问题)：")
        for (table, reason), n in sorted(reasons.items(), key=lambda kv: (ORDER.index(kv[0][0]), -kv[1])):
            lines.append(f"  {table:<18}{reason:<16}{n:>8}")
        lines.append("拒收明细：" + "、".join(str(p) for p in result.rejects_files))
    else:
        lines.append("没有拒收的行。")
    lines.append(f"数据截至日期 as_of = {result.as_of.isoformat()}；数据版本 data_version = {result.data_version}"
                 + ("" if result.changed else "（本次没有任何变化）"))
    lines.append("汇总表已刷新。" if result.refreshed else "汇总表无需刷新。")
    return "\n".join(lines)
