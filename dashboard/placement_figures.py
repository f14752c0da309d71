"""Pure figure builders for the 安置就业 page: plain data in, go.Figure out. No queries here."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from config.thresholds import STATUS_COLORS
from dashboard.figures import FONT, empty_figure

MODE_COLORS = {"转业": "#1f5fa5", "安排工作": "#3f8fd2", "自主就业": "#2e9d5b", "逐月领取退役金": "#e0a100",
               "退休": "#8e6bbf", "供养": "#c0392b", "复员": "#7f8c8d"}
DEST_COLORS = {"党政机关": "#b03a2e", "事业单位": "#1f5fa5", "央企": "#d68910", "地方国企": "#f5b041",
               "其他": "#95a5a6"}
COHORT_COLORS = ("#d64541", "#1f5fa5")        # last year's cohort (the 清零 target), this year's


def _layout(fig: go.Figure, height: int, title: str) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=44, b=10), font=dict(family=FONT, size=14),
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", separators=".,",
                      title=dict(text=title, x=0.01, font=dict(size=16)),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0,
                                  font=dict(size=12)))
    return fig


def batch_labels(year: int, years: int) -> list[str]:
    return [f"{y}{s}" for y in range(year - years + 1, year + 1) for s in ("春", "秋")]


def mix_figure(mix: pd.DataFrame, year: int, years: int, region_name: str, height: int = 380) -> go.Figure:
    """Stacked bars per discharge batch (year × 春季/秋季): left by mode, right (转业+安排工作) by destination."""
    title = f"安置方式与去向 · {region_name} · 近{years}年各批次（人）"
    if mix.empty:
        return empty_figure(f"{region_name}近{years}年暂无安置记录", height)
    data = mix.assign(batch=mix["cohort_year"].astype(int).astype(str) + mix["cohort_season"].str[0])
    batches = batch_labels(year, years)
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.07, column_widths=[0.55, 0.45])
    by_mode = data.groupby(["batch", "mode"])["placements"].sum()
    for mode, color in MODE_COLORS.items():
        y = [int(by_mode.get((b, mode), 0)) for b in batches]
        if any(y):
            fig.add_trace(go.Bar(x=batches, y=y, name=mode, marker_color=color, legendgroup="mode",
                                 legendgrouptitle_text="安置方式",
                                 hovertemplate=f"%{{x}} {mode}：%{{y:,}}人<extra></extra>"), row=1, col=1)
    placed = data[data["destination"].notna()]
    by_dest = placed.groupby(["batch", "destination"])["placements"].sum()
    for dest, color in DEST_COLORS.items():
        y = [int(by_dest.get((b, dest), 0)) for b in batches]
        if any(y):
            fig.add_trace(go.Bar(x=batches, y=y, name=dest, marker_color=color, legendgroup="dest",
                                 legendgrouptitle_text="转业、安排工作去向",
                                 marker_pattern_shape="/", hovertemplate=f"%{{x}} {dest}：%{{y:,}}人<extra></extra>"),
                          row=1, col=2)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=batches, tickfont=dict(size=12))
    fig.update_yaxes(title_text="人", gridcolor="#e9ecef", rangemode="tozero", tickformat=",d")
    _integer_ticks(fig, data.groupby("batch")["placements"].sum().max())
    fig = _layout(fig, height, title)
    fig.update_layout(legend=dict(orientation="v", yanchor="top", y=1.0, xanchor="left", x=1.01,
                                  font=dict(size=12), groupclick="toggleitem", tracegroupgap=8))
    return fig


def _integer_ticks(fig: go.Figure, top) -> None:
    """People are whole: small counts get a tick per person instead of 0.2-steps rounded to 0, 0, 1."""
    if top is not None and top == top and top <= 6:
        fig.update_yaxes(dtick=1, range=[0, max(1, top) * 1.1])


def clear_figure(weekly: pd.DataFrame, year: int, pace_of, height: int = 380) -> go.Figure:
    """待就业 at each week's end: last year's cohort (清零 target, with the straight 序时 line) and this year's."""
    title = f"就业“清零”周进度 · {year}年（待就业人数，人）"
    if weekly.empty or not weekly["level"].any():
        return empty_figure("本年度暂无待就业记录（无需清零或尚无一人一档数据）", height)
    fig = go.Figure()
    target = weekly[weekly["cohort"] == year - 1]
    labels = list(target["label"])
    for cohort, color in zip((year - 1, year), COHORT_COLORS):
        part = weekly[weekly["cohort"] == cohort]
        name = f"{cohort}年退役" + ("（清零对象）" if cohort == year - 1 else "")
        dates = [f"{d.month}月{d.day}日" for d in part["sunday"]]
        fig.add_trace(go.Scatter(x=labels, y=part["level"], mode="lines+markers", name=name,
                                 line=dict(color=color, width=3), marker=dict(size=5), customdata=dates,
                                 hovertemplate="%{x}（截至%{customdata}）：%{y:,.0f}人<extra>" + name + "</extra>"))
    baseline = float(target["level"].iloc[0]) if len(target) else 0.0    # the 年初 point: L_0
    if baseline:
        ideal = [baseline if d.year < year else max(0.0, baseline * (1 - pace_of(d) / 100))
                 for d in target["sunday"]]
        fig.add_trace(go.Scatter(x=labels, y=ideal, mode="lines", name="序时目标（年底清零）",
                                 line=dict(color="#6c757d", dash="dash", width=2),
                                 hovertemplate="%{x} 序时目标：%{y:,.1f}人<extra></extra>"))
    fig.update_xaxes(type="category", nticks=14, tickfont=dict(size=12))
    fig.update_yaxes(title_text="人", gridcolor="#e9ecef", rangemode="tozero", tickformat=",d")
    _integer_ticks(fig, weekly["level"].max())
    fig = _layout(fig, height, title)
    fig.update_layout(margin=dict(l=10, r=10, t=70, b=10), legend=dict(y=1.01, x=0.0, xanchor="left"))
    return fig


def cohort_rate_figure(cohorts: pd.DataFrame, as_of_text: str, height: int = 360) -> go.Figure:
    """E1 by discharge year, each cohort at the same age; bars colored by the 就业率 thresholds."""
    title = f"各退役年度就业率（是否在改善）· 均取退役次年{as_of_text}状态"
    if cohorts.empty or cohorts["rate"].isna().all():
        return empty_figure("近几年暂无自主就业退役士兵就业记录", height)
    data = cohorts.assign(y=cohorts["rate"].fillna(0))
    fig = go.Figure(go.Bar(
        x=data["label"], y=data["y"], text=data["text"], textposition="outside", cliponaxis=False,
        marker_color=[STATUS_COLORS[s] for s in data["status"]],
        customdata=data[["cohort_size", "waiting"]].values,
        hovertemplate="%{x}：就业率 %{text}<br>自主就业 %{customdata[0]:,}人，待就业 %{customdata[1]:,}人<extra></extra>"))
    fig.update_yaxes(range=[0, 110], ticksuffix="%", gridcolor="#e9ecef", title_text="就业率")
    fig.update_xaxes(type="category", tickfont=dict(size=13))
    return _layout(fig, height, title)


def service_figure(service: dict, pace: float, status_all: str, height: int = 360) -> go.Figure:
    """"311" per component: share of 服务对象 who got ≥3 referrals, ≥1 guidance, ≥1 training notice, all three."""
    served = service.get("served") or 0
    title = f"“311”服务完成情况（年累计，服务对象 {int(served):,}人）"
    if not served:
        return empty_figure("暂无“311”服务对象", height)
    rows = [("三项全部完成", "all_ok"), ("技能培训信息 ≥1次", "info_ok"), ("职业指导 ≥1次", "guide_ok"),
            ("岗位推荐 ≥3次", "ref_ok")]
    values = [(service.get(k) or 0) / served * 100 for _, k in rows]
    colors = [STATUS_COLORS[status_all]] + ["#3f8fd2"] * 3
    fig = go.Figure(go.Bar(
        x=values, y=[name for name, _ in rows], orientation="h", marker_color=colors,
        text=[f"{v:.1f}%" for v in values], textposition="outside", cliponaxis=False,
        customdata=[int(service.get(k) or 0) for _, k in rows],
        hovertemplate="%{y}：%{customdata:,}人，%{text}<extra></extra>"))
    fig.add_vline(x=pace, line_dash="dash", line_color="#495057", annotation_text=f"序时进度 {pace:.1f}%",
                  annotation_position="top")
    fig.update_xaxes(range=[0, 110], ticksuffix="%", gridcolor="#e9ecef")
    fig.update_yaxes(automargin=True, tickfont=dict(size=14))
    fig = _layout(fig, height, title)
    fig.update_layout(margin=dict(l=10, r=40, t=56, b=10))
    return fig
