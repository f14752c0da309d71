"""config/weekly.toml: which flag rules run and their parameters (operator-editable)."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

WEEKLY_FILE = Path(__file__).resolve().parents[2] / "config" / "weekly.toml"
RULE_IDS = ("petition_spike", "idle_stations", "placement_unreported", "funds_dup_death", "execution_projection")


@lru_cache(maxsize=4)
def load_weekly_config(path: Path = WEEKLY_FILE) -> dict:
    """The parsed file; unknown rule sections are an error (a typo would silently disable a rule)."""
    with open(path, "rb") as fh:
        cfg = tomllib.load(fh)
    unknown = set(cfg.get("rules", {})) - set(RULE_IDS)
    if unknown:
        raise ValueError(f"{path}: 未知的预警规则 {sorted(unknown)}（可用：{', '.join(RULE_IDS)}）")
    return cfg


def rule_text(rule: dict) -> str:
    """The rule in words, its {parameters} filled in."""
    return rule["text"].format(**{k: v for k, v in rule.items() if k != "text"})
