"""gunicorn target: `gunicorn services.ideas.wsgi:app` (built in each worker, after the fork)."""
from services.ideas.app import create_app

app = create_app()
