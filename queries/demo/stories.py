"""The stories a leader should spot in the demo: which counties lag and which townships run hot.

Chosen once per build (per city when the root is the province, so every city has its own), as
boolean masks over ctx.county / ctx.town:
  weak_county   villages still without a station, weaker 五有
  weak_town     same, at township level (used when a city group has fewer than 3 counties)
  late_county   pays late more often, budget execution behind pace (first of lag_county)
  lag_county    budget execution behind pace
  slow_county   placement slow, many 待就业 left
  hot_town      3-5 petition hot spots (many times the average)
  spike_town    a week-over-week petition spike in the last days
  slack_town    many signposted but inactive village stations
"""
from __future__ import annotations

import numpy as np


def choose_stories(ctx) -> dict:
    rng = ctx.rng("stories")
    county, town = ctx.county, ctx.town
    masks = {k: np.zeros(len(county), bool) for k in ("weak_county", "late_county", "lag_county", "slow_county")}
    masks.update({k: np.zeros(len(town), bool) for k in ("weak_town", "hot_town", "spike_town", "slack_town")})
    villages_per_town = np.bincount(ctx.vil["town"], minlength=len(town))

    for city in sorted(county["city"].unique()):
        members = np.flatnonzero(county["city"].eq(city).to_numpy())
        real = members[~county["is_functional"].to_numpy()[members]]
        real = real if len(real) else members
        towns = np.flatnonzero(np.isin(town["county"].to_numpy(), members) & (villages_per_town >= 3))
        if len(towns) == 0:
            towns = np.flatnonzero(np.isin(town["county"].to_numpy(), members))
        if len(real) >= 3:
            pick = rng.permutation(real)
            n_weak = 2 if len(real) >= 6 else 1
            masks["weak_county"][pick[:n_weak]] = True
            masks["late_county"][pick[n_weak]] = True
            masks["lag_county"][pick[n_weak]] = True
            if len(real) >= 6:
                masks["lag_county"][pick[n_weak + 1]] = True
            masks["slow_county"][pick[-1]] = True
        else:                                 # one or two counties: tell the stories by township
            masks["weak_town"][rng.choice(towns, min(2, len(towns)), replace=False)] = True
            masks["late_county"][real[0]] = True
            masks["lag_county"][real[0]] = True
            masks["slow_county"][real[-1]] = True
        n_hot = min(len(towns), int(rng.integers(3, 6)))
        order = rng.permutation(towns)
        masks["hot_town"][order[:n_hot]] = True
        masks["spike_town"][order[n_hot] if len(order) > n_hot else order[0]] = True
        n_slack = max(1, round(0.12 * len(towns)))
        masks["slack_town"][rng.choice(towns, min(n_slack, len(towns)), replace=False)] = True
    return masks
