"""The people service's Kafka consumer: the audit of changes, from the people events; and,
beside it, the relay of the events the API could not send."""
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
    return EventConsumer(hub.config, GROUP, ["people"], {
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
    """Before a replay: the audit is rebuilt from the topic, which keeps every change."""
    PeopleStore(hub.db).reset_audit()


def retention_rounds(hub, stopping):
    retention.run_forever(stopping, PeopleStore(hub.db), hub.publisher.publish,
                          keyring.for_config(hub.config, hub.client), hub.config)


def main(config=None):
    run_consumer("people", build_consumer, ensure_indexes, config or load_config(), OUTBOX,
                 background=[retention_rounds])


if __name__ == "__main__":
    main()
