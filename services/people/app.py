"""The people service's HTTP app."""
from shared.api import create_service_app, make_hub
from shared.config import load_config
from services.people import api, erasure_api, handlers, my_data, my_data_api, store


def create_app(config=None, hub=None):
    hub = hub or make_hub("people", config or load_config(), store.ensure_indexes, store.OUTBOX)
    hub.extra["people"] = store.PeopleStore(hub.db)
    return create_service_app(
        hub, "Ideahub — personnes",
        [api.blp, erasure_api.me_blp, erasure_api.admin_blp, my_data.blp, my_data_api.blp],
        "Les personnes, leurs rôles et leurs sessions.")


def grant(config, email, roles):
    """Roles for the person of `email`, now or at their first sign-in, outside any request:
    `ideahub admin grant` (the first admin), the demo data. Returns the person, or None."""
    hub = make_hub("people", config, store.ensure_indexes, store.OUTBOX)
    hub.prepare_database()
    person = handlers.grant_by_email(email, roles, store.PeopleStore(hub.db), hub.publisher.publish)
    hub.publisher.drain()
    return person
