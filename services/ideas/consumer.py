"""The ideas service's Kafka consumer: vote counts and trends follow the votes events, the
moderation log follows the moderation events, and every change of an idea goes out as its
row to the lists (listing.py)."""
import functools

from shared import keyring
from shared.config import load_config
from shared.events import CATALOGUE
from shared.consumer import EventConsumer
from shared.runner import run_consumer
from services.ideas import domain, erasure, handlers
from services.ideas.listing import RowPublisher
from services.ideas.store import OUTBOX, IdeaStore, ensure_indexes

GROUP = "ideas"


def build_consumer(hub):
    ideas = IdeaStore(hub.db, feed=lambda: [])
    rows = RowPublisher(hub.config, hub.db)
    on_votes = functools.partial(handlers.on_votes_changed, store=ideas, rows=rows)
    changed = {key: functools.partial(handlers.on_idea_changed, store=ideas, rows=rows)
               for key in CATALOGUE if key[0].startswith(("idea.", "comment."))}
    logged = {(name, 1): functools.partial(handlers.on_moderation_event, name, store=ideas,
                                           rows=rows)
              for name in handlers.LOGGED}
    erased = functools.partial(erasure.on_person_erased, db=hub.db, rows=rows,
                               keyring=keyring.for_config(hub.config, hub.client))
    return EventConsumer(hub.config, GROUP, ["ideas", "votes", "people"], {
        **changed,
        **logged,
        ("person.erased", 1): erased,
        ("comment.added", 1): functools.partial(handlers.on_comment_added, store=ideas,
                                                rows=rows),
    }, batch_handlers={("vote.cast", 1): on_votes, ("vote.retracted", 1): on_votes},
        before_commit=rows.flush)


def reset_projection(hub):
    """Before a replay: every idea's counts and trend as before any event (the ideas
    themselves stay); the replay publishes every row again."""
    IdeaStore(hub.db, feed=lambda: []).forget_votes(domain.forgotten_votes)


def main(config=None):
    run_consumer("ideas", build_consumer, ensure_indexes, config or load_config(), OUTBOX)


if __name__ == "__main__":
    main()
