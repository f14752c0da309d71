"""gunicorn entry point: `gunicorn dashboard.wsgi:server` (settings from VETDASH_* environment)."""
from dashboard.app import create_app

app = create_app()
server = app.server
