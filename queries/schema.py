"""The operational schema (SQLAlchemy metadata), identical on SQLite, PostgreSQL and MariaDB.

Conventions (documented in docs/schema.md):
- Region codes are 12-digit NBS codes (String(12)). Every fact row carries `region_code`, the finest
  region it belongs to (a village for people, the served region for a station). A subtree is the
  range [lo, hi] from queries.codes.subtree_range, so no ancestor columns are needed on facts.
- Dates are stored twice: a DATE column for people, and an integer day key (20261123) for portable
  range filters. Months are 202611, ISO weeks 202648 (integer).
- Money is NUMERIC(14,2) in 元.
- No names, no national ID numbers: persons are opaque integer IDs.
- Tables prefixed `roll_` are rollups rebuilt by `vetdash refresh` from the raw tables; they hold one
  row per region node at every level (province … village), so a page reads `region_code = :region`
  or joins `region.parent_code = :region` for the children.
"""
from __future__ import annotations

from sqlalchemy import (Boolean, Column, Date, Index, Integer, BigInteger, MetaData, Numeric,
                        SmallInteger, String, Table)

metadata = MetaData()

CODE = String(12)
# BIGINT keys on PostgreSQL/MariaDB; on SQLite an INTEGER primary key is the rowid (no extra 300 MB index)
BIGID = BigInteger().with_variant(Integer, "sqlite")
MONEY = Numeric(14, 2)


def _code(name="region_code", **kw):
    return Column(name, CODE, nullable=False, **kw)


# ---------------------------------------------------------------- reference
region = Table(
    "region", metadata,
    Column("code", CODE, primary_key=True, comment="12位统计用区划代码"),
    Column("short_code", String(12), nullable=False, comment="按层级截取的代码(2/4/6/9/12位)"),
    Column("code_hi", CODE, nullable=False,
           comment="下辖范围上界: 本级代码后补9, 下级代码均在 [code, code_hi] 之间"),
    Column("name", String(64), nullable=False, comment="名称"),
    Column("level", SmallInteger, nullable=False, comment="层级 1省 2市 3县 4乡镇 5村(社区)"),
    Column("parent_code", CODE, nullable=True, comment="上级12位代码"),
    Column("kind", String(16), nullable=False, comment="类别: 省/市/州/区/县/县级市/功能区/街道/镇/乡/村/社区/其他"),
    Column("is_functional", Boolean, nullable=False, default=False, comment="非行政功能区(管理区、开发区、林场等)"),
    Index("ix_region_parent", "parent_code"),
    Index("ix_region_short", "short_code"),
    comment="行政区划树",
)

meta = Table(
    "meta", metadata,
    Column("meta_key", String(64), primary_key=True),
    Column("meta_value", String(255), nullable=False),
    comment="数据元信息: as_of(数据截至日期), root(根区划), built_at, seed 等",
)

# ---------------------------------------------------------------- service network
service_unit = Table(
    "service_unit", metadata,
    Column("unit_id", Integer, primary_key=True, autoincrement=False),
    _code(comment="服务的区划(市/县为中心, 乡镇/村为站)"),
    Column("level", SmallInteger, nullable=False, comment="2市中心 3县中心 4乡镇站 5村站"),
    Column("name", String(128), nullable=False, comment="名称, 如 某某村退役军人服务站"),
    Column("founded_on", Date, nullable=False, comment="建成挂牌日期"),
    Column("founded_day", Integer, nullable=False),
    Column("has_institution", Boolean, nullable=False, comment="有机构"),
    Column("has_quota", Boolean, nullable=False, comment="有编制"),
    Column("has_personnel", Boolean, nullable=False, comment="有人员"),
    Column("has_funding", Boolean, nullable=False, comment="有经费"),
    Column("has_safeguards", Boolean, nullable=False, comment="有保障"),
    Column("is_model", Boolean, nullable=False, comment="示范型"),
    Column("model_grade", String(8), nullable=True, comment="示范级别: 国家级/省级/市级/县级"),
    Column("is_benchmark", Boolean, nullable=False, comment="标杆型(湖南省级)"),
    Column("is_red", Boolean, nullable=False, comment="红色退役军人服务站"),
    Column("yibu_yizhan", Boolean, nullable=False, comment="一部一站(仅乡镇站)"),
    Column("staff_full", SmallInteger, nullable=False, comment="专职人员数"),
    Column("staff_part", SmallInteger, nullable=False, comment="兼职人员数"),
    Column("staff_certified", SmallInteger, nullable=False, comment="持证退役军人事务员数"),
    Column("service_objects", Integer, nullable=False, default=0, comment="登记服务对象数"),
    Index("ix_unit_region", "region_code"),
    comment="退役军人服务中心(站)",
)

station_activity = Table(
    "station_activity", metadata,
    Column("activity_id", BIGID, primary_key=True, autoincrement=False),
    Column("unit_id", Integer, nullable=False),
    _code(comment="站点服务的区划"),
    Column("activity_on", Date, nullable=False),
    Column("day", Integer, nullable=False),
    Column("week", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("kind", String(16), nullable=False, comment="政策咨询/帮扶救助/走访慰问/就业服务/权益维护/其他"),
    Column("items", SmallInteger, nullable=False, comment="办件量(件)"),
    Column("visits", SmallInteger, nullable=False, comment="走访慰问人次"),
    Index("ix_activity_region_day", "region_code", "day"),
    Index("ix_activity_unit_day", "unit_id", "day"),
    Index("ix_activity_day", "day"),
    comment="服务站办件与走访记录",
)

# ---------------------------------------------------------------- people
veteran = Table(
    "veteran", metadata,
    Column("veteran_id", Integer, primary_key=True, autoincrement=False, comment="内部不透明编号"),
    _code(comment="户籍/居住村(社区)"),
    Column("birth_year", SmallInteger, nullable=False),
    Column("sex", String(2), nullable=False, comment="男/女"),
    Column("service_type", String(8), nullable=False, comment="军官/军士/义务兵"),
    Column("enlisted_on", Date, nullable=True),
    Column("discharged_on", Date, nullable=False),
    Column("discharged_day", Integer, nullable=False),
    Column("placement_mode", String(16), nullable=False,
           comment="转业/逐月领取退役金/自主就业/安排工作/退休/供养/复员/自主择业"),
    Column("died_on", Date, nullable=True),
    Column("died_day", Integer, nullable=True),
    Column("is_bing_laoban", Boolean, nullable=False, default=False, comment="兵老板(创业)"),
    Column("is_bing_zhishu", Boolean, nullable=False, default=False, comment="兵支书(任村党组织书记)"),
    Index("ix_veteran_region", "region_code"),
    Index("ix_veteran_discharged", "discharged_day"),
    comment="退役军人(建档立卡), 无姓名与身份证号",
)

beneficiary = Table(
    "beneficiary", metadata,
    Column("beneficiary_id", Integer, primary_key=True, autoincrement=False),
    _code(comment="居住村(社区)"),
    Column("category", String(24), nullable=False,
           comment="残疾军人/烈士遗属/因公牺牲军人遗属/病故军人遗属/在乡复员军人/带病回乡退伍军人/"
                   "参战参试退役军人/农村籍退役士兵(60岁以上)/烈士子女(60岁以上)/义务兵家庭"),
    Column("veteran_id", Integer, nullable=True, comment="对应退役军人(三属、义务兵家庭为空)"),
    Column("soldier_ref", String(16), nullable=True, comment="义务兵家庭: 服役军人内部编号"),
    Column("disability_grade", SmallInteger, nullable=True, comment="残疾等级1-10"),
    Column("since_on", Date, nullable=False),
    Column("until_on", Date, nullable=True, comment="资格终止(如义务兵退役)"),
    Column("died_on", Date, nullable=True, comment="死亡日期"),
    Column("died_day", Integer, nullable=True),
    Index("ix_beneficiary_region", "region_code"),
    comment="优抚对象(抚恤优待对象), 含非退役军人的三属与义务兵家庭",
)

# ---------------------------------------------------------------- placement & employment
placement = Table(
    "placement", metadata,
    Column("placement_id", Integer, primary_key=True, autoincrement=False),
    Column("veteran_id", Integer, nullable=False),
    _code(comment="接收安置的县级区划(12位)"),
    Column("cohort_year", SmallInteger, nullable=False, comment="退役年度"),
    Column("cohort_season", String(4), nullable=False, comment="春季/秋季"),
    Column("mode", String(16), nullable=False),
    Column("destination", String(8), nullable=True, comment="党政机关/事业单位/央企/地方国企/其他"),
    Column("is_task", Boolean, nullable=False, comment="计入年度安置任务(转业、安排工作)"),
    Column("discharged_on", Date, nullable=False),
    Column("discharged_day", Integer, nullable=False),
    Column("report_deadline_day", Integer, nullable=False, comment="报到期限(退役+30日)"),
    Column("received_on", Date, nullable=True, comment="接收(报到登记)日期"),
    Column("received_day", Integer, nullable=True),
    Column("placed_on", Date, nullable=True, comment="落实岗位日期"),
    Column("placed_day", Integer, nullable=True),
    Column("reported_on", Date, nullable=True, comment="到岗报到日期"),
    Column("reported_day", Integer, nullable=True),
    Column("trained", Boolean, nullable=False, default=False, comment="参加适应性培训"),
    Index("ix_placement_region", "region_code", "discharged_day"),
    Index("ix_placement_cohort", "cohort_year"),
    # "this year's task placements in each child's subtree": equality on the year, then a narrow code range
    Index("ix_placement_cohort_region", "cohort_year", "region_code"),
    comment="移交安置",
)

placement_task = Table(
    "placement_task", metadata,
    _code(comment="县级区划"),
    Column("year", SmallInteger, nullable=False),
    Column("task", Integer, nullable=False, comment="年度安置任务数(安排工作+转业)"),
    Column("posts", Integer, nullable=False, comment="提供岗位数"),
    Index("ix_task_region_year", "region_code", "year", unique=True),
    comment="年度安置任务(县级)",
)

employment_status = Table(
    "employment_status", metadata,
    Column("status_id", Integer, primary_key=True, autoincrement=False),
    Column("veteran_id", Integer, nullable=False),
    _code(comment="居住村(社区)"),
    Column("cohort_year", SmallInteger, nullable=False, comment="退役年度(自主就业)"),
    Column("effective_on", Date, nullable=False),
    Column("effective_day", Integer, nullable=False),
    Column("status", String(8), nullable=False, comment="复学/考试入学/城镇就业/返乡务农/创业/待就业"),
    Column("hardship", Boolean, nullable=False, default=False, comment="认定为就业困难"),
    Index("ix_emp_region_day", "region_code", "effective_day"),
    Index("ix_emp_veteran", "veteran_id", "effective_day"),
    comment="自主就业退役士兵就业状态变更(一人一档), 最新一条为当前状态",
)

service_event = Table(
    "service_event", metadata,
    Column("event_id", Integer, primary_key=True, autoincrement=False),
    Column("veteran_id", Integer, nullable=False),
    _code(),
    Column("event_on", Date, nullable=False),
    Column("day", Integer, nullable=False),
    Column("kind", String(8), nullable=False, comment="岗位推荐/职业指导/技能培训信息 (\"311\")"),
    Index("ix_event_region_day", "region_code", "day"),
    comment="\"311\"就业服务记录",
)

training = Table(
    "training", metadata,
    Column("training_id", Integer, primary_key=True, autoincrement=False),
    Column("veteran_id", Integer, nullable=False),
    _code(),
    Column("kind", String(8), nullable=False, comment="适应性培训/职业技能培训/学历提升"),
    Column("started_on", Date, nullable=False),
    Column("started_day", Integer, nullable=False),
    Column("finished_on", Date, nullable=True),
    Index("ix_training_region_day", "region_code", "started_day"),
    comment="培训记录",
)

# ---------------------------------------------------------------- funds
payment = Table(
    "payment", metadata,
    Column("payment_id", BIGID, primary_key=True, autoincrement=False),
    Column("beneficiary_id", Integer, nullable=False),
    _code(comment="受益人居住村(社区)"),
    Column("fund_kind", String(16), nullable=False,
           comment="残疾抚恤金/定期抚恤金/定期生活补助/义务兵家庭优待金/医疗补助/临时救助"),
    Column("month", Integer, nullable=False, comment="所属期(月) 202611"),
    Column("amount_due", MONEY, nullable=False, comment="应发金额(元)"),
    Column("amount_paid", MONEY, nullable=False, comment="实发金额(元), 未发为0"),
    Column("due_on", Date, nullable=False),
    Column("due_day", Integer, nullable=False),
    Column("paid_on", Date, nullable=True),
    Column("paid_day", Integer, nullable=True),
    Column("status", String(8), nullable=False, comment="已发放/未发放/退回"),
    Column("is_backpay", Boolean, nullable=False, default=False, comment="调标补发"),
    Index("ix_payment_region_month", "region_code", "month"),
    Index("ix_payment_beneficiary", "beneficiary_id", "month"),
    comment="抚恤补助资金发放明细",
)

budget = Table(
    "budget", metadata,
    _code(comment="县级区划"),
    Column("year", SmallInteger, nullable=False),
    Column("fund_kind", String(16), nullable=False),
    Column("amount", MONEY, nullable=False, comment="年度预算(含上级转移支付, 元)"),
    Index("ix_budget", "region_code", "year", "fund_kind", unique=True),
    comment="资金年度预算(县级)",
)

fund_standard = Table(
    "fund_standard", metadata,
    Column("fund_kind", String(16), primary_key=True),
    Column("min_monthly", MONEY, nullable=False, comment="月发放标准下限(元)"),
    Column("max_monthly", MONEY, nullable=False, comment="月发放标准上限(元)"),
    comment="各类资金月标准范围(用于异常检查)",
)

# ---------------------------------------------------------------- petitions
petition = Table(
    "petition", metadata,
    Column("petition_id", Integer, primary_key=True, autoincrement=False),
    _code(comment="信访人居住村(社区)"),
    Column("received_on", Date, nullable=False),
    Column("received_day", Integer, nullable=False),
    Column("channel", String(8), nullable=False, comment="来信/来访/网上信访/来电/12345转办"),
    Column("category", String(16), nullable=False,
           comment="安置/待遇/历史遗留/社保/医疗/就业/优待落实/住房/困难帮扶/其他"),
    Column("item_type", String(8), nullable=False, comment="建议意见/检举控告/申诉求决"),
    Column("persons", SmallInteger, nullable=False, comment="人数(≥5为集体访)"),
    Column("is_repeat", Boolean, nullable=False, comment="重复信访"),
    Column("is_skip_level", Boolean, nullable=False, comment="越级访"),
    Column("petitioner_ref", Integer, nullable=True, comment="信访人内部编号"),
    Column("accept_deadline_day", Integer, nullable=False, comment="受理期限(收到+15日)"),
    Column("accepted_on", Date, nullable=True),
    Column("accepted_day", Integer, nullable=True),
    Column("due_on", Date, nullable=True, comment="办理期限(受理+60日, 延期+30日)"),
    Column("due_day", Integer, nullable=True),
    Column("extended", Boolean, nullable=False, default=False),
    Column("closed_on", Date, nullable=True),
    Column("closed_day", Integer, nullable=True),
    Column("satisfaction", String(8), nullable=True, comment="满意/基本满意/不满意"),
    Index("ix_petition_region_day", "region_code", "received_day"),
    Index("ix_petition_day", "received_day"),
    Index("ix_petition_open", "closed_day", "due_day"),
    comment="信访事项",
)

# ---------------------------------------------------------------- rollups (built by `vetdash refresh`)
roll_payment_month = Table(
    "roll_payment_month", metadata,
    _code(), Column("month", Integer, nullable=False), Column("fund_kind", String(16), nullable=False),
    Column("amount_due", MONEY, nullable=False), Column("amount_paid", MONEY, nullable=False),
    Column("rows_due", Integer, nullable=False, comment="截至数据日期已到发放日的应发人次"),
    Column("rows_ontime_full", Integer, nullable=False, comment="其中在发放日前足额到账的人次"),
    Index("ix_rpm", "region_code", "month", "fund_kind", unique=True),
    comment="资金发放 区划×月×资金类别",
)

roll_payment_people = Table(
    "roll_payment_people", metadata,
    _code(), Column("month", Integer, nullable=False),
    Column("beneficiaries", Integer, nullable=False, comment="当月受益人数(去重)"),
    Index("ix_rpp", "region_code", "month", unique=True),
    comment="资金受益人数 区划×月",
)

roll_petition_day = Table(
    "roll_petition_day", metadata,
    _code(), Column("day", Integer, nullable=False),
    Column("received", Integer, nullable=False, comment="当日收到件数"),
    Column("persons", Integer, nullable=False, comment="当日收到人次"),
    Column("repeat_cnt", Integer, nullable=False), Column("skip_cnt", Integer, nullable=False),
    Column("group_cnt", Integer, nullable=False, comment="集体访(≥5人)件数"),
    Column("accepted_timely", Integer, nullable=False, comment="按收到日计: 15日内受理件数"),
    Column("due_cnt", Integer, nullable=False, comment="按期限日计: 到期应办结件数"),
    Column("due_closed_ontime", Integer, nullable=False, comment="按期限日计: 按期办结件数"),
    Column("closed_cnt", Integer, nullable=False, comment="按办结日计: 办结件数"),
    Column("rated_cnt", Integer, nullable=False, comment="按办结日计: 参评件数"),
    Column("satisfied_cnt", Integer, nullable=False, comment="按办结日计: 满意+基本满意"),
    Index("ix_rpd", "region_code", "day", unique=True),
    comment="信访 区划×日",
)

roll_activity_day = Table(
    "roll_activity_day", metadata,
    _code(), Column("day", Integer, nullable=False),
    Column("records", Integer, nullable=False), Column("items", Integer, nullable=False),
    Column("visits", Integer, nullable=False),
    Index("ix_rad", "region_code", "day", unique=True),
    comment="服务站办件 区划×日",
)

roll_veteran_month = Table(
    "roll_veteran_month", metadata,
    _code(), Column("month", Integer, nullable=False),
    Column("discharged", Integer, nullable=False, comment="当月退役(建档)人数"),
    Column("died", Integer, nullable=False, comment="当月去世人数"),
    Index("ix_rvm", "region_code", "month", unique=True),
    comment="退役军人存量变动 区划×月; 存量 = 累计退役 - 累计去世",
)

RAW_TABLES = ["region", "meta", "service_unit", "station_activity", "veteran", "beneficiary",
              "placement", "placement_task", "employment_status", "service_event", "training",
              "payment", "budget", "fund_standard", "petition"]
CORE_ROLLUP_TABLES = ["roll_payment_month", "roll_payment_people", "roll_petition_day",
                 "roll_activity_day", "roll_veteran_month"]


def _register_rollup_tables() -> None:
    """Tables defined in queries/rollups/* join this metadata (imported here so create_all sees them)."""
    from queries.rollups import discover
    discover()


def rollup_tables() -> list[str]:
    _register_rollup_tables()
    # core rollups first, then the registered ones by name: the same order whichever module was imported first
    core = [t for t in CORE_ROLLUP_TABLES if t in metadata.tables]
    return core + sorted(t for t in metadata.tables if t.startswith("roll_") and t not in core)


def __getattr__(name: str):
    """ROLLUP_TABLES: the core rollups plus every table registered in queries/rollups/ (resolved lazily,
    because those modules import this one)."""
    if name == "ROLLUP_TABLES":
        return rollup_tables()
    raise AttributeError(name)


def create_all(engine) -> None:
    _register_rollup_tables()
    metadata.create_all(engine)


def drop_all(engine) -> None:
    _register_rollup_tables()
    metadata.drop_all(engine)
