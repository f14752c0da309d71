"""One spec per source table: the columns a bureau fills in, their kinds and allowed values.

Allowed values (enumerations) are parsed from the column comments in queries/schema.py, so the
templates, the validator and docs/schema.md cannot drift apart. Columns a bureau never fills in
(date keys such as `paid_day`, `week`, `month` of an activity, deadlines fixed by regulation, the
region tree's `short_code`/`code_hi`/`level`/`parent_code`) are derived by the loader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from queries import schema


@dataclass(frozen=True)
class Col:
    """One template column."""
    name: str                       # schema column (or a load-only column such as reissue_of)
    label: str                      # Chinese header
    kind: str                       # id | ref | int | code | date | month | money | bool | enum | text
    required: bool = True
    values: tuple = ()              # allowed values of an enum column
    lo: int | None = None           # int range
    hi: int | None = None
    event: bool = True              # date: something that happened (not after the as-of date)
    ref: str | None = None          # ref: the table whose id this column names
    level: int | None = None        # code: required region level (3 = county)
    length: int | None = None       # text: maximum length
    default: object = None          # value used when the cell is empty (optional columns)
    stored: bool = True             # False: checked at load, not a schema column
    note: str = ""                  # extra guidance in the template's 说明 row


@dataclass(frozen=True)
class TableSpec:
    table: str
    title: str                      # Chinese name
    key: tuple[str, ...]            # source record id: the columns that make a load idempotent
    key_label: str                  # e.g. 发放流水号
    columns: tuple[Col, ...]
    example: dict = field(default_factory=dict)
    rules: tuple[str, ...] = ()     # cross-column rules, in Chinese (template 说明 sheet, docs)

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)


def enum_values(table: str, column: str) -> tuple[str, ...]:
    """'残疾抚恤金/定期抚恤金/…' from a column comment (text after a 'label: ' prefix; a trailing
    ' ("311")' style remark dropped)."""
    comment = schema.metadata.tables[table].columns[column].comment or ""
    if ": " in comment:
        comment = comment.split(": ", 1)[1]
    comment = re.sub(r"\s+\(.*\)$", "", comment)
    return tuple(v.strip() for v in comment.split("/") if v.strip())


FUND_KINDS = enum_values("payment", "fund_kind")
PLACEMENT_MODES = enum_values("veteran", "placement_mode")
YES_NO = ("是", "否")


def _enum(name, label, table, column=None, **kw):
    return Col(name, label, "enum", values=enum_values(table, column or name), **kw)


def _bool(name, label, required=False, **kw):
    return Col(name, label, "bool", required=required, default=False if not required else None,
               values=YES_NO, **kw)


def _code(label="所属区划代码", **kw):
    return Col("region_code", label, "code", **kw)


SPECS: dict[str, TableSpec] = {s.table: s for s in [
    TableSpec("region", "行政区划树", ("code",), "区划代码", (
        Col("code", "区划代码", "code", note="12位统计用区划代码, 或按层级截取的2/4/6/9位短码"),
        Col("name", "名称", "text", length=64),
        _enum("kind", "类别", "region"),
        _bool("is_functional", "非行政功能区"),
    ), {"code": "431022101201", "name": "白石渡村", "kind": "村", "is_functional": "否"},
        ("上级区划由代码前缀确定(村的上级是前9位的乡镇), 须已在区划树中或在同一文件内; 树的最高一级除外",)),
    TableSpec("service_unit", "退役军人服务中心(站)", ("unit_id",), "服务站编号", (
        Col("unit_id", "服务站编号", "id"),
        _code("服务的区划代码", note="市/县中心填市/县代码, 乡镇站填乡镇代码, 村站填村代码"),
        Col("level", "层级", "int", lo=2, hi=5, note="2市中心 3县中心 4乡镇站 5村站, 须与区划层级一致"),
        Col("name", "名称", "text", length=128),
        Col("founded_on", "建成挂牌日期", "date"),
        _bool("has_institution", "有机构"), _bool("has_quota", "有编制"), _bool("has_personnel", "有人员"),
        _bool("has_funding", "有经费"), _bool("has_safeguards", "有保障"), _bool("is_model", "示范型"),
        _enum("model_grade", "示范级别", "service_unit", required=False),
        _bool("is_benchmark", "标杆型"), _bool("is_red", "红色服务站"), _bool("yibu_yizhan", "一部一站"),
        Col("staff_full", "专职人员数", "int", lo=0, hi=999, required=False, default=0),
        Col("staff_part", "兼职人员数", "int", lo=0, hi=999, required=False, default=0),
        Col("staff_certified", "持证事务员数", "int", lo=0, hi=999, required=False, default=0),
        Col("service_objects", "登记服务对象数", "int", lo=0, required=False, default=0),
    ), {"unit_id": "43102210120", "region_code": "431022101201", "level": "5", "name": "白石渡村退役军人服务站",
        "founded_on": "2019-06-18", "has_institution": "是", "has_quota": "否", "has_personnel": "是",
        "has_funding": "是", "has_safeguards": "是", "is_model": "否", "model_grade": "", "is_benchmark": "否",
        "is_red": "否", "yibu_yizhan": "否", "staff_full": "0", "staff_part": "2", "staff_certified": "1",
        "service_objects": "86"},
        ("同一区划同一层级只能有一个服务中心(站)",)),
    TableSpec("station_activity", "服务站办件与走访记录", ("activity_id",), "办件记录编号", (
        Col("activity_id", "办件记录编号", "id"),
        Col("unit_id", "服务站编号", "ref", ref="service_unit"),
        _code("服务的区划代码", required=False, note="空着时取服务站的区划"),
        Col("activity_on", "服务日期", "date"),
        _enum("kind", "类别", "station_activity"),
        Col("items", "办件量(件)", "int", lo=0, hi=9999, required=False, default=0),
        Col("visits", "走访慰问人次", "int", lo=0, hi=9999, required=False, default=0),
    ), {"activity_id": "202611230001", "unit_id": "43102210120", "region_code": "", "activity_on": "2026-11-23",
        "kind": "政策咨询", "items": "3", "visits": "0"}),
    TableSpec("veteran", "退役军人", ("veteran_id",), "退役军人内部编号", (
        Col("veteran_id", "退役军人内部编号", "id", note="不透明整数编号, 不得用身份证号"),
        _code("居住村(社区)代码"),
        Col("birth_year", "出生年份", "int", lo=1900, hi=2100),
        _enum("sex", "性别", "veteran"),
        _enum("service_type", "人员类别", "veteran"),
        Col("enlisted_on", "入伍日期", "date", required=False),
        Col("discharged_on", "退役日期", "date"),
        _enum("placement_mode", "安置方式", "veteran"),
        Col("died_on", "去世日期", "date", required=False),
        _bool("is_bing_laoban", "兵老板"), _bool("is_bing_zhishu", "兵支书"),
    ), {"veteran_id": "1000001", "region_code": "431022101201", "birth_year": "1998", "sex": "男",
        "service_type": "义务兵", "enlisted_on": "2017-09-10", "discharged_on": "2019-09-01",
        "placement_mode": "自主就业", "died_on": "", "is_bing_laoban": "否", "is_bing_zhishu": "否"},
        ("入伍日期 ≤ 退役日期 ≤ 去世日期",)),
    TableSpec("beneficiary", "优抚对象", ("beneficiary_id",), "优抚对象内部编号", (
        Col("beneficiary_id", "优抚对象内部编号", "id", note="资金发放明细中出现的每一个受益人都要在此登记"),
        _code("居住村(社区)代码"),
        _enum("category", "优抚类别", "beneficiary"),
        Col("veteran_id", "退役军人内部编号", "ref", ref="veteran", required=False, note="三属、义务兵家庭为空"),
        Col("soldier_ref", "服役军人编号", "text", length=16, required=False, note="仅义务兵家庭"),
        Col("disability_grade", "残疾等级", "int", lo=1, hi=10, required=False, note="仅残疾军人, 1-10"),
        Col("since_on", "享受待遇起始日期", "date"),
        Col("until_on", "资格终止日期", "date", required=False, event=False),
        Col("died_on", "去世日期", "date", required=False),
    ), {"beneficiary_id": "2000001", "region_code": "431022101201", "category": "残疾军人", "veteran_id": "1000001",
        "soldier_ref": "", "disability_grade": "6", "since_on": "2020-01-01", "until_on": "", "died_on": ""},
        ("残疾军人须填残疾等级",)),
    TableSpec("placement", "移交安置", ("placement_id",), "安置记录编号", (
        Col("placement_id", "安置记录编号", "id"),
        Col("veteran_id", "退役军人内部编号", "ref", ref="veteran"),
        _code("接收安置县代码", level=3),
        Col("cohort_year", "退役年度", "int", lo=1950, hi=2100, required=False, note="空着时取退役日期的年份"),
        _enum("cohort_season", "批次", "placement", required=False, note="空着时退役月份1-6月为春季, 否则秋季"),
        Col("mode", "安置方式", "enum", values=PLACEMENT_MODES),
        _enum("destination", "安置去向", "placement", required=False, note="转业、安排工作填写"),
        Col("is_task", "计入年度安置任务", "bool", required=False, values=YES_NO, note="空着时转业、安排工作为是"),
        Col("discharged_on", "退役日期", "date"),
        Col("received_on", "接收(报到登记)日期", "date", required=False),
        Col("placed_on", "落实岗位日期", "date", required=False, note="空着时取到岗报到日期(源系统只有接收、到岗两个日期时)"),
        Col("reported_on", "到岗报到日期", "date", required=False),
        _bool("trained", "参加适应性培训"),
    ), {"placement_id": "3000001", "veteran_id": "1000001", "region_code": "431022", "cohort_year": "2026",
        "cohort_season": "秋季", "mode": "安排工作", "destination": "事业单位", "is_task": "是",
        "discharged_on": "2026-09-01", "received_on": "2026-09-20", "placed_on": "2026-11-02",
        "reported_on": "2026-11-16", "trained": "是"},
        ("退役日期 ≤ 接收日期 ≤ 落实岗位日期 ≤ 到岗报到日期", "报到期限 = 退役日期 + 30日(自动计算)")),
    TableSpec("placement_task", "年度安置任务(县级)", ("region_code", "year"), "县代码+年度", (
        _code("县级区划代码", level=3),
        Col("year", "年度", "int", lo=2000, hi=2100),
        Col("task", "年度安置任务数", "int", lo=0),
        Col("posts", "提供岗位数", "int", lo=0),
    ), {"region_code": "431022", "year": "2026", "task": "28", "posts": "31"}),
    TableSpec("employment_status", "自主就业退役士兵就业状态变更", ("status_id",), "状态记录编号", (
        Col("status_id", "状态记录编号", "id"),
        Col("veteran_id", "退役军人内部编号", "ref", ref="veteran"),
        _code("居住村(社区)代码"),
        Col("cohort_year", "退役年度", "int", lo=1950, hi=2100),
        Col("effective_on", "状态生效日期", "date"),
        _enum("status", "就业状态", "employment_status"),
        _bool("hardship", "认定为就业困难"),
    ), {"status_id": "4000001", "veteran_id": "1000001", "region_code": "431022101201", "cohort_year": "2019",
        "effective_on": "2019-11-01", "status": "城镇就业", "hardship": "否"},
        ("每人每次状态变化一行(不是每月快照), 见 docs/loading.md",)),
    TableSpec("service_event", "\"311\"就业服务记录", ("event_id",), "服务记录编号", (
        Col("event_id", "服务记录编号", "id"),
        Col("veteran_id", "退役军人内部编号", "ref", ref="veteran"),
        _code("居住村(社区)代码"),
        Col("event_on", "服务日期", "date"),
        _enum("kind", "服务类别", "service_event"),
    ), {"event_id": "5000001", "veteran_id": "1000001", "region_code": "431022101201", "event_on": "2026-10-12",
        "kind": "岗位推荐"}),
    TableSpec("training", "培训记录", ("training_id",), "培训记录编号", (
        Col("training_id", "培训记录编号", "id"),
        Col("veteran_id", "退役军人内部编号", "ref", ref="veteran"),
        _code("居住村(社区)代码"),
        _enum("kind", "培训类别", "training"),
        Col("started_on", "开班日期", "date"),
        Col("finished_on", "结业日期", "date", required=False),
    ), {"training_id": "6000001", "veteran_id": "1000001", "region_code": "431022101201", "kind": "适应性培训",
        "started_on": "2026-09-22", "finished_on": "2026-09-30"}, ("开班日期 ≤ 结业日期",)),
    TableSpec("payment", "抚恤补助资金发放明细", ("payment_id",), "发放流水号", (
        Col("payment_id", "发放流水号", "id", note="每笔发放一个编号, 重新发放用新编号"),
        Col("beneficiary_id", "优抚对象内部编号", "ref", ref="beneficiary", note="须已在优抚对象表中"),
        _code("受益人居住村(社区)代码"),
        _enum("fund_kind", "资金类别", "payment"),
        Col("month", "所属期(月)", "month", note="如 202611"),
        Col("amount_due", "应发金额(元)", "money"),
        Col("amount_paid", "实发金额(元)", "money", note="未发放、退回填0"),
        Col("due_on", "规定发放日期", "date", event=False),
        Col("paid_on", "实际到账日期", "date", required=False, note="未发放、退回为空"),
        _enum("status", "发放状态", "payment"),
        _bool("is_backpay", "调标补发"),
        Col("reissue_of", "原发放流水号(重新发放)", "ref", ref="payment", required=False, stored=False,
            note="退回后重新发放的记录填原(退回)流水号"),
    ), {"payment_id": "202611000001", "beneficiary_id": "2000001", "region_code": "431022101201",
        "fund_kind": "残疾抚恤金", "month": "202611", "amount_due": "3420.00", "amount_paid": "3420.00",
        "due_on": "2026-11-15", "paid_on": "2026-11-13", "status": "已发放", "is_backpay": "否", "reissue_of": ""},
        ("已发放: 实发金额 > 0 且有到账日期", "未发放、退回: 实发金额为0, 到账日期为空 (退回的原金额留在应发金额)",
         "重新发放: 新流水号, 状态已发放, 原发放流水号指向同一受益人、同一资金类别、同一所属期的退回记录")),
    TableSpec("budget", "资金年度预算(县级)", ("region_code", "year", "fund_kind"), "县代码+年度+资金类别", (
        _code("县级区划代码", level=3),
        Col("year", "年度", "int", lo=2000, hi=2100),
        Col("fund_kind", "资金类别", "enum", values=FUND_KINDS),
        Col("amount", "年度预算(元)", "money"),
    ), {"region_code": "431022", "year": "2026", "fund_kind": "残疾抚恤金", "amount": "18600000.00"}),
    TableSpec("fund_standard", "各类资金月标准范围", ("fund_kind",), "资金类别", (
        Col("fund_kind", "资金类别", "enum", values=FUND_KINDS),
        Col("min_monthly", "月发放标准下限(元)", "money"),
        Col("max_monthly", "月发放标准上限(元)", "money"),
    ), {"fund_kind": "残疾抚恤金", "min_monthly": "900.00", "max_monthly": "14000.00"},
        ("下限 ≤ 上限; 范围覆盖所装载各年度的标准(含调标), 见 docs/loading.md",)),
    TableSpec("petition", "信访事项", ("petition_id",), "信访事项编号", (
        Col("petition_id", "信访事项编号", "id"),
        _code("信访人居住村(社区)代码"),
        Col("received_on", "收到日期", "date"),
        _enum("channel", "渠道", "petition"),
        _enum("category", "问题类别", "petition"),
        _enum("item_type", "事项类型", "petition"),
        Col("persons", "人数", "int", lo=1, hi=9999),
        _bool("is_repeat", "重复信访"), _bool("is_skip_level", "越级访"),
        Col("petitioner_ref", "信访人内部编号", "int", lo=0, required=False),
        Col("accepted_on", "受理日期", "date", required=False),
        Col("due_on", "办理期限", "date", required=False, event=False,
            note="空着时按受理日期+60日(延期+90日)计算; 源系统有期限时照抄"),
        _bool("extended", "经批准延期"),
        Col("closed_on", "办结日期", "date", required=False),
        _enum("satisfaction", "满意度", "petition", required=False),
    ), {"petition_id": "7000001", "region_code": "431022101201", "received_on": "2026-11-02", "channel": "来访",
        "category": "待遇", "item_type": "申诉求决", "persons": "1", "is_repeat": "否", "is_skip_level": "否",
        "petitioner_ref": "", "accepted_on": "2026-11-05", "due_on": "", "extended": "否", "closed_on": "",
        "satisfaction": ""},
        ("收到日期 ≤ 受理日期 ≤ 办结日期", "受理期限 = 收到日期 + 15日(自动计算)")),
]}

# Load order: a table's links point only to tables before it.
ORDER = ["region", "service_unit", "station_activity", "veteran", "beneficiary", "payment", "placement",
         "placement_task", "employment_status", "service_event", "training", "budget", "fund_standard", "petition"]
assert set(ORDER) == set(SPECS) == set(schema.RAW_TABLES) - {"meta"}

# The date that says how fresh a table is (its latest loaded value), per table.
FRESHNESS = {"station_activity": "day", "payment": "paid_day", "petition": "received_day",
             "service_event": "day", "employment_status": "effective_day", "training": "started_day",
             "placement": "discharged_day", "veteran": "discharged_day"}
# meta.as_of defaults to the earliest latest-date over these continuous streams (sparse tables such as
# placements, which change twice a year, would hold it back by months).
AS_OF_TABLES = ("station_activity", "payment", "petition", "service_event")
