"""The ideas service's HTTP app."""
from shared.api import create_service_app, make_hub
from shared.config import load_config
from shared.ratelimit import RateLimits
from services.ideas import api, store
from services.ideas.listing import RowFeed

# What one person may do, at most, in a sliding window: (acts, seconds).
RATE_LIMITS = {"propose": (20, 3600), "comment": (30, 600), "report": (20, 3600),
               "edit": (30, 3600)}


def create_app(config=None, hub=None, feed=None):
    """`feed`: where the lists' rows come from; by default the `idea-rows` topic."""
    hub = hub or make_hub("ideas", config or load_config(), store.ensure_indexes, store.OUTBOX)
    if feed is None:
        feed = RowFeed(hub.config)
        feed.start()
        # Not ready until the lists have read the rows the topic held: a list meanwhile
        # would miss ideas.
        hub.extra["readiness"] = {"catalogue": feed.loaded.is_set}
    hub.extra["ideas"] = store.IdeaStore(hub.db, feed)
    hub.extra["limits"] = RateLimits(hub.db.rate_limits, RATE_LIMITS)
    return create_service_app(hub, "Ideahub — idées", [api.blp, api.moderation_blp],
                              "Proposer, trouver, discuter et modérer les idées des agents.")
