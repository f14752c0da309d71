"""The flask-caching instance (initialised in create_app before Dash imports the pages)."""
from flask_caching import Cache

cache = Cache()
