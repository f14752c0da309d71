"""The catalogue's numbers for a region and its children: one frame, from the area pages' own queries.

Rankings, the weekly review, the wall screen, exports and the overview read this; the area pages read the
same per-area functions, so a number is computed by one query wherever it is shown.
"""
from __future__ import annotations

import pandas as pd

from dashboard.context import AppContext
from dashboard.funds.model import funds_values
from dashboard.network.model import network_values
from dashboard.petitions.model import overdue_values, petitions_values
from dashboard.placement.model import placement_values
from queries.periods import Period
from queries.regions import Region

AREAS = ("network", "placement", "funds", "petitions")
AREA_KEYS = {"服务网络": "network", "安置就业": "placement", "资金发放": "funds", "信访热点": "petitions"}  # catalogue area -> key
PETITIONS_OVERDUE = "petitions_overdue"   # a part of "petitions" on its own: 当前超期未办结 and the open count


def region_values(ctx: AppContext, region: Region, period: Period, areas=AREAS) -> pd.DataFrame:
    """Index: 12-digit codes of the region and its children; columns: indicator ids (+ _prev, _ly) and the
    counts behind them. County-only indicators are each region's own figure (None below county).
    areas may also name PETITIONS_OVERDUE: only the overdue stock of 信访 ("petitions" includes it), for the
    weekly walk back through the weeks while that one flag stays red."""
    frames = []
    if "network" in areas:
        frames.append(network_values(ctx, region, period)[0])
    if "placement" in areas:
        frames.append(placement_values(ctx, region, period))
    if "funds" in areas:
        frames.append(funds_values(ctx, region, period))
    if "petitions" in areas:
        frames.append(petitions_values(ctx, region, period))
    elif PETITIONS_OVERDUE in areas:
        frames.append(overdue_values(ctx, region, period))
    return combine_areas(frames)


def combine_areas(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Area frames side by side (outer join on the region code); a column two areas share is kept once."""
    out = frames[0] if len(frames) == 1 else pd.concat(frames, axis=1)
    return out.loc[:, ~out.columns.duplicated()]


def previous_from(frame: pd.DataFrame, period: Period, cols) -> pd.DataFrame | None:
    """The period before `period`, for these columns, read from frame's _prev columns (every area query
    computes the previous period with the same definition beside the period itself), or None where that is
    not the previous period's own value: `period` not over (its _prev is cut to the same number of days),
    the previous period in another calendar year (year-to-date figures such as 就业率 and 资金执行率 start
    again in January), or a column without a _prev. Columns the frame does not have at all are left out (the
    previous period's frame would not have them either). tests/test_region_values_prev.py checks the equality."""
    before = period.shifted(-1)
    if period.is_partial or before.start.year != period.last_day.year:
        return None
    cols = [c for c in dict.fromkeys(cols) if c in frame.columns]   # one the areas never give: absent either way
    if not all(c + "_prev" in frame.columns for c in cols):
        return None
    return frame[[c + "_prev" for c in cols]].set_axis(cols, axis=1)
