"""gunicorn target: `gunicorn services.digest.wsgi:app` (built in each worker, after the fork)."""
from services.digest.app import create_app

app = create_app()
