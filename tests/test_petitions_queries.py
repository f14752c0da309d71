"""queries/petitions.py: every query equals a plain-Python computation from the fixture's raw rows, on every dialect."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from queries import codes, petitions as q
from queries.periods import Period, day_key, from_day_key, period_params
from queries.regions import OutOfScope
from tests.fixtures import BAISHIDU, CITY, FIXTURE_AS_OF, FIXTURE_ROOT, YIZHANG

SCOPE = FIXTURE_ROOT
CUT = day_key(FIXTURE_AS_OF - timedelta(days=15))          # acceptance deadline passed by the as-of date
VILLAGE = "431022101201"                                   # 白石渡村
REGIONS = [CITY, YIZHANG, BAISHIDU, VILLAGE]
PERIODS = ["2026-11", "2026-10", "2026-W47", "2026-W48", "2026-Q3", "2025", "2025-02"]


def _period(key: str) -> Period:
    return Period.parse(key, FIXTURE_AS_OF)


def _short(code: str) -> str:
    return codes.short_code(code)


def _sub(data, code):
    """Petitions of a region's subtree (by code prefix, independent of region.code_hi)."""
    s = _short(code)
    return [p for p in data["petition"] if p["region_code"].startswith(s)]


def _children(data, code):
    return sorted(r["code"] for r in data["region"] if r["parent_code"] == codes.code12(code))


def _veterans(data, code, month):
    s = _short(code)
    vets = [v for v in data["veteran"] if v["region_code"].startswith(s)]
    n = sum(1 for v in vets if v["discharged_day"] // 100 <= month) - \
        sum(1 for v in vets if v["died_day"] is not None and v["died_day"] // 100 <= month)
    has_rows = any(v["discharged_day"] // 100 <= month or (v["died_day"] and v["died_day"] // 100 <= month) for v in vets)
    return n if has_rows else None


def _between(v, lo, hi):
    return v is not None and lo <= v <= hi


def _measures(ps, d0, d1, x2_d1):
    got = [p for p in ps if d0 <= p["received_day"] <= d1]
    x2 = [p for p in ps if d0 <= p["received_day"] <= x2_d1]
    due = [p for p in ps if _between(p["due_day"], d0, d1)]
    closed = [p for p in ps if _between(p["closed_day"], d0, d1)]
    return {
        "received": len(got), "persons": sum(p["persons"] for p in got),
        "repeat_cnt": sum(1 for p in got if p["is_repeat"]), "skip_cnt": sum(1 for p in got if p["is_skip_level"]),
        "group_cnt": sum(1 for p in got if p["persons"] >= 5),
        "x2_received": len(x2),
        "x2_timely": sum(1 for p in x2 if p["accepted_day"] is not None and p["accepted_day"] <= p["accept_deadline_day"]),
        "due_cnt": len(due), "due_ontime": sum(1 for p in due if p["closed_day"] is not None and p["closed_day"] <= p["due_day"]),
        "rated_cnt": sum(1 for p in closed if p["satisfaction"] is not None),
        "satisfied_cnt": sum(1 for p in closed if p["satisfaction"] in ("满意", "基本满意")),
    }


def _num(v):
    return 0.0 if v is None or v != v else float(v)


# ------------------------------------------------------------------------------------------ tests
@pytest.mark.parametrize("children", [True, False], ids=["with-children", "alone"])
@pytest.mark.parametrize("key", PERIODS)
@pytest.mark.parametrize("region", REGIONS)
def test_summary_matches_raw(fixture_db, fixture_data, region, key, children):
    period = _period(key)
    b = period_params(period)
    frame = q.petitions_summary(fixture_db, SCOPE, region, period, children=children)
    expected_codes = sorted([codes.code12(region)] + (_children(fixture_data, region) if children else []))
    assert list(frame["region_code"]) == expected_codes
    for row in frame.to_dict("records"):
        ps = _sub(fixture_data, row["region_code"])
        for prefix, d0, d1, m1 in (("", b["d0"], b["d1"], b["m1"]), ("p_", b["p_d0"], b["p_d1"], b["p_m1"]),
                                   ("y_", b["y_d0"], b["y_d1"], b["y_m1"])):
            for name, value in _measures(ps, d0, d1, min(d1, CUT)).items():
                assert _num(row[prefix + name]) == value, (row["region_code"], prefix + name)
            assert _num(row[prefix + "veterans"]) == _num(_veterans(fixture_data, row["region_code"], m1))


@pytest.mark.parametrize("key", ["2026-11", "2026-W47", "2025"])
@pytest.mark.parametrize("region", [CITY, YIZHANG, VILLAGE])
def test_period_mix_matches_raw(fixture_db, fixture_data, region, key):
    b = period_params(_period(key))
    expected = Counter()
    for span, d0, d1 in (("cur", b["d0"], b["d1"]), ("prev", b["p_d0"], b["p_d1"]), ("ly", b["y_d0"], b["y_d1"])):
        for p in _sub(fixture_data, region):
            if d0 <= p["received_day"] <= d1:
                k = (span, p["channel"], p["category"], p["item_type"])
                expected[k + ("received",)] += 1
                expected[k + ("persons",)] += p["persons"]
                expected[k + ("group_cnt",)] += int(p["persons"] >= 5)
                expected[k + ("group_persons",)] += p["persons"] if p["persons"] >= 5 else 0
    frame = q.petitions_period_mix(fixture_db, SCOPE, region, _period(key))
    got = Counter()
    for r in frame.to_dict("records"):
        k = (r["span"], r["channel"], r["category"], r["item_type"])
        for col in ("received", "persons", "group_cnt", "group_persons"):
            if _num(r[col]):
                got[k + (col,)] = _num(r[col])
    assert got == +expected


@pytest.mark.parametrize("key", ["2026-11", "2026-03", "2026-W02", "2025"])
@pytest.mark.parametrize("region", [CITY, BAISHIDU])
def test_close_rate_matches_raw(fixture_db, fixture_data, region, key):
    b = period_params(_period(key))
    frame = q.petitions_close_rate(fixture_db, SCOPE, region, _period(key)).set_index("span")
    for span, end in (("ytd", b["d1"]), ("ytd_ly", b["y_d1"])):
        start = end // 10000 * 10000 + 101
        cohort = [p for p in _sub(fixture_data, region) if start <= p["received_day"] <= end]
        accepted = [p for p in cohort if p["accepted_day"] is not None and p["accepted_day"] <= end]
        closed = [p for p in accepted if p["closed_day"] is not None and p["closed_day"] <= end]
        assert (_num(frame.loc[span, "accepted"]), _num(frame.loc[span, "closed"])) == (len(accepted), len(closed))


def _open_at(p, day):
    return p["accepted_day"] is not None and p["accepted_day"] <= day and (p["closed_day"] is None or p["closed_day"] > day)


@pytest.mark.parametrize("key", ["2026-11", "2026-W47", "2025-06"])
@pytest.mark.parametrize("region", [CITY, YIZHANG, VILLAGE])
def test_overdue_count_and_list(fixture_db, fixture_data, region, key):
    period = _period(key)
    b = period_params(period)
    counts = q.petitions_overdue_count(fixture_db, SCOPE, region, period).set_index("asat").to_dict("index")
    ps = _sub(fixture_data, region)
    for asat, day in (("cur", b["d1"]), ("prev", b["p_d1"]), ("ly", b["y_d1"])):
        open_ = [p for p in ps if _open_at(p, day)]
        overdue = [p for p in open_ if p["due_day"] < day]
        got = counts.get(asat, {})
        if asat == "cur":                                    # the open count only as at the period end
            assert _num(got.get("open_cnt")) == len(open_)
        assert _num(got.get("overdue")) == len(overdue)
        assert _num(got.get("overdue_extended")) == sum(1 for p in overdue if p["extended"])
    expected = sorted((p for p in ps if _open_at(p, b["d1"]) and p["due_day"] < b["d1"]),
                      key=lambda p: (p["due_day"], p["petition_id"]))
    listed = q.petitions_overdue_list(fixture_db, SCOPE, region, period, max_rows=5)
    assert list(listed["petition_id"]) == [p["petition_id"] for p in expected[:5]]
    end = from_day_key(b["d1"])
    assert list(listed["days_overdue"]) == [(end - p["due_on"]).days for p in expected[:5]]
    assert [bool(x) for x in listed["extended"]] == [p["extended"] for p in expected[:5]]
    full = q.petitions_overdue_list(fixture_db, SCOPE, region, period)
    assert len(full) == min(len(expected), q.OVERDUE_LIST_MAX)


@pytest.mark.parametrize("region", [CITY, BAISHIDU, VILLAGE])
def test_trend_matches_raw(fixture_db, fixture_data, region):
    period = _period("2026-11")
    frame = q.petitions_trend(fixture_db, SCOPE, region, period, months=36).set_index("month")
    lo, hi = q.month_range(period, 36)
    assert (lo, hi) == (20231201, 20261123)
    ps = _sub(fixture_data, region)
    months = sorted({d // 100 for p in ps for d in (p["received_day"], p["due_day"], p["closed_day"])
                     if d is not None and lo <= d <= hi})
    assert [int(m) for m in frame.index] == months
    for m in months:
        m0, m1 = m * 100 + 1, m * 100 + 31
        exp = _measures(ps, m0, min(m1, hi), min(m1, CUT))
        for name, value in exp.items():
            assert _num(frame.loc[m, name]) == value, (m, name)


@pytest.mark.parametrize("region", [CITY, YIZHANG, VILLAGE])
def test_monthly_mix_matches_raw(fixture_db, fixture_data, region):
    period = _period("2026-10")
    lo, hi = q.month_range(period, 12)
    expected = Counter()
    for p in _sub(fixture_data, region):
        if lo <= p["received_day"] <= hi:
            expected[(p["received_day"] // 100, p["channel"], p["category"], p["item_type"])] += 1
    frame = q.petitions_monthly_mix(fixture_db, SCOPE, region, period, months=12)
    got = Counter({(int(r["month"]), r["channel"], r["category"], r["item_type"]): _num(r["received"])
                   for r in frame.to_dict("records")})
    assert got == expected
    assert frame["month"].dtype.kind == "i"


@pytest.mark.parametrize("key", ["2026-11", "2026-Q3", "2025"])
@pytest.mark.parametrize("region", [CITY, YIZHANG, BAISHIDU])
def test_hot_places_matches_raw(fixture_db, fixture_data, region, key):
    period = _period(key)
    b = period_params(period)
    short = _short(region)
    places = [r for r in fixture_data["region"] if r["level"] in (4, 5) and r["short_code"].startswith(short)
              and r["code"] != codes.code12(region)]
    expected = {}
    for place in places:
        n = sum(1 for p in _sub(fixture_data, place["code"]) if b["d0"] <= p["received_day"] <= b["d1"])
        if n >= 2:
            expected[place["code"]] = (place["level"], n, _num(_veterans(fixture_data, place["code"], b["m1"])))
    frame = q.petitions_hot_places(fixture_db, SCOPE, region, period, min_cases=2)
    got = {r["region_code"]: (int(r["level"]), _num(r["received"]), _num(r["veterans"])) for r in frame.to_dict("records")}
    assert got == expected


def test_spike_week():
    assert q.spike_week(_period("2026-11")).key == "2026-W47"       # as-of Monday 23 Nov: last full week
    assert q.spike_week(_period("2026-W48")).key == "2026-W47"
    assert q.spike_week(_period("2026-W45")).key == "2026-W45"
    assert q.spike_week(_period("2026-10")).key == "2026-W43"       # 31 Oct is a Saturday
    assert q.accept_cut(date(2026, 11, 23)) == 20261108


@pytest.mark.parametrize("region", [CITY, YIZHANG, BAISHIDU])
def test_spike_counts_match_raw_every_week(fixture_db, fixture_data, region):
    """Every ISO week of 2026: this week's and the previous 4 weeks' petitions per township."""
    short = _short(region)
    towns = [r["code"] for r in fixture_data["region"] if r["level"] == 4 and r["short_code"].startswith(short)]
    checked = 0
    for w in range(6, 48):
        week = Period.parse(f"2026-W{w:02d}", FIXTURE_AS_OF)
        w0, w1 = day_key(week.start), day_key(week.end)
        b0, b1 = day_key(week.start - timedelta(weeks=4)), day_key(week.start - timedelta(days=1))
        expected = {}
        for t in towns:
            days = [p["received_day"] for p in _sub(fixture_data, t)]
            this = sum(1 for d in days if w0 <= d <= w1)
            if this >= 1:
                expected[t] = (this, sum(1 for d in days if b0 <= d <= b1))
        frame = q.petitions_spike(fixture_db, SCOPE, region, week, min_cases=1)
        got = {r["region_code"]: (_num(r["this_week"]), _num(r["base_4w"])) for r in frame.to_dict("records")}
        assert got == expected, week.key
        checked += len(got)
    assert checked > 0


def test_scope_is_enforced(fixture_db):
    with pytest.raises(OutOfScope):
        q.petitions_summary(fixture_db, "431002", YIZHANG, _period("2026-11"))
    narrow = q.petitions_summary(fixture_db, "431022", YIZHANG, _period("2026-11"))
    assert list(narrow["region_code"]) == [YIZHANG] + sorted([BAISHIDU, "431022102000"])
