"""The digest service's HTTP app: the managers' digest, and people's notifications."""
from shared.api import create_service_app, make_hub
from shared.config import load_config
from services.digest import api, my_data, notification_api, store
from services.digest.notification_store import NotificationStore


def create_app(config=None, hub=None):
    hub = hub or make_hub("digest", config or load_config(), store.ensure_indexes,
                          store.OUTBOX)
    hub.extra["digest"] = store.DigestStore(hub.db)
    hub.extra["notifications"] = NotificationStore(hub.db)
    return create_service_app(hub, "Ideahub — synthèse et notifications",
                              [api.blp, notification_api.blp, notification_api.follows,
                               my_data.blp],
                              "La synthèse hebdomadaire des responsables, et les "
                              "notifications de chacun.")
