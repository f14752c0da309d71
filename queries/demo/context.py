"""Everything the generators share: the region arrays, the time window, populations and the "stories".

Generators are vectorised over villages; `Ctx` holds the village/township/county arrays as
integer-indexed numpy arrays so a person row only carries a village index until load time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from queries import codes
from queries.demo import dates as D
from queries.demo.stories import choose_stories
from queries.region_data import region_rows

# 2020 census resident population per prefecture (湖南省第七次全国人口普查公报第二号, [A2] in DOMAIN.md).
CITY_POPULATION = {
    "4301": 10047914, "4302": 3902738, "4303": 2726181, "4304": 6645243, "4305": 6563520,
    "4306": 5051922, "4307": 5279102, "4308": 1517027, "4309": 3851564, "4310": 4667134,
    "4311": 5289824, "4312": 4587594, "4313": 3826996, "4331": 2488105,
}
PINGJIANG = "430626000000"

# One RNG stream per phase, so tuning one generator never shifts the numbers of another.
PHASES = ("regions", "stories", "network", "activity", "veterans", "beneficiaries", "payments",
          "placement", "employment", "petitions", "calibrate")


@lru_cache(maxsize=1)
def _all_regions() -> pd.DataFrame:
    return region_rows("43")


@dataclass
class Ctx:
    root: str                      # short code
    seed: int
    years: int
    as_of: date
    regions: pd.DataFrame          # rows of the `region` table
    vil: pd.DataFrame              # villages in the subtree, with indexes into town/county/city
    town: pd.DataFrame
    county: pd.DataFrame
    stories: dict = field(default_factory=dict)

    # ------------------------------------------------------------ time window
    @property
    def end(self) -> np.datetime64:
        return D.d64(self.as_of)

    @property
    def start(self) -> np.datetime64:
        """First day of the month `years` years before the as-of month: the window of flows."""
        return np.datetime64(f"{self.as_of.year - self.years:04d}-{self.as_of.month:02d}-01", "D")

    @property
    def first_cohort(self) -> int:
        """Placement cohorts cover the window's years plus the year before."""
        return self.as_of.year - self.years - 1

    def rng(self, phase: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, PHASES.index(phase)])


def make_context(root: str, seed: int, years: int, as_of: date) -> Ctx:
    root = codes.short_code(root)
    regions = region_rows(root)
    everything = _all_regions()
    rng = np.random.default_rng([seed, PHASES.index("regions")])

    lo, hi = codes.subtree_range(root)
    sub = regions[(regions["code"] >= lo) & (regions["code"] <= hi)]
    vil = sub[sub["level"] == 5].reset_index(drop=True)
    if vil.empty:
        raise codes.RegionCodeError(f"区划“{root}”下没有村(社区)，无法生成演示数据")

    # Township and county of every village from its code prefix (ancestors may lie above the root).
    town_codes = vil["code"].str[:9].str.ljust(12, "0")
    county_codes = vil["code"].str[:6].str.ljust(12, "0")
    names = everything.set_index("code")
    town = _frame(sorted(town_codes.unique()), names)
    county = _frame(sorted(county_codes.unique()), names)
    vil["town"] = pd.Index(town["code"]).get_indexer(town_codes)
    vil["county"] = pd.Index(county["code"]).get_indexer(county_codes)
    town["county"] = pd.Index(county["code"]).get_indexer(town["code"].str[:6].str.ljust(12, "0"))
    county["city"] = county["code"].str[:4]

    vil["pop"] = _village_population(vil, everything, seed)
    vil["urban"] = vil["kind"].eq("社区").to_numpy()
    county["pop"] = np.bincount(vil["county"], weights=vil["pop"], minlength=len(county))
    town["pop"] = np.bincount(vil["town"], weights=vil["pop"], minlength=len(town))
    # A county's "profile" scales how many veterans live there; Pingjiang is a 将军县 / 老区.
    county["vet_rate"] = np.clip(rng.normal(0.020, 0.0015, len(county)), 0.016, 0.025)
    county.loc[county["code"] == PINGJIANG, "vet_rate"] = 0.0235
    county["laoqu"] = 1.0 + (county["code"] == PINGJIANG) * 1.6 + rng.uniform(0, 0.4, len(county))
    county["payday"] = rng.choice([5, 8, 10, 12, 15, 18, 20], len(county))

    ctx = Ctx(root=root, seed=seed, years=years, as_of=as_of, regions=regions, vil=vil, town=town,
              county=county)
    ctx.stories = choose_stories(ctx)
    return ctx


def _frame(code_list, names: pd.DataFrame) -> pd.DataFrame:
    rows = names.reindex(code_list)
    return pd.DataFrame({"code": code_list, "name": rows["name"].fillna("").to_numpy(),
                         "kind": rows["kind"].fillna("其他").to_numpy(),
                         "is_functional": rows["is_functional"].fillna(False).astype(bool).to_numpy()})


def _village_population(vil: pd.DataFrame, everything: pd.DataFrame, seed: int) -> np.ndarray:
    """Each city's census population spread over all its villages (社区 weigh 3×), with noise.

    Computed on the whole city (noise seeded by the city code) so a county gets the same
    population whether the root is the county, its city or the province.
    """
    out = np.zeros(len(vil))
    for city in sorted(vil["code"].str[:4].unique()):
        allv = everything[(everything["level"] == 5) & everything["short_code"].str.startswith(city)]
        rng = np.random.default_rng([seed, int(city)])
        w = np.where(allv["kind"].eq("社区"), 3.0, 1.0) * rng.lognormal(0.0, 0.35, len(allv))
        pop = CITY_POPULATION.get(city, 4_000_000) * w / w.sum()
        lookup = pd.Series(pop, index=allv["code"].to_numpy())
        mask = vil["code"].str[:4].eq(city).to_numpy()
        out[mask] = lookup.reindex(vil.loc[mask, "code"]).to_numpy()
    return out
