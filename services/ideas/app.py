"""The ideas service's HTTP app."""
import threading

from shared.api import create_service_app, make_hub
from shared.config import load_config
from shared.ratelimit import RateLimits
from services.ideas import api, store

# What one person may do, at most, in a sliding window: (acts, seconds).
RATE_LIMITS = {"propose": (20, 3600), "comment": (30, 600), "report": (20, 3600)}


def create_app(config=None, hub=None, follow_catalogue=False):
    """`follow_catalogue`: read the catalogue's journal in a background thread (gunicorn
    workers; tests read it at each list)."""
    hub = hub or make_hub("ideas", config or load_config(), store.ensure_indexes)
    hub.extra["ideas"] = store.IdeaStore(hub.db, hub.outbox)
    if follow_catalogue:
        threading.Thread(target=hub.extra["ideas"].catalogue.follow, args=(threading.Event(),),
                         name="catalogue", daemon=True).start()
    hub.extra["limits"] = RateLimits(hub.db.rate_limits, RATE_LIMITS)
    return create_service_app(hub, "Ideahub — idées", [api.blp, api.moderation_blp],
                              "Proposer, trouver, discuter et modérer les idées des agents.")
