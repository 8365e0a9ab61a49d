"""The ideas service's HTTP app."""
import threading

from shared.api import create_service_app, make_hub
from shared.config import load_config
from shared.ratelimit import RateLimits
from services.ideas import (api, campaign_api, comment_api, evaluation_api, export_api,
                            implementation_api, my_data, stats_api, store)
from services.ideas.campaign_store import CampaignStore
from services.ideas.comment_store import CommentStore
from services.ideas.evaluation_store import EvaluationStore
from services.ideas.listing import RowFeed

# What one person may do, at most, in a sliding window: (acts, seconds).
RATE_LIMITS = {"propose": (20, 3600), "comment": (30, 600), "report": (20, 3600),
               "edit": (30, 3600)}


def warm_up(ideas, feed):
    """Once the rows the topic held are read, compute the possible duplicates in the
    background, so that a moderator's first visit finds them (latest_pairs.py)."""
    def wait_then_start():
        feed.loaded.wait()
        ideas.pairs.warm_up()
    threading.Thread(target=wait_then_start, name="duplicates-warm-up", daemon=True).start()


def create_app(config=None, hub=None, feed=None):
    """`feed`: where the lists' rows come from; by default the `idea-rows` topic."""
    hub = hub or make_hub("ideas", config or load_config(), store.ensure_indexes, store.OUTBOX)
    from_topic = feed is None
    if from_topic:
        feed = RowFeed(hub.config)
        feed.start()
        # Not ready until the lists have read the rows the topic held: a list meanwhile
        # would miss ideas.
        hub.extra["readiness"] = {"catalogue": feed.loaded.is_set}
    ideas = hub.extra["ideas"] = store.IdeaStore(hub.db, feed, hub.config.duplicates_every)
    if from_topic:
        warm_up(ideas, feed)
    hub.extra["campaigns"] = CampaignStore(hub.db, ideas.catalogue)
    hub.extra["evaluations"] = EvaluationStore(hub.db, ideas.catalogue)
    hub.extra["comments"] = CommentStore(hub.db)
    hub.extra["limits"] = RateLimits(hub.db.rate_limits, RATE_LIMITS)
    return create_service_app(hub, "Ideahub — idées", [api.blp, api.moderation_blp,
                                                              campaign_api.blp,
                                                              implementation_api.blp,
                                                              evaluation_api.blp,
                                                              export_api.blp,
                                                              stats_api.blp,
                                                              comment_api.blp,
                                                              comment_api.moderation_blp,
                                                              my_data.blp],
                              "Proposer, trouver, discuter et modérer les idées des agents.")
