"""The ideas service's Kafka consumer: vote counts follow the votes events."""
import functools

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


def reset_projection(hub):
    """Before a replay: forget every idea's supporters (the ideas themselves stay)."""
    ideas = IdeaStore(hub.db, hub.outbox)
    for idea_id in ideas.ids():
        ideas.set_votes(idea_id, domain.forget_votes)


def main(config=None):
    run_consumer("ideas", build_consumer, ensure_indexes, config or load_config())


if __name__ == "__main__":
    main()
