"""The votes service's HTTP app."""
from shared.api import create_service_app, make_hub
from shared.config import load_config
from services.votes import api, my_data, store


def create_app(config=None, hub=None):
    hub = hub or make_hub("votes", config or load_config(), store.ensure_indexes, store.OUTBOX)
    hub.extra["votes"] = store.VoteStore(hub.db)
    return create_service_app(hub, "Ideahub — soutiens", [api.blp, my_data.blp],
                              "Soutenir une idée, une fois par personne.")
