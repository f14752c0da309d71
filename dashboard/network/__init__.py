"""服务网络: the page model (numbers, KPIs, tables) and its figures."""
