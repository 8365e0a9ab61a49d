"""The ideas service's Kafka consumer: vote counts follow the votes events."""
import functools
import logging

from shared.config import load_config
from shared.kafka import EventConsumer
from shared.runner import run_consumer
from services.ideas import catalogue, domain, handlers
from services.ideas.store import IdeaStore, ensure_indexes

GROUP = "ideas"


def build_consumer(hub):
    ideas = IdeaStore(hub.db, hub.outbox)
    on_vote = functools.partial(handlers.on_vote_changed, store=ideas)
    logged = {(name, 1): functools.partial(handlers.on_moderation_event, name, store=ideas)
              for name in handlers.LOGGED}
    return EventConsumer(hub.config, GROUP, ["ideas", "votes"], {
        **logged,
        ("vote.cast", 1): on_vote,
        ("vote.retracted", 1): on_vote,
    })


def trim_catalogue_journal(hub, stopping, interval=60.0):
    """The catalogue's journal keeps its last entries only (see catalogue.KEEP)."""
    journal = IdeaStore(hub.db, hub.outbox).catalogue.journal
    while not stopping.wait(interval):
        try:
            journal.trim(catalogue.KEEP)
        except Exception:  # the store away: the next round trims
            logging.getLogger(__name__).warning("catalogue journal not trimmed", exc_info=True)


def reset_projection(hub):
    """Before a replay: forget every idea's supporters (the ideas themselves stay), and
    write every idea's catalogue row again."""
    ideas = IdeaStore(hub.db, hub.outbox)
    for idea_id in ideas.ids():
        ideas.set_votes(idea_id, domain.forget_votes)
        ideas.record_row(idea_id)


def main(config=None):
    run_consumer("ideas", build_consumer, ensure_indexes, config or load_config(),
                 background=[trim_catalogue_journal])


if __name__ == "__main__":
    main()
