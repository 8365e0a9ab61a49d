"""gunicorn target: `gunicorn services.votes.wsgi:app` (built in each worker, after the fork)."""
from services.votes.app import create_app

app = create_app()
