"""Indicator catalogue (口径 from DOMAIN.md §2) and the plain functions that turn query frames into values."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.labels import ratio


@dataclass(frozen=True)
class Indicator:
    id: str              # also the thresholds.toml key
    code: str            # DOMAIN.md §2 ID
    name: str
    kind: str            # 时点 | 期间 | 年累计
    unit: str            # % | 件 | 元 | 人 | 件/万人
    formula: str         # 口径 shown on hover
    county_only: bool = False
    higher_is_better: bool = True


@dataclass
class Kpi:
    """One KPI card's data: value, 红黄绿 status, previous-period and last-year values, a note."""
    indicator: Indicator
    value: float | None
    status: str
    prev: float | None = None
    last_year: float | None = None
    note: str | None = None
    has_threshold: bool = True


OVERVIEW = [
    Indicator("coverage", "N2", "服务站覆盖率", "时点", "%",
              "已建成挂牌的中心(站)数 ÷ 应建数；应建 = 每个市、县、乡镇(街道)、村(社区)各1个。期末时点。"),
    Indicator("five_have", "N3", "“五有”达标率", "时点", "%",
              "有机构、有编制、有人员、有经费、有保障五项均达标的中心(站)数 ÷ 已建数。当前状态，无历史对比。"),
    Indicator("placement_rate", "P2", "安置完成率", "年累计", "%",
              "本年度转业、安排工作对象中已落实岗位并报到上岗人数 ÷ 年度安置任务数。县级指标。", county_only=True),
    Indicator("employment_rate", "E1", "就业率", "时点", "%",
              "上年度新退役自主就业退役士兵中已就业(城镇就业+返乡务农+创业) ÷ (总数 − 复学 − 考试入学)，按期末最新状态。"),
    Indicator("execution", "F2", "资金执行率", "年累计", "%",
              "本年1月1日至期末累计实际发放 ÷ 年度预算(含上级转移支付)；与序时进度(已过月数÷12)比较定红黄绿。县级指标。",
              county_only=True),
    Indicator("ontime_rate", "F3", "按时足额发放率", "期间", "%",
              "本期已到发放日的应发人次中，在规定发放日前足额到账的人次 ÷ 应发人次。"),
    Indicator("petitions", "X1", "信访量", "期间", "件",
              "本期收到的信访件数(来信、来访、网上信访、来电、12345转办)，按信访人居住地统计。", higher_is_better=False),
    Indicator("closed_ontime", "X4", "按期办结率", "期间", "%",
              "期限日在本期内的信访件中，在60日(经批准延期者90日)内办结的件数 ÷ 到期应办结件数。"),
]
MAP_METRICS = ["coverage", "five_have", "placement_rate", "employment_rate", "execution",
               "ontime_rate", "petitions_per_10k", "closed_ontime"]
PETITIONS_PER_10K = Indicator("petitions_per_10k", "X8", "每万名退役军人信访量", "期间", "件/万人",
                              "本期信访件数 ÷ 期末退役军人数 × 10000；红黄绿按折算的月均值(÷本期天数×30)判定。", higher_is_better=False)
BY_ID = {i.id: i for i in OVERVIEW + [PETITIONS_PER_10K]}


def overview_values(network: pd.DataFrame, placement: pd.DataFrame, employment: pd.DataFrame,
                    funds: pd.DataFrame, petitions: pd.DataFrame, month_of_year: int) -> pd.DataFrame:
    """One row per region code with current, _prev and _ly values of every overview indicator."""
    frames = [f.set_index("region_code") for f in (network, placement, employment, funds, petitions)]
    df = pd.concat(frames, axis=1)
    out = pd.DataFrame(index=df.index)
    col = lambda name: df[name] if name in df else pd.Series(None, index=df.index, dtype=float)  # noqa: E731
    r = lambda a, b, s=100.0: [ratio(x, y, s) for x, y in zip(col(a), col(b))]  # noqa: E731
    out["coverage"], out["coverage_prev"], out["coverage_ly"] = (
        r("built", "should_exist"), r("built_prev", "should_exist"), r("built_ly", "should_exist"))
    out["five_have"] = r("five_ok", "built")
    out["placement_rate"], out["placement_rate_prev"], out["placement_rate_ly"] = (
        r("done", "task"), r("done_prev", "task"), r("done_ly", "task_ly"))
    eligible = col("cohort_size") - col("studying")
    out["employment_rate"] = [ratio(e, d) for e, d in zip(col("employed"), eligible)]
    out["waiting"], out["cohort_size"] = col("waiting"), col("cohort_size")
    out["execution"], out["execution_ly"] = r("paid_ytd", "budget"), r("paid_ytd_ly", "budget_ly")
    out["pace"] = month_of_year / 12 * 100
    out["ontime_rate"], out["ontime_rate_prev"], out["ontime_rate_ly"] = (
        r("rows_ontime", "rows_due"), r("rows_ontime_prev", "rows_due_prev"), r("rows_ontime_ly", "rows_due_ly"))
    out["paid"], out["paid_prev"], out["paid_ly"] = col("paid"), col("paid_prev"), col("paid_ly")
    out["petitions"], out["petitions_prev"], out["petitions_ly"] = (
        col("received").fillna(0), col("received_prev").fillna(0), col("received_ly").fillna(0))
    out["petitions_per_10k"] = r("received", "veterans", 10000.0)
    out["closed_ontime"], out["closed_ontime_prev"], out["closed_ontime_ly"] = (
        r("due_ontime", "due_cnt"), r("due_ontime_prev", "due_cnt_prev"), r("due_ontime_ly", "due_cnt_ly"))
    out["veterans"] = col("veterans")
    out["should_exist"], out["built"] = col("should_exist"), col("built")
    return out
