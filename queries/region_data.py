"""Reads the shipped NBS 2023 Hunan division list (queries/data/, see NOTICE) into region rows."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from queries import codes

CODES_CSV = Path(__file__).with_name("data") / "hunan_codes_nbs2023.csv"
LEVELS = {"province": 1, "city": 2, "county": 3, "township": 4, "village": 5}


def kind_of(level: int, short: str, name: str) -> tuple[str, bool]:
    """(region.kind, is_functional) of an NBS division, from its level, code and name."""
    if level == 1:
        return "省", False
    if level == 2:
        return ("州" if name.endswith("州") else "市"), False
    if level == 3:
        if short[4] == "7":
            return "功能区", True
        return ("区" if name.endswith("区") else "县级市" if name.endswith("市") else "县"), False
    if level == 4:
        for suffix in ("街道", "镇", "乡"):
            if name.endswith(suffix):
                return suffix, False
        return "其他", True
    return ("社区" if name.endswith(("社区", "居委会")) else "村"), False


def codes_csv(root: str) -> Path:
    """The division list holding the root: Hunan's ships; another province's comes from `vetdash regions`
    (its <NN>_codes_nbs2023.csv in VETDASH_BOUNDARY_DIR)."""
    province = codes.short_code(root)[:2]
    if province == "43":
        return CODES_CSV
    folder = os.environ.get("VETDASH_BOUNDARY_DIR")
    path = Path(folder) / f"{province}_codes_nbs2023.csv" if folder else None
    if path is None or not path.is_file():
        raise codes.RegionCodeError(f"没有省级代码 {province} 的区划表：请用 vetdash regions --province {province} "
                                    "生成，并把输出目录设为 VETDASH_BOUNDARY_DIR")
    return path


def region_rows(root: str, csv_path: Path | None = None) -> pd.DataFrame:
    """The root's subtree plus its ancestors, as rows of the `region` table."""
    raw = pd.read_csv(csv_path or codes_csv(root), dtype=str, keep_default_na=False)
    root_short = codes.short_code(root)
    keep = raw["code"].str.startswith(root_short) | raw["code"].apply(lambda c: root_short.startswith(c))
    raw = raw[keep]
    if raw.empty:
        raise codes.RegionCodeError(f"区划表中没有“{root_short}”")
    levels = raw["level"].map(LEVELS).astype(int)
    kinds = [kind_of(lv, c, n) for lv, c, n in zip(levels, raw["code"], raw["name"])]
    return pd.DataFrame({
        "code": raw["code12"].values,
        "short_code": raw["code"].values,
        "code_hi": [c.ljust(12, "9") for c in raw["code"]],
        "name": raw["name"].values,
        "level": levels.values,
        # object dtype keeps None (pandas 3's string dtype would turn it into NaN)
        "parent_code": pd.Series([c or None for c in raw["parent_code12"]], dtype=object),
        "kind": [k for k, _ in kinds],
        "is_functional": [f for _, f in kinds],
    }).sort_values("code").reset_index(drop=True)
