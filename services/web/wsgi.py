"""gunicorn target: `gunicorn services.web.wsgi:app` (built in each worker, after the fork)."""
from services.web.app import create_app

app = create_app()
