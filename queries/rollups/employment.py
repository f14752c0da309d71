"""安置就业 rollups: the placement & employment page (and the overview's E1) read no person-level rows.

Definitions: docs/indicators/placement.md. Every day-keyed table holds changes ("deltas") on the day they
happen, so a state "as at day D" is SUM(...) over the rows with day ≤ D — one index range per region.

- roll_employment_day: 自主就业 status changes per region × cohort × day × status. Each employment_status
  row adds +1 to its own (village, cohort, status) on its effective_day and −1 to the (village, cohort,
  status) of the same veteran's previous row (LAG over veteran_id ORDER BY effective_day, status_id).
  So SUM(delta) over day ≤ D = veterans whose latest row as at D (ties on one day: the higher status_id)
  has that cohort and status and lies in the region — the rule of overview_employment. A veteran counts
  where and as what his latest row says (a move leaves nothing behind in the old village).
- roll_311_person: one row per 自主就业 placement × service year (the discharge year and the next), with
  the day on which each "311" threshold is reached in that year (3rd 岗位推荐, 1st 职业指导, 1st 技能培训信息,
  all three), never before discharge. A person-level staging table (not one row per region) that
  roll_311_day cascades from; the window over service_event runs once.
- roll_311_day: E4 per region × service year × day: served (+1 on discharge day) and the threshold days.
  "served / completed as at D in year Y" = SUM over year = Y, day ≤ D.
- roll_veteran_flags_day: E9/E10 per region × day: living 兵老板 / 兵支书 (+1 on discharge, −1 on death),
  villages with a living 兵支书 (+1 when a region's count becomes positive, −1 when it drops to 0), and on
  day 0 the number of 村(社区) in the subtree.
- roll_placement_day: P1/P2/P3/P5/P6 per RECEIVING county (and up) × cohort year × day, each measure on its
  own day (received, reported, placed, report deadline, discharge).
- roll_placement_mix: placements per receiving county (and up) × cohort year × batch × mode × destination
  × discharge day (the 安置方式与去向 chart).
- roll_training_day: E5 trainings started per region × day × kind.
"""
from __future__ import annotations

from sqlalchemy import Column, Index, Integer, SmallInteger, String, Table

from queries.rollups import Rollup, Step
from queries.schema import CODE, metadata

roll_employment_day = Table(
    "roll_employment_day", metadata,
    Column("region_code", CODE, nullable=False),
    Column("cohort_year", SmallInteger, nullable=False, comment="退役年度(自主就业)"),
    Column("day", Integer, nullable=False, comment="状态变更生效日 20261123"),
    Column("status", String(8), nullable=False, comment="复学/考试入学/城镇就业/返乡务农/创业/待就业"),
    Column("delta", Integer, nullable=False,
           comment="当日该状态人数变化(新状态+1, 同一人上一状态-1); 截至D日人数 = day≤D 的合计"),
    Index("ix_red", "region_code", "cohort_year", "status", "day", "delta"),
    comment="自主就业退役士兵就业状态变化 区划×退役年度×日×状态(一人一档, 按最新一条计)",
)

roll_311_person = Table(
    "roll_311_person", metadata,
    Column("veteran_id", Integer, nullable=False),
    Column("region_code", CODE, nullable=False, comment="居住村(社区) (veteran.region_code)"),
    Column("year", SmallInteger, nullable=False, comment="服务年度(退役当年或次年)"),
    Column("discharged_day", Integer, nullable=False, comment="退役日(安置记录)"),
    Column("ref_ok_day", Integer, nullable=True, comment="本年度第3次岗位推荐日(不早于退役日), 空为未达到"),
    Column("guide_ok_day", Integer, nullable=True, comment="本年度首次职业指导日(不早于退役日)"),
    Column("info_ok_day", Integer, nullable=True, comment="本年度首次技能培训信息日(不早于退役日)"),
    Column("all_ok_day", Integer, nullable=True, comment="本年度\"311\"全部完成日(以上三者最晚)"),
    Index("ix_r311p", "region_code", "year"),
    comment="\"311\"服务 每个自主就业安置对象×服务年度一行(中间表, 供 roll_311_day 汇总)",
)

roll_311_day = Table(
    "roll_311_day", metadata,
    Column("region_code", CODE, nullable=False),
    Column("year", SmallInteger, nullable=False, comment="服务年度"),
    Column("day", Integer, nullable=False),
    Column("served", Integer, nullable=False, comment="当日成为服务对象(退役)人数"),
    Column("ref_ok", Integer, nullable=False, comment="当日达到岗位推荐≥3次的人数"),
    Column("guide_ok", Integer, nullable=False, comment="当日达到职业指导≥1次的人数"),
    Column("info_ok", Integer, nullable=False, comment="当日达到技能培训信息≥1次的人数"),
    Column("all_ok", Integer, nullable=False, comment="当日完成\"311\"的人数"),
    Index("ix_r311d", "region_code", "year", "day", unique=True),
    comment="\"311\"服务完成 区划×服务年度×日(按居住地); 截至D日 = day≤D 的合计",
)

roll_veteran_flags_day = Table(
    "roll_veteran_flags_day", metadata,
    Column("region_code", CODE, nullable=False),
    Column("day", Integer, nullable=False, comment="退役日或去世日; 0 = 村(社区)数所在行"),
    Column("laoban", Integer, nullable=False, comment="在世兵老板人数变化"),
    Column("zhishu", Integer, nullable=False, comment="在世兵支书人数变化"),
    Column("zhishu_villages", Integer, nullable=False, comment="有在世兵支书的村(社区)数变化"),
    Column("villages", Integer, nullable=False, comment="村(社区)数(仅 day=0 行)"),
    Index("ix_rvfd", "region_code", "day", unique=True),
    comment="兵老板/兵支书 区划×日(变化量); 截至D日 = day≤D 的合计",
)

roll_placement_day = Table(
    "roll_placement_day", metadata,
    Column("region_code", CODE, nullable=False, comment="接收安置县及其上级"),
    Column("cohort_year", SmallInteger, nullable=False, comment="退役年度"),
    Column("day", Integer, nullable=False),
    Column("received", Integer, nullable=False, comment="按接收(报到登记)日: 接收人数"),
    Column("done", Integer, nullable=False, comment="按到岗报到日: 计入任务的安置对象到岗人数"),
    Column("placed", Integer, nullable=False, comment="按落实岗位日: 计入任务的安置对象落实岗位人数"),
    Column("placed_gov", Integer, nullable=False, comment="其中党政机关、事业单位"),
    Column("placed_soe", Integer, nullable=False, comment="其中央企、地方国企"),
    Column("report_due", Integer, nullable=False, comment="按报到期限日: 自主就业应报到人数"),
    Column("report_ontime", Integer, nullable=False, comment="其中期限内报到人数"),
    Column("discharged", Integer, nullable=False, comment="按退役日: 退役人数"),
    Column("trained", Integer, nullable=False, comment="其中参加适应性培训人数"),
    Index("ix_rpld", "region_code", "cohort_year", "day", unique=True),
    comment="移交安置 接收县×退役年度×日(各指标按各自日期计)",
)

roll_placement_mix = Table(
    "roll_placement_mix", metadata,
    Column("region_code", CODE, nullable=False, comment="接收安置县及其上级"),
    Column("cohort_year", SmallInteger, nullable=False, comment="退役年度"),
    Column("cohort_season", String(4), nullable=False, comment="春季/秋季"),
    Column("mode", String(16), nullable=False, comment="安置方式"),
    Column("destination", String(8), nullable=True, comment="去向(转业、安排工作), 其余为空"),
    Column("day", Integer, nullable=False, comment="退役日"),
    Column("placements", Integer, nullable=False, comment="安置人数"),
    Index("ix_rplm", "region_code", "cohort_year", "day"),
    comment="安置方式与去向 接收县×退役年度×批次×方式×去向×退役日",
)

roll_training_day = Table(
    "roll_training_day", metadata,
    Column("region_code", CODE, nullable=False),
    Column("day", Integer, nullable=False, comment="开班(开始)日"),
    Column("kind", String(8), nullable=False, comment="适应性培训/职业技能培训/学历提升"),
    Column("started", Integer, nullable=False, comment="开始培训人次"),
    Index("ix_rtd", "region_code", "day", "kind", unique=True),
    comment="培训人次 区划×日×类别(按本人居住地)",
)

ROLLUPS = [
    Rollup(table="roll_employment_day", delete="DELETE FROM roll_employment_day",
           steps=[Step("employment_refresh_status_day")],
           since_delete="DELETE FROM roll_employment_day WHERE day >= :since_day"),
    # roll_311_person first: roll_311_day cascades from it
    Rollup(table="roll_311_person", delete="DELETE FROM roll_311_person",
           steps=[Step("employment_refresh_311_person", per_level=False)]),
    Rollup(table="roll_311_day", delete="DELETE FROM roll_311_day",
           steps=[Step("employment_refresh_311_day")],
           since_delete="DELETE FROM roll_311_day WHERE day >= :since_day"),
    Rollup(table="roll_veteran_flags_day", delete="DELETE FROM roll_veteran_flags_day",
           steps=[Step("employment_refresh_flags_day")]),
    Rollup(table="roll_placement_day", delete="DELETE FROM roll_placement_day",
           steps=[Step("employment_refresh_placement_day")],
           since_delete="DELETE FROM roll_placement_day WHERE day >= :since_day"),
    Rollup(table="roll_placement_mix", delete="DELETE FROM roll_placement_mix",
           steps=[Step("employment_refresh_placement_mix")],
           since_delete="DELETE FROM roll_placement_mix WHERE day >= :since_day"),
    Rollup(table="roll_training_day", delete="DELETE FROM roll_training_day",
           steps=[Step("employment_refresh_training_day")],
           since_delete="DELETE FROM roll_training_day WHERE day >= :since_day"),
]
