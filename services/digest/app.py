"""The digest service's HTTP app."""
from shared.api import create_service_app, make_hub
from shared.config import load_config
from services.digest import api, store


def create_app(config=None, hub=None):
    hub = hub or make_hub("digest", config or load_config(), store.ensure_indexes,
                          store.OUTBOX)
    hub.extra["digest"] = store.DigestStore(hub.db)
    return create_service_app(hub, "Ideahub — synthèse", [api.blp],
                              "La synthèse hebdomadaire des responsables.")
