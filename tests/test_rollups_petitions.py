"""roll_petition_month and roll_veteran_stock equal plain-Python computations from the fixture's raw rows
(every dialect), the day-range split is exact, and the queries switched to them still equal the raw rows
for ranges that mix whole months and raw days (past weeks, a month cut before the as-of date)."""
from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from queries import codes
from queries import petitions as q
from queries.periods import Period, day_key, month_key, period_params
from queries.rollups import petitions as rollups
from tests.fixtures import BAISHIDU, CITY, FIXTURE_AS_OF, FIXTURE_ROOT, YIZHANG

ASOF = day_key(FIXTURE_AS_OF)
SCOPE = FIXTURE_ROOT
MONTH_MEASURES = ["received", "persons", "group_cnt", "group_persons", "repeat_cnt", "skip_cnt"]


def _ancestors(data) -> dict[str, list[str]]:
    """Region code -> itself and every ancestor, by code prefix (not by parent_code)."""
    regions = data["region"]
    return {r["code"]: [a["code"] for a in regions if r["code"].startswith(a["short_code"])] for r in regions}


def _read(db, table: str, keys: list[str], values: list[str]) -> dict:
    frame = db.frame(f"test_{table}", sql=f"SELECT {', '.join(keys + values)} FROM {table}")
    out = {}
    for rec in frame.to_dict("records"):
        key = tuple(int(rec[k]) if k == "month" else str(rec[k]) for k in keys)
        assert key not in out, f"{table}: duplicate row {key}"
        out[key] = tuple(int(rec[v]) for v in values)
    return out


def expected_petition_month(data) -> dict:
    up = _ancestors(data)
    out = defaultdict(lambda: [0] * len(MONTH_MEASURES))
    for p in data["petition"]:
        if p["received_day"] > ASOF:                      # the rollup is cut at the as-of date
            continue
        group = p["persons"] >= 5
        add = (1, p["persons"], int(group), p["persons"] if group else 0, int(p["is_repeat"]), int(p["is_skip_level"]))
        for code in up[p["region_code"]]:
            acc = out[(code, p["received_day"] // 100, p["channel"], p["category"], p["item_type"])]
            for i, v in enumerate(add):
                acc[i] += v
    return {k: tuple(v) for k, v in out.items()}


def expected_veteran_stock(data) -> dict:
    """Stock at every month in which a region's veterans changed (a discharge or a death)."""
    up = _ancestors(data)
    change = defaultdict(lambda: defaultdict(int))
    for v in data["veteran"]:
        for code in up[v["region_code"]]:
            change[code][month_key(v["discharged_on"])] += 1
            if v["died_on"] is not None:
                change[code][month_key(v["died_on"])] -= 1
                change[code].setdefault(month_key(v["discharged_on"]), 0)
    out = {}
    for code, months in change.items():
        stock = 0
        for m in sorted(months):
            stock += months[m]
            out[(code, m)] = (stock,)
    return out


def test_rollups_are_registered():
    assert [r.table for r in rollups.ROLLUPS] == ["roll_petition_month", "roll_veteran_stock"]


def test_petition_month_equals_python(fixture_db, fixture_data):
    keys = ["region_code", "month", "channel", "category", "item_type"]
    got = _read(fixture_db, "roll_petition_month", keys, MONTH_MEASURES)
    expected = expected_petition_month(fixture_data)
    assert expected and got == expected


def test_veteran_stock_equals_python(fixture_db, fixture_data):
    got = _read(fixture_db, "roll_veteran_stock", ["region_code", "month"], ["stock"])
    expected = expected_veteran_stock(fixture_data)
    assert expected and got == expected


def test_stock_is_the_running_sum_of_veteran_month(fixture_db):
    months = _read(fixture_db, "roll_veteran_month", ["region_code", "month"], ["discharged", "died"])
    stock = _read(fixture_db, "roll_veteran_stock", ["region_code", "month"], ["stock"])
    assert set(months) == set(stock)
    running = defaultdict(int)
    for code, m in sorted(months):
        running[code] += months[(code, m)][0] - months[(code, m)][1]
        assert stock[(code, m)] == (running[code],)


# ------------------------------------------------------------------------------ the day-range split
@pytest.mark.parametrize("d0, d1, asof, expected", [
    (20261101, 20261123, 20261123, (202611, 202611, 1, 0)),          # current month up to the as-of date
    (20261001, 20261023, 20261123, (1, 0, 20261001, 20261023)),      # previous month cut: raw
    (20260101, 20261123, 20261123, (202601, 202611, 1, 0)),          # year to date
    (20250101, 20251123, 20261123, (202501, 202510, 20251101, 20251123)),   # last year cut at 23 Nov
    (20260701, 20260823, 20261123, (202607, 202607, 20260801, 20260823)),   # a quarter's cut previous
    (20260201, 20260228, 20261123, (202602, 202602, 1, 0)),          # February, whole
    (20231201, 20261004, 20261123, (202312, 202609, 20261001, 20261004)),   # 36 months to a past week
    (20260928, 20261004, 20261123, (1, 0, 20260928, 20261004)),      # a week: raw
    (20261201, 20261130, 20261123, (1, 0, 1, 0)),                    # empty
    (20261101, 20261130, 20261115, (1, 0, 20261101, 20261130)),     # as-of mid-month, range past it: raw
    (20261001, 20261130, 20261115, (202610, 202610, 20261101, 20261130)),   # range past the as-of date
    (20261001, 20261031, 20261031, (202610, 202610, 1, 0)),
])
def test_split_months(d0, d1, asof, expected):
    assert q.split_months(d0, d1, asof) == expected


def test_split_covers_every_day_once():
    """Over many ranges: months ∪ raw days = the range, with no overlap (checked day by day)."""
    from datetime import date, timedelta
    days = [date(2025, 12, 20) + timedelta(days=i) for i in range(80)]
    for asof in (date(2026, 1, 31), date(2026, 2, 10), date(2026, 3, 1)):
        for a in days[::3]:
            for b in days[::4]:
                d0, d1, cut = day_key(a), day_key(b), day_key(asof)
                rm0, rm1, rd0, rd1 = q.split_months(d0, d1, cut)
                covered = []
                for d in days:
                    k = day_key(d)
                    by_month = rm0 <= k // 100 <= rm1 and k <= cut       # month rows hold days ≤ as-of
                    by_raw = rd0 <= k <= rd1
                    assert not (by_month and by_raw), (d0, d1, cut, k)
                    if by_month or by_raw:
                        covered.append(k)
                assert covered == [day_key(d) for d in days if d0 <= day_key(d) <= d1 and d <= max(days)], (d0, d1, cut)


# ------------------------------------------------------------------------------ queries on the rollups
def _sub(data, code):
    short = codes.short_code(code)
    return [p for p in data["petition"] if p["region_code"].startswith(short)]


def _veterans(data, code, month):
    short = codes.short_code(code)
    vets = [v for v in data["veteran"] if v["region_code"].startswith(short)]
    changed = any(v["discharged_day"] // 100 <= month or (v["died_day"] and v["died_day"] // 100 <= month) for v in vets)
    if not changed:
        return None
    return sum(v["discharged_day"] // 100 <= month for v in vets) - \
        sum(v["died_day"] is not None and v["died_day"] // 100 <= month for v in vets)


@pytest.mark.parametrize("key", ["2026-W40", "2026-W44", "2026-10", "2026-Q4", "2026-Q2", "2026"])
@pytest.mark.parametrize("region", [CITY, YIZHANG])
def test_period_mix_all_columns(fixture_db, fixture_data, region, key):
    b = period_params(Period.parse(key, FIXTURE_AS_OF))
    expected = Counter()
    for span, d0, d1 in (("cur", b["d0"], b["d1"]), ("prev", b["p_d0"], b["p_d1"]), ("ly", b["y_d0"], b["y_d1"])):
        for p in _sub(fixture_data, region):
            if d0 <= p["received_day"] <= d1:
                k = (span, p["channel"], p["category"], p["item_type"])
                expected[k] += 0
                for col, v in zip(("received", "persons", "group_cnt", "group_persons"),
                                  (1, p["persons"], int(p["persons"] >= 5), p["persons"] if p["persons"] >= 5 else 0)):
                    expected[k + (col,)] += v
    frame = q.petitions_period_mix(fixture_db, SCOPE, region, Period.parse(key, FIXTURE_AS_OF))
    rows = {(r["span"], r["channel"], r["category"], r["item_type"]): r for r in frame.to_dict("records")}
    assert set(rows) == {k for k in expected if len(k) == 4}
    for k, r in rows.items():
        for col in ("received", "persons", "group_cnt", "group_persons"):
            assert float(r[col]) == expected[k + (col,)], (k, col)
    assert list(frame["span"]) == sorted(frame["span"])


@pytest.mark.parametrize("key", ["2026-W40", "2026-11", "2025-06"])
@pytest.mark.parametrize("region", [CITY, BAISHIDU])
def test_monthly_mix_with_a_cut_last_month(fixture_db, fixture_data, region, key):
    period = Period.parse(key, FIXTURE_AS_OF)
    lo, hi = q.month_range(period, 36)
    expected = Counter()
    for p in _sub(fixture_data, region):
        if lo <= p["received_day"] <= hi:
            k = (p["received_day"] // 100, p["channel"], p["category"], p["item_type"])
            expected[k + ("received",)] += 1
            expected[k + ("persons",)] += p["persons"]
    frame = q.petitions_monthly_mix(fixture_db, SCOPE, region, period)
    got = Counter()
    for r in frame.to_dict("records"):
        k = (int(r["month"]), r["channel"], r["category"], r["item_type"])
        got[k + ("received",)] = float(r["received"])
        got[k + ("persons",)] = float(r["persons"])
    assert got == expected
    months = list(frame["month"])
    assert months == sorted(months)


@pytest.mark.parametrize("key", ["2026-W40", "2026-W47", "2026-10", "2025-Q4"])
@pytest.mark.parametrize("region", [CITY, YIZHANG, BAISHIDU])
def test_hot_places_all_columns(fixture_db, fixture_data, region, key):
    period = Period.parse(key, FIXTURE_AS_OF)
    b = period_params(period)
    short = codes.short_code(region)
    expected = {}
    for place in fixture_data["region"]:
        if place["level"] not in (4, 5) or not place["short_code"].startswith(short) or place["code"] == region:
            continue
        got = [p for p in _sub(fixture_data, place["code"]) if b["d0"] <= p["received_day"] <= b["d1"]]
        if len(got) >= 1:
            expected[place["code"]] = (
                place["level"], len(got), sum(p["persons"] for p in got), sum(p["persons"] >= 5 for p in got),
                sum(bool(p["is_repeat"]) for p in got), sum(bool(p["is_skip_level"]) for p in got),
                _veterans(fixture_data, place["code"], b["m1"]))
    frame = q.petitions_hot_places(fixture_db, SCOPE, region, period, min_cases=1)
    got = {r["region_code"]: (int(r["level"]), int(r["received"]), int(r["persons"]), int(r["group_cnt"]),
                              int(r["repeat_cnt"]), int(r["skip_cnt"]),
                              None if r["veterans"] is None or r["veterans"] != r["veterans"] else int(r["veterans"]))
           for r in frame.to_dict("records")}
    assert got == expected
    assert list(frame["region_code"]) == sorted(frame["region_code"])


@pytest.mark.parametrize("key", ["2026-11", "2024-09", "2020-01"])
def test_overview_and_summary_veterans_use_the_stock(fixture_db, fixture_data, key):
    period = Period.parse(key, FIXTURE_AS_OF)             # 2020-01: before some regions' first veteran
    b = period_params(period)
    summary = q.petitions_summary(fixture_db, SCOPE, CITY, period).set_index("region_code")
    for r in summary.reset_index().to_dict("records"):
        s = summary.loc[r["region_code"]]
        for col, m in (("veterans", b["m1"]), ("p_veterans", b["p_m1"]), ("y_veterans", b["y_m1"])):
            want = _veterans(fixture_data, r["region_code"], m)
            assert (None if s[col] is None or s[col] != s[col] else int(s[col])) == want, (r["region_code"], col)
