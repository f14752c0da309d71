"""Documents a bureau can hand out: Excel tables, Word briefs and the yearly summary (no Dash here)."""
