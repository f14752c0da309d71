"""信访热点: the page model and its figures."""
