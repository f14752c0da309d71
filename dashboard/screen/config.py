"""The wall screen's rotation from config/screen.toml: panels in order, seconds each, refresh interval."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from dashboard.catalogue import BY_ID

SCREEN_FILE = Path(__file__).resolve().parents[2] / "config" / "screen.toml"
CONFIG_ENV = "VETDASH_SCREEN_CONFIG"          # another file (tests, a second meeting room)
AREA_PANELS = {"network": "服务网络", "placement": "安置就业", "funds": "资金发放", "petitions": "信访热点"}
PANEL_TITLES = {"map": "区域态势", **AREA_PANELS, "ranking": "县区排名", "flags": "红色预警"}
DEFAULT_KPIS = {
    "network": ("coverage", "five_have", "network_running", "network_certified"),
    "placement": ("placement_rate", "employment_rate", "employment_clear_rate", "employment_311_rate"),
    "funds": ("funds_paid", "execution", "ontime_rate", "funds_anomalies"),
    "petitions": ("petitions_received", "petitions_per_10k", "closed_ontime", "petitions_satisfaction"),
}
DEFAULT_METRIC = {"network": "coverage", "placement": "employment_rate", "funds": "execution",
                  "petitions": "petitions_per_10k"}
MIN_SECONDS, MIN_REFRESH_S = 1, 2


class ScreenConfigError(ValueError):
    """A bad screen.toml or URL override (message in Chinese)."""


@dataclass(frozen=True)
class PanelConf:
    id: str
    seconds: float
    indicator: str | None = None     # map colour / ranking indicator
    kpis: tuple = ()                 # area panels: the four big tiles
    metric: str | None = None        # area panels: the children's bars
    top_n: int = 12                  # ranking rows before the pinned region's own row

    @property
    def title(self) -> str:
        return PANEL_TITLES[self.id]


@dataclass(frozen=True)
class ScreenConfig:
    panels: tuple[PanelConf, ...]
    refresh_s: float

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.panels]

    def panel(self, panel_id: str) -> PanelConf:
        return next(p for p in self.panels if p.id == panel_id)

    def with_overrides(self, seconds=None, refresh=None) -> "ScreenConfig":
        """URL overrides (?seconds=2&refresh=10: every panel 2 s, data every 10 s) for tests and rehearsals."""
        cfg = self
        if seconds not in (None, ""):
            s = _number(seconds, "seconds", MIN_SECONDS)
            cfg = replace(cfg, panels=tuple(replace(p, seconds=s) for p in cfg.panels))
        if refresh not in (None, ""):
            cfg = replace(cfg, refresh_s=_number(refresh, "refresh", MIN_REFRESH_S))
        return cfg


def _number(value, name: str, low: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ScreenConfigError(f"参数 {name}=“{value}” 应为数字（秒）") from None
    if not number >= low:
        raise ScreenConfigError(f"参数 {name}=“{value}” 不能小于 {low:g} 秒")
    return number


def _indicator(value, where: str) -> str:
    if value not in BY_ID:
        raise ScreenConfigError(f"{where}：未知的指标“{value}”（见 docs/indicators.md）")
    return value


def config_path() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or SCREEN_FILE)


def load_screen_config(path: Path | None = None) -> ScreenConfig:
    """Parse and check the file; ScreenConfigError names the file and the bad entry."""
    path = Path(path or config_path())
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScreenConfigError(f"找不到大屏配置文件 {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScreenConfigError(f"大屏配置文件 {path} 格式有误：{exc}") from None
    panels = []
    for i, spec in enumerate(raw.get("panel", []), start=1):
        where = f"{path.name} 第{i}个 [[panel]]"
        pid = spec.get("id")
        if pid not in PANEL_TITLES:
            raise ScreenConfigError(f"{where}：未知的面板 id“{pid}”，可选：{'、'.join(PANEL_TITLES)}")
        if pid in {p.id for p in panels}:
            raise ScreenConfigError(f"{where}：面板“{pid}”重复")
        seconds = _number(spec.get("seconds", 20), f"{where} seconds", MIN_SECONDS)
        conf = PanelConf(pid, seconds)
        if pid in ("map", "ranking"):
            default = "five_have" if pid == "map" else "execution"
            conf = replace(conf, indicator=_indicator(spec.get("indicator", default), where))
        if pid == "ranking":
            top_n = spec.get("top_n", 12)
            if not isinstance(top_n, int) or not 3 <= top_n <= 12:
                raise ScreenConfigError(f"{where}：top_n 应为 3 到 12 之间的整数（一屏放得下的行数）")
            conf = replace(conf, top_n=top_n)
        if pid in AREA_PANELS:
            kpis = tuple(_indicator(k, where) for k in spec.get("kpis", DEFAULT_KPIS[pid]))
            if not 1 <= len(kpis) <= 4:
                raise ScreenConfigError(f"{where}：kpis 应列出1到4项指标（大字显示）")
            wrong = [k for k in kpis if BY_ID[k].area != AREA_PANELS[pid]]
            if wrong:
                raise ScreenConfigError(f"{where}：指标 {'、'.join(wrong)} 不属于{AREA_PANELS[pid]}")
            conf = replace(conf, kpis=kpis, metric=_indicator(spec.get("metric", DEFAULT_METRIC[pid]), where))
        panels.append(conf)
    if not panels:
        raise ScreenConfigError(f"{path.name}：至少要配置一个 [[panel]]")
    minutes = raw.get("refresh_minutes", 5)
    if not isinstance(minutes, (int, float)) or minutes <= 0:
        raise ScreenConfigError(f"{path.name}：refresh_minutes 应为正数（分钟）")
    return ScreenConfig(tuple(panels), max(float(minutes) * 60, MIN_REFRESH_S))
