"""The people service's Kafka consumer: the audit of changes, from the people events, and
the calls' owners, from the campaign events; and, beside it, the relay of the events the API
could not send."""
import functools

from shared import keyring
from shared.config import load_config
from shared.consumer import EventConsumer
from shared.runner import run_consumer
from services.people import handlers, retention
from services.people.store import OUTBOX, PeopleStore, ensure_indexes

GROUP = "people"


def build_consumer(hub):
    people = PeopleStore(hub.db)
    on_call = functools.partial(handlers.on_call_changed, store=people)
    return EventConsumer(hub.config, GROUP, ["people", "campaigns"], {
        ("campaign.created", 1): on_call,
        ("campaign.updated", 1): on_call,
        ("person.changed", 1): functools.partial(
            handlers.on_person_changed, store=people,
            kept_months=hub.config.retention_logs_months),
        ("person.data_exported", 1): functools.partial(
            handlers.on_data_exported, store=people,
            kept_months=hub.config.retention_logs_months),
        ("person.erased", 1): functools.partial(
            handlers.on_person_erased, store=people,
            keyring=keyring.for_config(hub.config, hub.client))})


def reset_projection(hub):
    """Before a replay: the audit and the calls' owners are rebuilt from the topics, which
    keep every change."""
    PeopleStore(hub.db).reset_views()


def retention_rounds(hub, stopping):
    retention.run_forever(stopping, PeopleStore(hub.db), hub.publisher.publish,
                          keyring.for_config(hub.config, hub.client), hub.config)


def main(config=None):
    run_consumer("people", build_consumer, ensure_indexes, config or load_config(), OUTBOX,
                 background=[retention_rounds])


if __name__ == "__main__":
    main()
