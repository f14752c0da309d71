"""A period's _prev columns are the previous period's own values (same queries, same definition) wherever
previous_from uses them — complete periods within one calendar year — and previous_from declines the rest.
The weekly persistence walk and the rankings' rank change read the period before through it."""
from __future__ import annotations

import math

import pytest

from config.settings import Settings
from config.thresholds import load_thresholds
from dashboard.context import AppContext
from dashboard.rankings.build import AREA_KEYS, build_rankings, ranked_ids, standing, units_of
from dashboard.rankings.model import load_composite
from dashboard.region_values import previous_from, region_values
from queries.periods import Period
from tests.fixtures import CITY, YIZHANG


def _ctx(db, tmp_path) -> AppContext:
    settings = Settings(database_url=str(db.engine.url), root_region="4310", state_url=f"sqlite:///{tmp_path}/s.sqlite")
    return AppContext(settings, db, load_thresholds())


def _same(x, y) -> bool:
    missing = lambda v: v is None or (isinstance(v, float) and math.isnan(v))  # noqa: E731
    if missing(x) or missing(y):
        return missing(x) and missing(y)
    return abs(float(x) - float(y)) < 1e-9


@pytest.mark.parametrize("key", ["2026-10", "2026-07", "2026-Q3", "2026-W47", "2026-W40"])
@pytest.mark.parametrize("code", [CITY, YIZHANG])
def test_prev_columns_are_the_previous_periods_values(fixture_db, tmp_path, code, key):
    ctx = _ctx(fixture_db, tmp_path)
    region, period = ctx.tree.resolve(code), Period.parse(key, ctx.as_of)
    now = region_values(ctx, region, period)
    before = region_values(ctx, region, period.shifted(-1))           # computed on its own
    cols = [c[:-5] for c in now.columns if c.endswith("_prev") and c[:-5] in before.columns]
    derived = previous_from(now, period, cols)
    assert derived is not None and len(cols) >= 25
    compared = 0
    for col in cols:
        for place in before.index:
            assert _same(derived.at[place, col], before.at[place, col]), (col, place)
            compared += not _same(before.at[place, col], None)
    assert compared >= 40                                              # numbers, not only blanks


def test_previous_from_declines_periods_where_prev_is_not_the_previous_value(fixture_db, tmp_path):
    ctx = _ctx(fixture_db, tmp_path)
    region = ctx.tree.resolve(CITY)
    for key in ("2026-01", "2026-Q1", "2026", "2026-W01", "2026-11", "2026-W48"):
        period = Period.parse(key, ctx.as_of)          # 2026-11 and W48 are not over on 2026-11-23
        assert previous_from(region_values(ctx, region, period), period, ["coverage"]) is None, key
    october = Period.parse("2026-10", ctx.as_of)
    frame = region_values(ctx, region, october)
    assert previous_from(frame, october, ["five_have"]) is None                      # no _prev
    derived = previous_from(frame, october, ["coverage", "not_a_column"])            # absent in every period
    assert list(derived.columns) == ["coverage"]
    assert derived["coverage"].tolist() == frame["coverage_prev"].tolist()


@pytest.mark.parametrize("code,key", [("4310", "2026-07"), ("431022", "2026-02"), ("431022101", "2026-10"),
                                      ("431022101", "2026-02")])
def test_rank_changes_equal_ranks_computed_from_the_month_before(fixture_db, tmp_path, code, key):
    """排名 变化 (places gained since the month before), against a standing of that month read on its own."""
    ctx = _ctx(fixture_db, tmp_path)
    view = build_rankings(ctx, code, key, None, None)
    region, period = view.region, Period.parse(key, ctx.as_of)
    units, config = units_of(ctx, region), load_composite()
    before_values = region_values(ctx, region, period.shifted(-1), areas=tuple(AREA_KEYS.values()))
    before = standing(ctx, region, units, period.shifted(-1), config, view.metric.id, frame=before_values)
    was = {r.unit.code: r.rank for r in before.by_metric[view.metric.id]}
    ranked = [r for r in view.rows if r.rank is not None and was.get(r.unit.code) is not None]
    assert len(ranked) >= 2 and any(row.change for row in ranked)      # the fixture's ranks do move
    assert ranked_ids(region.level + 1, config, view.metric.id) == list(config.weights)
    for row in ranked:
        assert row.change == was[row.unit.code] - row.rank, row.unit.name
