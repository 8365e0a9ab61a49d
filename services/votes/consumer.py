"""The votes service's Kafka consumer: which ideas are open, the calls they answer, and the
tallies."""
import functools

from shared.config import load_config
from shared.events import CATALOGUE
from shared.consumer import EventConsumer
from shared.runner import run_consumer
from services.votes import handlers
from services.votes.store import OUTBOX, VoteStore, ensure_indexes

GROUP = "votes"


def build_consumer(hub):
    votes = VoteStore(hub.db)
    on_idea = functools.partial(handlers.on_idea_event, store=votes)
    on_votes = functools.partial(handlers.on_votes_changed, store=votes)
    idea_events = {key: on_idea for key in CATALOGUE if key[0].startswith("idea.")}
    merges = {
        ("idea.merged", 1): functools.partial(handlers.on_idea_merged, store=votes,
                                              publish=hub.publisher.publish),
        ("idea.unmerged", 1): functools.partial(handlers.on_idea_unmerged, store=votes,
                                                publish=hub.publisher.publish),
    }
    on_call = functools.partial(handlers.on_campaign_changed, store=votes)
    calls = {("campaign.created", 1): on_call, ("campaign.updated", 1): on_call}
    return EventConsumer(hub.config, GROUP, ["ideas", "votes", "campaigns"], {
        **idea_events,
        **merges,
        **calls,
    }, batch_handlers={("vote.cast", 1): on_votes, ("vote.retracted", 1): on_votes})


def reset_projection(hub):
    """Before a replay: the views of ideas and calls are rebuilt from scratch (votes and the
    caps' places, which the API wrote and merges moved, stay; a merge replayed finds its
    places moved already)."""
    VoteStore(hub.db).reset_view()


def main(config=None):
    run_consumer("votes", build_consumer, ensure_indexes, config or load_config(), OUTBOX)


if __name__ == "__main__":
    main()
