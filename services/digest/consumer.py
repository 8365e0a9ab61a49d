"""The digest service's Kafka consumer: its read model of ideas and supports."""
import functools

from shared.config import load_config
from shared.events import CATALOGUE
from shared.consumer import EventConsumer
from shared.runner import run_consumer
from services.digest import handlers, jobs
from services.digest.store import OUTBOX, DigestStore, ensure_indexes

GROUP = "digest"


def build_consumer(hub):
    digest = DigestStore(hub.db)
    on_votes = functools.partial(handlers.on_votes_changed, store=digest)
    idea_events = {
        key: functools.partial(handlers.on_idea_event, key[0], store=digest)
        for key in CATALOGUE if key[0].startswith("idea.")
    }
    return EventConsumer(hub.config, GROUP, ["ideas", "votes"], idea_events, batch_handlers={
        ("vote.cast", 1): on_votes, ("vote.retracted", 1): on_votes})


def reset_projection(hub):
    """Before a replay: the read model is rebuilt from scratch."""
    DigestStore(hub.db).reset_views()


def schedule(hub, stopping):
    jobs.run_scheduler(stopping, DigestStore(hub.db), jobs.Mailer(hub.config),
                       hub.publisher.publish, hub.config)


def main(config=None):
    config = config or load_config()
    run_consumer("digest", build_consumer, ensure_indexes, config, OUTBOX,
                 background=[schedule])


if __name__ == "__main__":
    main()
