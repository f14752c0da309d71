"""dashboard.figures.ranked_bars: the axis a reader sees when every child is 0, and when values are small."""
from __future__ import annotations

import pandas as pd

from dashboard.figures import ranked_bars


def _children(values):
    return pd.DataFrame({"code": [f"43102210{i}000" for i in range(len(values))],
                         "name": [f"镇{i}" for i in range(len(values))], "value": values,
                         "text": [f"{v}件/万人" for v in values], "status": ["green"] * len(values)})


def test_all_zero_children_span_zero_to_one():
    """A township's week with no petitions: the faint full-width bars (and so the axis) reach 1, not 1e-9,
    whose ticks read 0.0000000002 …"""
    hit, bars = ranked_bars(_children([0.0, 0.0, 0.0]), "每万名退役军人信访量", "件/万人")["data"]
    assert hit["x"] == [1.0, 1.0, 1.0]
    assert bars["x"] == [0.0, 0.0, 0.0]


def test_axis_follows_the_largest_value_and_a_percent_reaches_100():
    hit, _ = ranked_bars(_children([0.3, 0.0, 0.12]), "每万名退役军人信访量", "件/万人")["data"]
    assert hit["x"] == [0.3, 0.3, 0.3]
    hit, _ = ranked_bars(_children([40.0, 0.0]), "服务站覆盖率", "%")["data"]
    assert hit["x"] == [100.0, 100.0]
