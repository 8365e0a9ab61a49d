"""The ideas service's HTTP app."""
from shared.api import create_service_app, make_hub
from shared.config import load_config
from services.ideas import api, store


def create_app(config=None, hub=None):
    hub = hub or make_hub("ideas", config or load_config(), store.ensure_indexes)
    hub.extra["ideas"] = store.IdeaStore(hub.db, hub.outbox)
    return create_service_app(hub, "Ideahub — idées", [api.blp, api.moderation_blp],
                              "Proposer, trouver, discuter et modérer les idées des agents.")
