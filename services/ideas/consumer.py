"""The ideas service's Kafka consumer: vote counts follow the votes events."""
import functools
import logging

from shared.config import load_config
from shared.kafka import EventConsumer
from shared.runner import run_consumer
from services.ideas import domain, handlers
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


def keep_catalogue(hub, stopping, interval=30.0):
    """The catalogue's snapshots and journal (see catalogue.py): rows for ideas older than
    the catalogue, then a snapshot whenever the journal has grown."""
    ideas = IdeaStore(hub.db, hub.outbox)
    done = False
    while not stopping.is_set():
        try:
            if not done:
                ideas.backfill_catalogue()
                done = True
            ideas.catalogue.snapshot_if_grown()
        except Exception:  # the store away: the next round does it
            logging.getLogger(__name__).warning("catalogue not kept", exc_info=True)
        stopping.wait(interval)


def reset_projection(hub):
    """Before a replay: forget every idea's supporters (the ideas themselves stay), and
    write every idea's catalogue row again."""
    ideas = IdeaStore(hub.db, hub.outbox)
    for idea_id in ideas.ids():
        ideas.set_votes(idea_id, domain.forget_votes)
        ideas.record_row(idea_id)


def main(config=None):
    run_consumer("ideas", build_consumer, ensure_indexes, config or load_config(),
                 background=[keep_catalogue])


if __name__ == "__main__":
    main()
