"""What the votes service does."""
from shared.events import make_event
from services.votes import domain


def set_support(idea_id, voter_id, active, store, publish):
    """Support (active=True) or withdraw; idempotent. Returns {idea_id, voted, count}."""
    idea = store.idea(idea_id)
    if active:
        domain.check_open(idea)
    elif idea is None or idea.get("status") is None:
        raise domain.IdeaUnknown()

    def decide(current):
        vote = domain.change_support(current, idea_id, voter_id, active)
        if vote is None:
            return None
        kind = "vote.cast" if active else "vote.retracted"
        return vote, [make_event(kind, idea_id, domain.event_data(vote), domain.SOURCE)]

    vote, events = store.change_vote(domain.vote_id(idea_id, voter_id), decide)
    publish(events)
    return {"idea_id": idea_id, "voted": active, "count": domain.visible_count(idea, vote)}


def get_support(idea_id, voter_id, store):
    idea = store.idea(idea_id)
    if idea is None or idea.get("status") is None:
        raise domain.IdeaUnknown()
    vote = store.vote(domain.vote_id(idea_id, voter_id))
    return {"idea_id": idea_id, "voted": bool(vote and vote["active"]),
            "count": domain.visible_count(idea, vote)}


def on_idea_event(payload, envelope, store):
    """Any idea event: keep the idea's status (open or closed) at its newest version."""
    idea = domain.apply_idea_event(store.idea(payload["idea_id"]), payload["idea_id"], payload)
    if idea is not None:
        store.save_idea(idea)


def on_vote_changed(payload, envelope, store):
    idea = store.idea(payload["idea_id"]) or domain.empty_view(payload["idea_id"])
    if domain.apply_vote_event(idea, payload):
        store.save_idea(idea)
