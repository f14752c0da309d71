"""本周要点 (placeholder)."""
def narrative(*a, **k): return []
