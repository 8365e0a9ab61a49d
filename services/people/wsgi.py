"""gunicorn target: `gunicorn services.people.wsgi:app` (built in each worker, after the fork)."""
from services.people.app import create_app

app = create_app()
