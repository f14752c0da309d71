"""当前超期未办结 per child (a region value, so 周例会 flags it and every view of the children has it): the
same counts as the 信访热点 page's own query for each place, and as the fixture rows counted in Python."""
from __future__ import annotations

from datetime import date

import pytest

from queries import petitions as q
from queries.periods import Period, day_key
from tests.fixtures import BAISHIDU, BEIHU, CITY, FIXTURE_AS_OF, YIZHANG

SCOPE = "4310"


def _day(v) -> int | None:
    if v is None:
        return None
    return day_key(v) if isinstance(v, date) else int(v)


def _count(rows, prefix: str, d1: int) -> tuple[int, int]:
    """(open, overdue) as at d1 among the fixture's petitions under prefix: accepted by d1, not closed by d1."""
    open_ = [r for r in rows if r["region_code"].startswith(prefix) and _day(r.get("accepted_on")) is not None
             and _day(r["accepted_on"]) <= d1 and (_day(r.get("closed_on")) is None or _day(r["closed_on"]) > d1)]
    return len(open_), sum(1 for r in open_ if _day(r["due_on"]) < d1)


@pytest.mark.parametrize("key", ["2026-W47", "2026-10", "2026-W40"])
@pytest.mark.parametrize("region", [CITY, YIZHANG, BAISHIDU, BEIHU])
def test_each_place_matches_the_petitions_page(fixture_db, region, key):
    period = Period.parse(key, FIXTURE_AS_OF)
    got = q.petitions_overdue_by_child(fixture_db, SCOPE, region, period).set_index("region_code")
    assert region in got.index
    for code, row in got.iterrows():
        page = q.petitions_overdue_count(fixture_db, SCOPE, code, period).set_index("asat")
        at = lambda asat, col: int(page.at[asat, col]) if asat in page.index else 0  # noqa: E731
        assert (row.open_cnt, row.overdue, row.overdue_prev, row.overdue_ly) == (
            at("cur", "open_cnt"), at("cur", "overdue"), at("prev", "overdue"), at("ly", "overdue")), code
    children = got.drop(index=region)
    if len(children):
        assert got.loc[region, "overdue"] >= children["overdue"].sum()      # the region's own row holds them all


def test_counts_at_the_week_end_by_hand(fixture_db, fixture_data):
    period = Period.parse("2026-W47", FIXTURE_AS_OF)               # ends Sunday 22 Nov
    got = q.petitions_overdue_by_child(fixture_db, SCOPE, CITY, period).set_index("region_code")
    rows = fixture_data["petition"]
    for county in (BEIHU, YIZHANG):
        assert (got.at[county, "open_cnt"], got.at[county, "overdue"]) == _count(rows, county[:6], 20261122)
    assert (got.at[BEIHU, "open_cnt"], got.at[BEIHU, "overdue"]) == (25, 16)
    assert (got.at[YIZHANG, "open_cnt"], got.at[YIZHANG, "overdue"]) == (26, 15)
    townships = q.petitions_overdue_by_child(fixture_db, SCOPE, YIZHANG, period).set_index("region_code")
    assert (townships.at[BAISHIDU, "open_cnt"], townships.at[BAISHIDU, "overdue"]) == \
        _count(rows, BAISHIDU[:9], 20261122)


def test_region_values_overdue_part_alone(reader_db):
    """region_values(areas=(PETITIONS_OVERDUE,)), what 周例会's walk reads while 当前超期未办结 stays red: the
    overdue stock and the open count only (no 信访 summary), the same counts as by hand above."""
    from config.settings import Settings
    from config.thresholds import load_thresholds
    from dashboard.context import AppContext
    from dashboard.region_values import PETITIONS_OVERDUE, region_values
    ctx = AppContext(Settings(database_url="sqlite://", root_region=SCOPE, as_of=FIXTURE_AS_OF.isoformat()),
                     reader_db, load_thresholds())
    frame = region_values(ctx, ctx.tree.resolve(CITY), Period.parse("2026-W47", FIXTURE_AS_OF),
                          areas=(PETITIONS_OVERDUE,))
    assert set(frame.columns) == {"petitions_overdue", "petitions_overdue_prev", "petitions_overdue_ly",
                                  "petitions_open"}
    assert (frame.at[BEIHU, "petitions_open"], frame.at[BEIHU, "petitions_overdue"]) == (25, 16)
    assert (frame.at[YIZHANG, "petitions_open"], frame.at[YIZHANG, "petitions_overdue"]) == (26, 15)
