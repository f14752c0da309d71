"""Red/amber/green thresholds from config/thresholds.toml (operator-editable)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

THRESHOLDS_FILE = Path(__file__).with_name("thresholds.toml")
THRESHOLDS_DIR = Path(__file__).with_name("thresholds.d")   # one extra file per page, merged in
# none: a figure without a 红黄绿 target (no badge); unknown: no source data ("—" with why);
# abnormal: outside the indicator's sane range ("数据异常", grey, never a colour of the scale)
STATUS_COLORS = {"green": "#2e9d5b", "amber": "#e0a100", "red": "#d64541", "none": "#9aa5b1",
                 "unknown": "#c3cad3", "abnormal": "#6c757d"}
STATUS_LABELS = {"green": "达标", "amber": "关注", "red": "预警", "none": "", "unknown": "暂无数据",
                 "abnormal": "数据异常"}


@dataclass(frozen=True)
class Threshold:
    direction: str   # higher | lower | pace
    green: float
    amber: float

    def status(self, value: float | None, pace: float | None = None) -> str:
        """'green' | 'amber' | 'red' | 'none'. Percent indicators take percent values (98.0)."""
        if value is None or value != value:        # None or NaN
            return "none"
        if self.direction == "higher":
            return "green" if value >= self.green else "amber" if value >= self.amber else "red"
        if self.direction == "lower":
            return "green" if value <= self.green else "amber" if value <= self.amber else "red"
        gap = (pace or 0.0) - value                  # percentage points behind the expected pace
        return "green" if gap <= self.green else "amber" if gap <= self.amber else "red"


def load_thresholds(path: Path = THRESHOLDS_FILE, extra_dir: Path | None = THRESHOLDS_DIR) -> dict[str, Threshold]:
    """thresholds.toml plus thresholds.d/*.toml; a key defined twice is an error (which one wins?)."""
    raw: dict = {}
    files = [path] + (sorted(extra_dir.glob("*.toml")) if extra_dir and extra_dir.is_dir() else [])
    for file in files:
        with open(file, "rb") as fh:
            part = tomllib.load(fh)
        twice = set(part) & set(raw)
        if twice:
            raise ValueError(f"{file}: 阈值 {sorted(twice)} 已在其他文件中定义")
        raw.update(part)
    out = {}
    for key, spec in raw.items():
        if spec.get("direction") not in ("higher", "lower", "pace"):
            raise ValueError(f"{path}: [{key}] direction 应为 higher / lower / pace")
        out[key] = Threshold(spec["direction"], float(spec["green"]), float(spec["amber"]))
    return out
