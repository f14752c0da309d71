"""A small deterministic fixture database: 郴州市 → 2 counties → 4 townships → 10 villages, ~26 months of facts.

Every raw table gets rows from `fixture_rows()` (random.Random(7), so the same rows every run);
tests compute their expected values in plain Python from the same lists. `populate(engine)`
writes them and rebuilds the rollups. `python -m tests.fixtures PATH` writes a SQLite file.
"""
from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from decimal import Decimal

from queries import schema
from queries.periods import day_key, month_key, week_key
from queries.region_data import region_rows

FIXTURE_AS_OF = date(2026, 11, 23)
FIXTURE_ROOT = "4310"
WINDOW_START = date(2024, 9, 1)          # facts cover 2024-09-01 .. 2026-11-23 (~26 months)
SEED = 7

PROVINCE = "430000000000"                # 湖南省
CITY = "431000000000"                    # 郴州市
BEIHU = "431002000000"                   # 北湖区
YIZHANG = "431022000000"                 # 宜章县
COUNTIES = [BEIHU, YIZHANG]
# the first two townships of each county in the NBS 2023 list
RENMINLU = "431002001000"                # 人民路街道
BEIHU_JD = "431002002000"                # 北湖街道
BAISHIDU = "431022101000"                # 白石渡镇
YANGMEISHAN = "431022102000"             # 杨梅山镇
TOWNSHIPS = [RENMINLU, BEIHU_JD, BAISHIDU, YANGMEISHAN]
VILLAGES = [
    "431002001001", "431002001002", "431002001003",      # 北湖路社区 国庆北路社区 人民西路社区
    "431002002001", "431002002002",                      # 解放路社区 建设里社区
    "431022101001", "431022101201", "431022101202",      # 解放路社区 白石渡村 高龙桥村
    "431022102200", "431022102201",                      # 杨梅山村 香花村
]
VILLAGE_WITHOUT_STATION = "431022102201"  # 香花村: no station at all
INACTIVE_STATION_VILLAGE = "431002002002"  # 建设里社区: station signposted, no activity, nobody on duty
REGION_CODES = [PROVINCE, CITY, *COUNTIES, *TOWNSHIPS, *VILLAGES]

FUND_KINDS = ["残疾抚恤金", "定期抚恤金", "定期生活补助", "义务兵家庭优待金", "医疗补助", "临时救助"]
# pay day of month per fund kind; 定期生活补助 is paid on the 25th, so its 2026-11 rows are not yet due
PAY_DAY = {"残疾抚恤金": 15, "定期抚恤金": 15, "定期生活补助": 25, "义务兵家庭优待金": 15,
           "医疗补助": 20, "临时救助": 20}
ACTIVITY_KINDS = ["政策咨询", "帮扶救助", "走访慰问", "就业服务", "权益维护", "其他"]
PETITION_CHANNELS = ["来信", "来访", "网上信访", "来电", "12345转办"]
PETITION_CATEGORIES = ["安置", "待遇", "历史遗留", "社保", "医疗", "就业", "优待落实", "住房", "困难帮扶", "其他"]
PETITION_TYPES = ["建议意见", "检举控告", "申诉求决"]
SATISFACTION = ["满意", "基本满意", "不满意"]


def county_of(code: str) -> str:
    return code[:6] + "000000"


def _on(prefix: str, d: date | None) -> dict:
    """{prefix_on: date, prefix_day: 20261123} (both None when d is None)."""
    return {f"{prefix}_on": d, f"{prefix}_day": day_key(d) if d else None}


def _money(x: float) -> Decimal:
    return Decimal(f"{x:.2f}")


def _weeks() -> list[date]:
    """Mondays of every ISO week touching the window."""
    monday = WINDOW_START - timedelta(days=WINDOW_START.weekday())
    out = []
    while monday <= FIXTURE_AS_OF:
        out.append(monday)
        monday += timedelta(days=7)
    return out


def _months() -> list[tuple[int, int]]:
    y, m, out = WINDOW_START.year, WINDOW_START.month, []
    while (y, m) <= (FIXTURE_AS_OF.year, FIXTURE_AS_OF.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _day_in(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _cap(d: date | None) -> date | None:
    """Events after the as-of date have not happened yet."""
    return d if d is not None and d <= FIXTURE_AS_OF else None


# ------------------------------------------------------------------------------------------- tables
def _regions() -> list[dict]:
    frame = region_rows(FIXTURE_ROOT)
    frame = frame[frame["code"].isin(REGION_CODES)]
    cols = [c.name for c in schema.region.columns]
    rows = []
    for rec in frame.to_dict("records"):
        row = {}
        for c in cols:
            v = rec[c]
            if c == "level":
                v = int(v)
            elif c == "is_functional":
                v = bool(v)
            elif v is not None and not isinstance(v, str):
                v = None if v != v else str(v)          # NaN -> None
            row[c] = v
        rows.append(row)
    assert len(rows) == len(REGION_CODES), "fixture region codes missing from the NBS list"
    return rows


def _service_units(rng: random.Random, names: dict[str, str]) -> list[dict]:
    units = []

    def unit(unit_id, code, level, suffix, founded, **kw):
        flags = {k: rng.random() < 0.8 for k in
                 ("has_institution", "has_quota", "has_personnel", "has_funding", "has_safeguards")}
        grade = rng.choice([None, None, None, "国家级", "省级", "市级", "县级"])
        row = {
            "unit_id": unit_id, "region_code": code, "level": level, "name": names[code] + suffix,
            **_on("founded", founded), **flags,
            "is_model": grade is not None, "model_grade": grade,
            "is_benchmark": rng.random() < 0.2, "is_red": rng.random() < 0.25,
            "yibu_yizhan": level == 4 and rng.random() < 0.7,
            "staff_full": rng.randint(1, 3) if level <= 4 else rng.randint(0, 1),
            "staff_part": rng.randint(0, 3), "staff_certified": 0, "service_objects": 0,
        }
        row["staff_certified"] = rng.randint(0, row["staff_full"] + row["staff_part"])
        row.update(kw)
        row["has_personnel"] = row["staff_full"] + row["staff_part"] >= 1      # 有人员: 专兼职 ≥ 1
        units.append(row)

    unit(1, CITY, 2, "退役军人服务中心", date(2019, 3, 15), has_institution=True, has_quota=True,
         has_personnel=True, has_funding=True, has_safeguards=True, is_model=True, model_grade="省级")
    for i, c in enumerate(COUNTIES):
        unit(2 + i, c, 3, "退役军人服务中心", date(2019, 5, 20 + i), has_institution=True, has_quota=True)
    for i, c in enumerate(TOWNSHIPS):
        unit(10 + i, c, 4, "退役军人服务站", date(2019, 9, 1) + timedelta(days=rng.randint(0, 400)))
    for i, c in enumerate(VILLAGES):
        if c == VILLAGE_WITHOUT_STATION:
            continue
        founded = date(2020, 1, 1) + timedelta(days=rng.randint(0, 700))
        extra = {}
        if c == INACTIVE_STATION_VILLAGE:     # signposted, but nobody on duty and no records
            extra = dict(has_institution=True, has_personnel=False, has_funding=False,
                         staff_full=0, staff_part=0, staff_certified=0, is_model=False, model_grade=None)
        if i == 7:                            # one station built inside the window
            founded = date(2025, 6, 18)
        if i == 0:                            # one exemplary station: all five ticks
            extra = dict(has_institution=True, has_quota=True, has_personnel=True, has_funding=True,
                         has_safeguards=True, is_model=True, model_grade="国家级", is_red=True)
        unit(100 + i, c, 5, "退役军人服务站", founded, **extra)
    return units


def _activities(rng: random.Random, units: list[dict]) -> list[dict]:
    active = [u for u in units if u["region_code"] != INACTIVE_STATION_VILLAGE]
    rows, next_id = [], 1
    for monday in _weeks():
        lo, hi = max(monday, WINDOW_START), min(monday + timedelta(days=6), FIXTURE_AS_OF)
        for _ in range(rng.randint(1, 5)):
            d = _day_in(rng, lo, hi)
            candidates = [u for u in active if u["founded_on"] <= d]
            u = rng.choice(candidates)
            kind = rng.choice(ACTIVITY_KINDS)
            rows.append({
                "activity_id": next_id, "unit_id": u["unit_id"], "region_code": u["region_code"],
                "activity_on": d, "day": day_key(d), "week": week_key(d), "month": month_key(d),
                "kind": kind, "items": rng.randint(1, 12),
                "visits": rng.randint(1, 9) if kind == "走访慰问" else rng.randint(0, 2),
            })
            next_id += 1
    return rows


def _veterans(rng: random.Random) -> list[dict]:
    rows, next_id = [], 1
    cohort_days = [date(2024, 9, 10), date(2025, 3, 12), date(2025, 9, 9), date(2026, 3, 11), date(2026, 9, 8)]
    for v_idx, village in enumerate(VILLAGES):
        n = rng.randint(22, 34)
        for k in range(n):
            r = rng.random()
            if k == 0:                                     # every village has one pre-1954 enlistee
                enlisted = date(1951, rng.randint(1, 12), 1)
                discharged = date(1956, rng.randint(1, 12), rng.randint(1, 28))
                stype, mode, birth = "义务兵", "复员", 1932 + rng.randint(0, 3)
            elif r < 0.25:                                 # discharged inside the window
                discharged = rng.choice(cohort_days) if rng.random() < 0.75 else _day_in(rng, WINDOW_START, FIXTURE_AS_OF)
                stype = rng.choices(["义务兵", "军士", "军官"], [6, 3, 1])[0]
                years = {"义务兵": 2, "军士": rng.randint(5, 16), "军官": rng.randint(10, 24)}[stype]
                enlisted = discharged - timedelta(days=365 * years + rng.randint(0, 30))
                mode = {"义务兵": rng.choices(["自主就业", "安排工作"], [9, 1])[0],
                        "军士": rng.choices(["自主就业", "安排工作", "逐月领取退役金", "退休"], [4, 3, 2, 1])[0],
                        "军官": rng.choices(["转业", "逐月领取退役金", "退休"], [6, 3, 1])[0]}[stype]
                birth = enlisted.year - rng.randint(18, 21)
            else:                                          # the stock: discharged 1960 .. 2024-08
                discharged = _day_in(rng, date(1960, 1, 1), WINDOW_START - timedelta(days=1))
                stype = rng.choices(["义务兵", "军士", "军官"], [6, 3, 1])[0]
                years = {"义务兵": rng.randint(2, 4), "军士": rng.randint(5, 16), "军官": rng.randint(10, 24)}[stype]
                enlisted = discharged - timedelta(days=365 * years)
                mode = {"义务兵": rng.choice(["自主就业", "复员", "安排工作"]),
                        "军士": rng.choice(["自主就业", "安排工作", "逐月领取退役金", "退休"]),
                        "军官": rng.choice(["转业", "自主择业", "逐月领取退役金", "退休"])}[stype]
                birth = enlisted.year - rng.randint(18, 21)
            died = None
            if birth < 1950 and rng.random() < 0.35:
                died = _day_in(rng, date(2020, 1, 1), FIXTURE_AS_OF)      # some before, most inside the window
            elif rng.random() < 0.02:
                died = _day_in(rng, WINDOW_START, FIXTURE_AS_OF)
            if died is not None and died <= discharged:
                died = None
            rows.append({
                "veteran_id": next_id, "region_code": village, "birth_year": birth,
                "sex": "女" if rng.random() < 0.07 else "男", "service_type": stype,
                "enlisted_on": enlisted, **_on("discharged", discharged), "placement_mode": mode,
                **_on("died", died),
                "is_bing_laoban": rng.random() < 0.05, "is_bing_zhishu": k == 1 and v_idx % 3 == 0,
            })
            next_id += 1
    # a veteran who died before the window (leaves the stock before any month shown)
    early = next(v for v in rows if v["discharged_on"] < date(2000, 1, 1) and v["died_on"] is None)
    early.update(_on("died", date(2023, 4, 2)))
    return rows


def _beneficiaries(rng: random.Random, veterans: list[dict]) -> list[dict]:
    rows, next_id = [], 1

    def add(village, category, since, veteran=None, **kw):
        nonlocal next_id
        died = veteran["died_on"] if veteran else None
        rows.append({"beneficiary_id": next_id, "region_code": village, "category": category,
                     "veteran_id": veteran["veteran_id"] if veteran else None, "soldier_ref": None,
                     "disability_grade": None, "since_on": since, "until_on": None, **_on("died", died), **kw})
        next_id += 1

    for village in VILLAGES:
        vets = [v for v in veterans if v["region_code"] == village]
        for v in vets:
            age = FIXTURE_AS_OF.year - v["birth_year"]
            if v["enlisted_on"] and v["enlisted_on"] < date(1954, 10, 31):
                add(village, "在乡复员军人", date(2010, 1, 1), v)
            elif rng.random() < 0.06:
                add(village, "残疾军人", max(v["discharged_on"], date(2015, 1, 1)), v,
                    disability_grade=rng.randint(1, 10))
            elif age >= 60 and v["service_type"] == "义务兵" and rng.random() < 0.2:
                add(village, "农村籍退役士兵(60岁以上)", date(2018, 1, 1), v)
            elif age >= 58 and rng.random() < 0.08:
                add(village, rng.choice(["参战参试退役军人", "带病回乡退伍军人"]), date(2016, 7, 1), v)
        if rng.random() < 0.6:
            cat = rng.choice(["烈士遗属", "因公牺牲军人遗属", "病故军人遗属"])
            died = _day_in(rng, WINDOW_START, FIXTURE_AS_OF) if rng.random() < 0.15 else None
            add(village, cat, date(2012, 1, 1))
            rows[-1].update(_on("died", died))
        if rng.random() < 0.3:
            add(village, "烈士子女(60岁以上)", date(2019, 1, 1))
        for _ in range(rng.randint(1, 2)):                 # families of serving conscripts
            since = date(rng.choice([2023, 2024, 2025]), 9, 15)
            until = _cap(since + timedelta(days=730))
            add(village, "义务兵家庭", since, soldier_ref=f"S{rng.randint(10000, 99999)}", until_on=until)
    return rows


def _monthly_amount(b: dict, rng: random.Random) -> tuple[str, Decimal]:
    cat = b["category"]
    if cat == "残疾军人":
        return "残疾抚恤金", _money(8000 - 700 * b["disability_grade"] + rng.randint(0, 99))
    if cat in ("烈士遗属", "因公牺牲军人遗属", "病故军人遗属"):
        return "定期抚恤金", _money(rng.choice([2331.67, 2003.33, 1884.17]))
    if cat == "义务兵家庭":
        return "义务兵家庭优待金", _money(rng.choice([1200, 1350, 1500]))
    if cat == "在乡复员军人":
        return "定期生活补助", _money(2050 + rng.randint(0, 9))
    if cat == "农村籍退役士兵(60岁以上)":
        return "定期生活补助", _money(rng.randint(2, 4) * 57.5)
    return "定期生活补助", _money(rng.choice([807.5, 846, 885.5]))


def _eligible(b: dict, y: int, m: int) -> bool:
    start = date(y, m, 1)
    end = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
    if b["since_on"] > end:
        return False
    if b["until_on"] is not None and b["until_on"] < start:
        return False
    if b["died_on"] is not None and b["died_on"] < start:
        return False
    return True


def _payments(rng: random.Random, beneficiaries: list[dict]) -> list[dict]:
    rows, next_id = [], 1

    def pay(b, kind, y, m, due_amount, *, backpay=False, scenario=None):
        nonlocal next_id
        due = date(y, m, PAY_DAY[kind])
        scenario = scenario or rng.choices(["ontime", "late", "short", "unpaid", "returned"],
                                           [88, 5, 3, 3, 1])[0]
        paid_on, paid, status = None, Decimal("0.00"), "未发放"
        if scenario == "ontime":
            paid_on, paid, status = due - timedelta(days=rng.randint(0, 10)), due_amount, "已发放"
        elif scenario == "late":
            paid_on, paid, status = due + timedelta(days=rng.randint(1, 25)), due_amount, "已发放"
        elif scenario == "short":
            paid_on, status = due - timedelta(days=rng.randint(0, 5)), "已发放"
            paid = (due_amount * Decimal("0.8")).quantize(Decimal("0.01"))
        elif scenario == "returned":
            paid_on, status = due - timedelta(days=rng.randint(0, 5)), "退回"
        if paid_on is not None and paid_on > FIXTURE_AS_OF:      # not paid yet at the as-of date
            paid_on, paid, status = None, Decimal("0.00"), "未发放"
        rows.append({"payment_id": next_id, "beneficiary_id": b["beneficiary_id"], "region_code": b["region_code"],
                     "fund_kind": kind, "month": y * 100 + m, "amount_due": due_amount, "amount_paid": paid,
                     **_on("due", due), **_on("paid", paid_on), "status": status, "is_backpay": backpay})
        next_id += 1

    for b in beneficiaries:
        kind, amount = _monthly_amount(b, rng)
        for y, m in _months():
            if not _eligible(b, y, m):
                continue
            if kind == "义务兵家庭优待金" and m not in (3, 6, 9, 12):
                continue                                    # paid quarterly
            pay(b, kind, y, m, amount)
            if (y, m) == (2024, 10) and kind in ("残疾抚恤金", "定期抚恤金"):   # 2024-08-01 raise, back-paid
                pay(b, kind, y, m, _money(float(amount) * 0.06 * 2), backpay=True, scenario="ontime")
            if b["category"] == "残疾军人" and b["disability_grade"] <= 6 and rng.random() < 0.15:
                pay(b, "医疗补助", y, m, _money(rng.randint(300, 4000)))
            if rng.random() < 0.01:
                pay(b, "临时救助", y, m, _money(rng.choice([500, 1000, 2000])))
    # a row paid twice (the same beneficiary, month and fund kind under a new payment id)
    dup = dict(next(r for r in rows if r["month"] == 202510 and r["status"] == "已发放"))
    dup["payment_id"] = next_id
    rows.append(dup)
    return rows


def _placements(rng: random.Random, veterans: list[dict]) -> list[dict]:
    rows, next_id = [], 1
    for v in veterans:
        if v["discharged_on"] < WINDOW_START or v["placement_mode"] in ("复员", "自主择业"):
            continue
        d = v["discharged_on"]
        mode = v["placement_mode"]
        is_task = mode in ("转业", "安排工作")
        received = _cap(d + timedelta(days=rng.choice([rng.randint(3, 28)] * 9 + [rng.randint(31, 45)])))
        placed = _cap(received + timedelta(days=rng.randint(30, 200))) if is_task and received else None
        reported = _cap(placed + timedelta(days=rng.randint(3, 20))) if placed else None
        rows.append({
            "placement_id": next_id, "veteran_id": v["veteran_id"], "region_code": county_of(v["region_code"]),
            "cohort_year": d.year, "cohort_season": "春季" if d.month <= 6 else "秋季", "mode": mode,
            "destination": rng.choice(["党政机关", "事业单位", "事业单位", "央企", "地方国企", "其他"]) if is_task else None,
            "is_task": is_task, **_on("discharged", d), "report_deadline_day": day_key(d + timedelta(days=30)),
            **_on("received", received), **_on("placed", placed), **_on("reported", reported),
            "trained": rng.random() < 0.75,
        })
        next_id += 1
    return rows


def _placement_tasks(rng: random.Random, placements: list[dict]) -> list[dict]:
    rows = []
    for county in COUNTIES:
        for year in (2024, 2025, 2026):
            task = sum(1 for p in placements if p["is_task"] and p["region_code"] == county and p["cohort_year"] == year)
            task += rng.randint(0, 2)
            rows.append({"region_code": county, "year": year, "task": task, "posts": task + rng.randint(0, 4)})
    return rows


def _employment(rng: random.Random, veterans: list[dict]) -> list[dict]:
    rows, next_id = [], 1
    for v in veterans:
        if v["discharged_on"] < WINDOW_START or v["placement_mode"] != "自主就业":
            continue
        first = _cap(v["discharged_on"] + timedelta(days=rng.randint(20, 60)))
        if first is None:
            continue
        status = "待就业" if rng.random() < 0.6 else rng.choice(["城镇就业", "返乡务农", "创业", "复学", "考试入学"])
        hardship = rng.random() < 0.1
        rows.append({"status_id": next_id, "veteran_id": v["veteran_id"], "region_code": v["region_code"],
                     "cohort_year": v["discharged_on"].year, **_on("effective", first), "status": status,
                     "hardship": hardship})
        next_id += 1
        later = _cap(first + timedelta(days=rng.randint(30, 240)))
        if status == "待就业" and later and rng.random() < 0.7:
            rows.append({"status_id": next_id, "veteran_id": v["veteran_id"], "region_code": v["region_code"],
                         "cohort_year": v["discharged_on"].year, **_on("effective", later),
                         "status": rng.choice(["城镇就业", "城镇就业", "返乡务农", "创业"]), "hardship": hardship})
            next_id += 1
    return rows


def _service_events(rng: random.Random, veterans: list[dict]) -> list[dict]:
    rows, next_id = [], 1
    for v in veterans:
        if v["discharged_on"] < WINDOW_START or v["placement_mode"] != "自主就业":
            continue
        lo = v["discharged_on"] + timedelta(days=10)
        if lo > FIXTURE_AS_OF:
            continue
        counts = {"岗位推荐": rng.randint(0, 4), "职业指导": rng.randint(0, 2), "技能培训信息": rng.randint(0, 2)}
        for kind, n in counts.items():
            for _ in range(n):
                d = _day_in(rng, lo, FIXTURE_AS_OF)
                rows.append({"event_id": next_id, "veteran_id": v["veteran_id"], "region_code": v["region_code"],
                             "event_on": d, "day": day_key(d), "kind": kind})
                next_id += 1
    return rows


def _trainings(rng: random.Random, veterans: list[dict]) -> list[dict]:
    rows, next_id = [], 1
    for v in veterans:
        if v["discharged_on"] < WINDOW_START:
            continue
        for kind, p in (("适应性培训", 0.7), ("职业技能培训", 0.3), ("学历提升", 0.08)):
            if rng.random() >= p:
                continue
            start = _cap(v["discharged_on"] + timedelta(days=rng.randint(10, 90)))
            if start is None:
                continue
            finished = _cap(start + timedelta(days=rng.choice([7, 14, 30, 180])))
            rows.append({"training_id": next_id, "veteran_id": v["veteran_id"], "region_code": v["region_code"],
                         "kind": kind, **_on("started", start), "finished_on": finished})
            next_id += 1
    return rows


def _budgets(payments: list[dict]) -> list[dict]:
    rows = []
    for county in COUNTIES:
        for year in (2024, 2025, 2026):
            for kind in FUND_KINDS:
                spent = sum((p["amount_due"] for p in payments if p["fund_kind"] == kind
                             and p["month"] // 100 == year and p["region_code"].startswith(county[:6])), Decimal(0))
                per_year = spent * 12 / (4 if year == 2024 else 11 if year == 2026 else 12)
                amount = (per_year * Decimal("1.08") / 100).quantize(Decimal(1)) * 100
                rows.append({"region_code": county, "year": year, "fund_kind": kind,
                             "amount": max(amount, Decimal("10000")).quantize(Decimal("0.01"))})
    return rows


def _fund_standards() -> list[dict]:
    ranges = {"残疾抚恤金": (900, 8000), "定期抚恤金": (1800, 2500), "定期生活补助": (100, 2100),
              "义务兵家庭优待金": (1000, 1600), "医疗补助": (0, 5000), "临时救助": (200, 5000)}
    return [{"fund_kind": k, "min_monthly": _money(lo), "max_monthly": _money(hi)} for k, (lo, hi) in ranges.items()]


def _petitions(rng: random.Random, veterans: list[dict]) -> list[dict]:
    rows, next_id = [], 1
    for monday in _weeks():
        lo, hi = max(monday, WINDOW_START), min(monday + timedelta(days=6), FIXTURE_AS_OF)
        for _ in range(rng.randint(1, 4)):
            received = _day_in(rng, lo, hi)
            village = rng.choice(VILLAGES)
            persons = rng.choices([1, 2, 3, rng.randint(5, 30)], [80, 8, 5, 7])[0]
            locals_ = [v["veteran_id"] for v in veterans if v["region_code"] == village]
            r = rng.random()
            accepted = _cap(received + timedelta(days=rng.randint(0, 12) if r < 0.85 else rng.randint(16, 25)))
            if r > 0.97:
                accepted = None                               # never accepted (不予受理 or lost)
            extended = accepted is not None and rng.random() < 0.1
            due = accepted + timedelta(days=60 + (30 if extended else 0)) if accepted else None
            closed = None
            if accepted:
                r2 = rng.random()
                if r2 < 0.78:
                    closed = accepted + timedelta(days=rng.randint(5, (due - accepted).days))
                elif r2 < 0.9:
                    closed = due + timedelta(days=rng.randint(1, 40))          # closed late
                closed = _cap(closed)
            satisfaction = None
            if closed:
                satisfaction = rng.choices(SATISFACTION + [None], [60, 20, 10, 10])[0]
            rows.append({
                "petition_id": next_id, "region_code": village, **_on("received", received),
                "channel": rng.choice(PETITION_CHANNELS), "category": rng.choice(PETITION_CATEGORIES),
                "item_type": rng.choices(PETITION_TYPES, [2, 1, 7])[0], "persons": persons,
                "is_repeat": rng.random() < 0.12, "is_skip_level": rng.random() < 0.06,
                "petitioner_ref": rng.choice(locals_) if persons < 5 else None,
                "accept_deadline_day": day_key(received + timedelta(days=15)),
                **_on("accepted", accepted), **_on("due", due), "extended": extended,
                **_on("closed", closed), "satisfaction": satisfaction,
            })
            next_id += 1
    return rows


def _complete(table_name: str, rows: list[dict]) -> list[dict]:
    """Every row carries exactly the table's columns; a missing NOT NULL column is a fixture bug."""
    table = schema.metadata.tables[table_name]
    cols = {c.name: c for c in table.columns}
    out = []
    for row in rows:
        extra = set(row) - set(cols)
        if extra:
            raise KeyError(f"{table_name}: unknown columns {sorted(extra)}")
        full = {}
        for name, col in cols.items():
            if name in row:
                full[name] = row[name]
            elif col.nullable:
                full[name] = None
            elif col.default is not None and col.default.is_scalar:
                full[name] = col.default.arg
            else:
                raise KeyError(f"{table_name}: fixture row lacks NOT NULL column {name!r}")
        out.append(full)
    return out


def fixture_rows() -> dict[str, list[dict]]:
    """Rows for every raw table (schema.RAW_TABLES), the same on every call."""
    rng = random.Random(SEED)
    regions = _regions()
    names = {r["code"]: r["name"] for r in regions}
    units = _service_units(rng, names)
    veterans = _veterans(rng)
    beneficiaries = _beneficiaries(rng, veterans)
    payments = _payments(rng, beneficiaries)
    placements = _placements(rng, veterans)
    # 登记服务对象数: living veterans + beneficiaries who are not veterans, summed up the tree
    objects: dict[str, int] = {}
    for v in veterans:
        if v["died_on"] is None:
            objects[v["region_code"]] = objects.get(v["region_code"], 0) + 1
    for b in beneficiaries:
        if b["veteran_id"] is None and b["died_on"] is None:
            objects[b["region_code"]] = objects.get(b["region_code"], 0) + 1
    short = {r["code"]: r["short_code"] for r in regions}
    for u in units:
        u["service_objects"] = sum(n for c, n in objects.items() if c.startswith(short[u["region_code"]]))
    rows = {
        "region": regions,
        "meta": [{"meta_key": "as_of", "meta_value": FIXTURE_AS_OF.isoformat()},
                 {"meta_key": "root", "meta_value": FIXTURE_ROOT},
                 {"meta_key": "seed", "meta_value": str(SEED)},
                 {"meta_key": "source", "meta_value": "tests/fixtures.py"},
                 {"meta_key": "built_at", "meta_value": "2026-11-23T06:00:00+08:00"}],
        "service_unit": units,
        "station_activity": _activities(rng, units),
        "veteran": veterans,
        "beneficiary": beneficiaries,
        "placement": placements,
        "placement_task": _placement_tasks(rng, placements),
        "employment_status": _employment(rng, veterans),
        "service_event": _service_events(rng, veterans),
        "training": _trainings(rng, veterans),
        "payment": payments,
        "budget": _budgets(payments),
        "fund_standard": _fund_standards(),
        "petition": _petitions(rng, veterans),
    }
    missing = set(schema.RAW_TABLES) - set(rows)
    if missing:
        raise KeyError(f"fixture has no rows for raw tables {sorted(missing)}")
    return {name: _complete(name, rows[name]) for name in schema.RAW_TABLES}


def populate(engine, rows: dict[str, list[dict]] | None = None) -> dict[str, int]:
    """Fresh schema (drop_all, create_all), insert the fixture rows, rebuild the rollups."""
    from queries.refresh import refresh          # imported late: loads the refresh SQL files

    rows = rows if rows is not None else fixture_rows()
    schema.drop_all(engine)
    schema.create_all(engine)
    with engine.begin() as conn:
        for name in schema.RAW_TABLES:
            if rows[name]:
                conn.execute(schema.metadata.tables[name].insert(), rows[name])
    refresh(engine)
    return {name: len(rows[name]) for name in schema.RAW_TABLES}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.fixtures PATH.sqlite", file=sys.stderr)
        return 2
    from queries.db import make_engine

    engine = make_engine(f"sqlite:///{argv[0]}")
    counts = populate(engine)
    engine.dispose()
    print(f"wrote {argv[0]}: " + ", ".join(f"{k} {v}" for k, v in counts.items())
          + f" ({sum(counts.values())} rows, as of {FIXTURE_AS_OF})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
