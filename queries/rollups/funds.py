"""资金发放 rollups: the four auditor checks and 调标补发 (F5), so the funds page reads no payment rows.

- roll_payment_audit_case: one row per anomaly case (线索), rebuilt from all payment rows by four once-steps
  (one per check) with the definitions of docs/indicators/funds.md. Few rows (hundreds to thousands a
  year for a whole province); the newest-first lists read it through ix_rpac for any region, the province
  root included.
- roll_payment_audit: cases and amount per region × month × check, cascaded village → province from the
  case rows by where each case is counted (place_code). Counts per child and totals read it.
- roll_payment_paid_day: amounts and rows paid per region × payment day (paid_on), so money flows (F1, F2,
  F4) belong to a period by the day the money arrived (cash basis, as budget execution is counted) and a
  period not over compares with the same number of days.
- roll_payment_backpay: 调标补发 rows per region × month (booked region), with the rows paid in full by
  the data's as-of date: F5 reads it.

check_kind keys (the page's labels in dashboard.funds.model.CHECK_LABELS):
dup 重复发放, death 死亡后发放, range 超出标准范围, register 不在登记地名册.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table

from queries.rollups import Rollup, Step
from queries.schema import CODE, MONEY, metadata

CHECK_KINDS = ("dup", "death", "range", "register")
CHECK_LABELS = {"dup": "重复发放", "death": "死亡后发放", "range": "超出标准范围", "register": "不在登记地名册"}

roll_payment_audit_case = Table(
    "roll_payment_audit_case", metadata,
    Column("check_kind", String(8), nullable=False,
           comment="检查类别: dup重复发放/death死亡后发放/range超出标准范围/register不在登记地名册"),
    Column("place_code", CODE, nullable=False,
           comment="计入的区划: 重复发放、死亡后发放为受益人登记村(社区), 其余为发放记录所在村(社区)"),
    Column("month", Integer, nullable=False, comment="所属期(月) 202611"),
    Column("beneficiary_id", Integer, nullable=False, comment="受益人内部编号(页面只显示脱敏编号)"),
    Column("fund_kind", String(16), nullable=False, comment="资金类别"),
    Column("region_code", CODE, nullable=False, comment="发放记录所在村(社区); 重复发放为各笔中最小的代码"),
    Column("payment_id", BigInteger, nullable=False, comment="发放记录编号; 重复发放为各笔中最小的编号"),
    Column("times", Integer, nullable=False, comment="涉及发放笔数(重复发放≥2, 其余为1)"),
    Column("amount_due", MONEY, nullable=False, comment="应发金额(元); 重复发放为各笔之和"),
    Column("amount_paid", MONEY, nullable=False, comment="实发金额(元); 重复发放为各笔之和"),
    Column("excess", MONEY, nullable=True, comment="重复发放: 多发金额 = 实发合计 - 单笔最大实发"),
    Column("died_month", Integer, nullable=True, comment="死亡后发放: 登记死亡月份"),
    Column("min_monthly", MONEY, nullable=True, comment="超出标准范围: 月标准下限(元)"),
    Column("max_monthly", MONEY, nullable=True, comment="超出标准范围: 月标准上限(元)"),
    Column("register_code", CODE, nullable=True, comment="不在登记地名册: 受益人登记村(社区), 空为未登记"),
    Index("ix_rpac", "check_kind", "place_code", "month"),
    comment="审计异常线索明细(每条线索一行), 由 vetdash refresh 从发放明细重建",
)

roll_payment_audit = Table(
    "roll_payment_audit", metadata,
    Column("region_code", CODE, nullable=False),
    Column("month", Integer, nullable=False, comment="所属期(月)"),
    Column("check_kind", String(8), nullable=False, comment="检查类别: dup/death/range/register"),
    Column("cases", Integer, nullable=False, comment="异常线索条数"),
    Column("amount", MONEY, nullable=False, comment="涉及实发金额(元)"),
    Index("ix_rpa", "region_code", "month", "check_kind", unique=True),
    comment="审计异常线索 区划×月×检查类别(按线索计入的区划汇总)",
)

roll_payment_backpay = Table(
    "roll_payment_backpay", metadata,
    Column("region_code", CODE, nullable=False),
    Column("month", Integer, nullable=False, comment="所属期(月)"),
    Column("backpay_rows", Integer, nullable=False, comment="调标补发应补发人次"),
    Column("backpay_done", Integer, nullable=False, comment="其中截至数据日期已足额补发的人次"),
    Column("amount_due", MONEY, nullable=False, comment="应补发金额(元)"),
    Column("amount_paid", MONEY, nullable=False, comment="已补发金额(元)"),
    Index("ix_rpb", "region_code", "month", unique=True),
    comment="调标补发 区划×月(按发放记录所在区划)",
)

roll_payment_paid_day = Table(
    "roll_payment_paid_day", metadata,
    Column("region_code", CODE, nullable=False),
    Column("day", Integer, nullable=False, comment="发放(到账)日期 20261123"),
    Column("amount_paid", MONEY, nullable=False, comment="当日到账的实发金额(元)"),
    Column("rows_paid", Integer, nullable=False, comment="当日到账的发放笔数(人次)"),
    Index("ix_rppd", "region_code", "day", unique=True),
    comment="资金到账 区划×发放日期(收付实现制: 发放额、受益人次、执行率按到账日期归期)",
)

ROLLUPS = [
    Rollup(table="roll_payment_paid_day", delete="DELETE FROM roll_payment_paid_day",
           steps=[Step("funds_refresh_paid_day")],
           since_delete="DELETE FROM roll_payment_paid_day WHERE day >= :since_day"),
    Rollup(table="roll_payment_audit_case", delete="DELETE FROM roll_payment_audit_case",
           steps=[Step("funds_refresh_case_dup", per_level=False),
                  Step("funds_refresh_case_death", per_level=False),
                  Step("funds_refresh_case_range", per_level=False),
                  Step("funds_refresh_case_register", per_level=False)]),
    Rollup(table="roll_payment_audit", delete="DELETE FROM roll_payment_audit",
           steps=[Step("funds_refresh_audit")]),
    Rollup(table="roll_payment_backpay", delete="DELETE FROM roll_payment_backpay",
           steps=[Step("funds_refresh_backpay")],
           since_delete="DELETE FROM roll_payment_backpay WHERE month >= :since_month"),
]
