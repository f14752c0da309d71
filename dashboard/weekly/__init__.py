"""周例会 (the weekly review): red flags with persistence, the week's KPIs and 本周要点 — plain functions the
/weekly page, the wall screen and the Word brief share."""
from dashboard.weekly.flags import Flag, weekly_flags  # noqa: F401
from dashboard.weekly.narrative import narrative  # noqa: F401
