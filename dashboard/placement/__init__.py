"""安置与就业: the page model and its figures."""
