"""排名: the standings (build), the ranking rules (model) and the figures."""
