"""The wall screen's data (dashboard/screen/): config checks, ranking rules, periods, flags, data version."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from config.settings import Settings
from config.thresholds import Threshold, load_thresholds
from dashboard.context import AppContext
from dashboard.screen import model as sm
from dashboard.screen.config import SCREEN_FILE, ScreenConfigError, load_screen_config
from dashboard.screen.geo import label_points, ring_centroid, spread_labels
from dashboard.screen.model import RankRow, last_complete, pick_rows
from tests.fixtures import BEIHU, FIXTURE_AS_OF, YIZHANG


@pytest.fixture
def ctx(reader_db):
    settings = Settings(database_url="sqlite://", root_region="4310", as_of=FIXTURE_AS_OF.isoformat())
    return AppContext(settings, reader_db, load_thresholds())


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "screen.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ config
def test_shipped_config_lists_seven_panels_in_order():
    cfg = load_screen_config(SCREEN_FILE)
    assert cfg.ids == ["map", "network", "placement", "funds", "petitions", "ranking", "flags"]
    assert cfg.refresh_s == 300
    assert cfg.panel("funds").kpis == ("funds_paid", "execution", "ontime_rate", "funds_anomalies")
    assert cfg.panel("ranking").top_n == 12


def test_url_overrides_seconds_and_refresh():
    cfg = load_screen_config(SCREEN_FILE).with_overrides("2", "10")
    assert {p.seconds for p in cfg.panels} == {2.0} and cfg.refresh_s == 10.0


@pytest.mark.parametrize("text, message", [
    ('[[panel]]\nid = "weather"\n', "未知的面板 id“weather”"),
    ('[[panel]]\nid = "map"\nindicator = "nonsense"\n', "未知的指标“nonsense”"),
    ('[[panel]]\nid = "funds"\nkpis = ["coverage"]\n', "不属于资金发放"),
    ('[[panel]]\nid = "ranking"\ntop_n = 40\n', "top_n 应为 3 到 12"),
    ('[[panel]]\nid = "map"\n[[panel]]\nid = "map"\n', "重复"),
    ('refresh_minutes = 5\n', "至少要配置一个"),
    ('[[panel]\n', "格式有误"),
])
def test_bad_config_is_a_chinese_message(tmp_path, text, message):
    with pytest.raises(ScreenConfigError, match=message):
        load_screen_config(_write(tmp_path, text))


@pytest.mark.parametrize("seconds, refresh, message", [("abc", None, "应为数字"), ("0", None, "不能小于"),
                                                       (None, "1", "不能小于")])
def test_bad_url_override(seconds, refresh, message):
    with pytest.raises(ScreenConfigError, match=message):
        load_screen_config(SCREEN_FILE).with_overrides(seconds, refresh)


# ------------------------------------------------------------------------------ periods
@pytest.mark.parametrize("kind, as_of, start, end", [
    ("week", date(2026, 11, 23), date(2026, 11, 16), date(2026, 11, 22)),    # Monday: last week
    ("week", date(2026, 11, 29), date(2026, 11, 23), date(2026, 11, 29)),    # Sunday: this week is complete
    ("week", date(2026, 12, 3), date(2026, 11, 23), date(2026, 11, 29)),
    ("month", date(2026, 11, 23), date(2026, 10, 1), date(2026, 10, 31)),
    ("month", date(2026, 11, 30), date(2026, 11, 1), date(2026, 11, 30)),    # last day: this month
    ("month", date(2026, 1, 5), date(2025, 12, 1), date(2025, 12, 31)),
])
def test_last_complete_period(kind, as_of, start, end):
    period = last_complete(kind, as_of)
    assert (period.start, period.end, period.is_partial) == (start, end, False)


# ------------------------------------------------------------------------------ ranking rules
def _rows(n: int) -> list[RankRow]:
    return [RankRow(i + 1, f"c{i}", f"县{i}", float(100 - i), "", "green") for i in range(n)]


def test_pick_rows_adds_the_pinned_row_below_top_n():
    shown, outside = pick_rows(_rows(14), 12, "c13")
    assert [r.code for r in shown] == [f"c{i}" for i in range(12)] + ["c13"] and outside
    assert [r.pinned for r in shown] == [False] * 12 + [True]


def test_pick_rows_pinned_inside_top_n_is_not_repeated():
    shown, outside = pick_rows(_rows(14), 12, "c3")
    assert len(shown) == 12 and not outside and sum(r.pinned for r in shown) == 1


# ------------------------------------------------------------------------------ on the fixture database
def test_flags_list_each_county_with_its_red_indicator(ctx):
    """服务站覆盖率 with a threshold no county can meet: both counties carry that flag, labelled with W47."""
    ctx.thresholds = {**ctx.thresholds, "coverage": Threshold("higher", 1000.0, 999.0)}
    panel = sm.flags_panel(ctx, ctx.tree.root, None)
    assert panel.period.key == "2026-W47" and panel.period.label == "2026年第47周（11月16日—22日）"
    assert panel.checked == 2
    for code in (BEIHU, YIZHANG):
        unit = next(u for u in panel.units if u.code == code)
        cover = [(n, v) for n, v in unit.flags if n.startswith("服务站覆盖率")]
        assert len(cover) == 1 and cover[0][1].endswith("%")


def test_flags_are_the_weekly_reviews(ctx):
    """The wall shows exactly the 周例会 page's open flags of the last complete week (resolved ones left out)."""
    from dashboard.weekly.flags import weekly_flags
    panel = sm.flags_panel(ctx, ctx.tree.root, None)
    review = weekly_flags(ctx, ctx.tree.root, "2026-W47", record=False)
    children = ctx.tree.children(ctx.tree.root.code)
    want = []
    for f in review:
        if f.resolved:
            continue
        # a flag on a place below a county is shown on that county's card, with the place named
        county = next(c for c in children if f.region_code[:6] == c.code[:6])
        want.append((county.code, f.name if f.region_code == county.code else f"{f.name}·{f.region_name}"))
    got = sorted((u.code, name.split("（持续")[0]) for u in panel.units for name, _ in u.flags)
    assert got == sorted(want)
    assert {u.code for u in panel.units} <= {c.code for c in children}     # the cards are the counted units
    assert len(panel.units) <= panel.checked


def test_ranking_pins_the_county_of_a_township(ctx):
    conf = load_screen_config(SCREEN_FILE).panel("ranking")
    township = ctx.tree.children(YIZHANG)[0]
    panel = sm.ranking_panel(ctx, township, conf)
    assert panel.period.key == "2026-10" and panel.parent_name == "郴州市" and panel.total == 2
    assert [r.code for r in panel.rows if r.pinned] == [YIZHANG] and not panel.pinned_outside
    assert panel.indicator.name == "综合得分"                   # the 排名 page's composite, same rows
    from dashboard.rankings.build import build_rankings
    desk = build_rankings(ctx, "4310", "2026-10", None, None)
    assert [(r.unit.code, r.rank, r.text) for r in desk.rows if not r.unit.functional] == \
        [(r.code, r.rank, r.text) for r in panel.rows]


def test_screen_builds_every_panel_with_desk_numbers(ctx, fixture_data):
    model = sm.build_screen(ctx, None, load_screen_config(SCREEN_FILE))
    assert set(model.panels) == {"map", "network", "placement", "funds", "petitions", "ranking", "flags"}
    assert model.errors == {} and model.title == "郴州市退役军人事务局 · 领导驾驶舱"
    petitions = model.panels["petitions"]
    assert petitions.period.label == "2026年11月 截至11月23日"
    received = sum(1 for p in fixture_data["petition"] if 20261101 <= p["received_day"] <= 20261123)
    assert {k.indicator.id: k.value for k in petitions.kpis}["petitions_received"] == received
    assert [k.indicator.id for k in petitions.kpis] == ["petitions_received", "petitions_per_10k", "closed_ontime",
                                                       "petitions_satisfaction"]
    assert sorted(model.panels["map"].children["name"]) == sorted(["北湖区", "宜章县"])


# ------------------------------------------------------------------------------ data version
class _MetaDb:
    def __init__(self, meta: dict):
        self.meta = meta

    def frame(self, name, params=None, sql=None, **_kw):
        assert name == "meta_values"
        return pd.DataFrame({"meta_key": list(self.meta), "meta_value": list(self.meta.values())})


def test_data_key_follows_version_and_a_new_as_of_date():
    db = _MetaDb({"as_of": "2026-11-23", "built_at": "2026-11-23T08:00:00"})
    ctx = AppContext(Settings(database_url="sqlite://"), db, {})
    first = sm.data_key(ctx)
    assert first == "2026-11-23||2026-11-23T08:00:00" and ctx.as_of == date(2026, 11, 23)
    db.meta["data_version"] = "7"
    assert sm.data_key(ctx) == "2026-11-23|7|2026-11-23T08:00:00"
    db.meta["as_of"] = "2026-11-24"                  # a load + refresh moved the data on: no restart needed
    assert sm.data_key(ctx).startswith("2026-11-24|") and ctx.as_of == date(2026, 11, 24)


# ------------------------------------------------------------------------------ map labels
def test_ring_centroid_of_a_square_and_a_triangle():
    assert ring_centroid([[0, 0], [2, 0], [2, 2], [0, 2]]) == pytest.approx((1.0, 1.0, 4.0))
    assert ring_centroid([[0, 0], [3, 0], [0, 3]]) == pytest.approx((1.0, 1.0, 4.5))


def test_county_label_points_lie_in_their_county():
    points = label_points("geo/hunan_counties.geojson")
    lon, lat = points["431022"]                       # 宜章县: about 112.6–113.3 E, 24.9–25.7 N
    assert 112.6 < lon < 113.3 and 24.9 < lat < 25.7
    assert len(points) == 122


def test_spread_labels_separates_overlapping_labels_only():
    far = [(0.0, 0.0), (10.0, 10.0)]
    assert spread_labels(far) == far
    near = spread_labels([(0.0, 0.0), (10.0, 10.0), (0.1, 0.1)])   # the third sits on the first
    assert near[1] == (10.0, 10.0)
    assert abs(near[2][1] - near[0][1]) >= 0.075 * 10 - 1e-6 and near[2][1] > near[0][1]


def test_a_flag_on_a_township_goes_on_its_countys_card(ctx, monkeypatch):
    """信访量突增 flags a township: on the province/city wall it is counted under the county holding it, with
    the township named — the summary's "N个县中M个" never counts more units than there are."""
    from dataclasses import replace
    from dashboard.weekly.flags import weekly_flags
    real = next(f for f in weekly_flags(ctx, ctx.tree.root, "2026-W47", record=False) if not f.resolved)
    township = ctx.tree.children(YIZHANG)[0]
    moved = [replace(real, region_code=township.code, region_name=township.name, weeks=1),
             replace(real, region_code=YIZHANG, region_name="宜章县", weeks=3)]
    monkeypatch.setattr(sm, "weekly_flags", lambda *a, **k: moved)
    panel = sm.flags_panel(ctx, ctx.tree.root, None)
    assert [u.code for u in panel.units] == [YIZHANG]
    assert [n for n, _ in panel.units[0].flags] == [f"{real.name}·{township.name}", f"{real.name}（持续3周）"]
    assert len(panel.units) <= panel.checked == 2
