"""资金发放: the page model and its figures."""
