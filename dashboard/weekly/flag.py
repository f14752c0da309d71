"""One red flag of the weekly review (周例会), the type every rule and the persistence walk produce."""
from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.catalogue import BY_ID


@dataclass
class Flag:
    """One red flag: a rule that holds for a region in a week."""
    rule: str                    # indicator id or rule id (config/weekly.toml)
    name: str                    # indicator name or rule name
    area: str
    region_code: str             # 12 digits
    region_short: str
    region_name: str
    value: float | None
    value_text: str              # the number as the catalogue formats it
    rule_text: str               # the rule in words
    href: str                    # the drill-down view that shows it
    detail: str = ""             # e.g. the projection's basis
    weeks: int = 1               # consecutive weeks red, this week included
    capped: bool = False         # weeks reached the look-back limit ("以上")
    basis: str = "history"       # history | snapshot
    resolved: bool = False       # red last week, not this week
    from_first: bool = False     # snapshot basis and the streak reaches the first snapshot: earlier unknown
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.rule}:{self.region_code}"

    @property
    def persistence(self) -> str:
        """新 / 持续3周 / 持续12周以上 / 已解除."""
        if self.resolved:
            return "已解除"
        if self.from_first:
            return "首次快照" if self.weeks <= 1 else f"持续{self.weeks}周（自首次快照）"
        if self.weeks <= 1:
            return "新"
        return f"持续{self.weeks}周" + ("以上" if self.capped else "")

    @property
    def phrase(self) -> str:
        """宜章县“五有”达标率66.4% / 白石渡镇信访量突增（本周12件）."""
        if self.rule in BY_ID:
            return f"{self.region_name}{self.name}{self.value_text}"
        return f"{self.region_name}{self.name}（{self.value_text}）"
