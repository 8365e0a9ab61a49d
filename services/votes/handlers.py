"""What the votes service does."""
import contextlib

from shared.events import OPEN_FOR_VOTES, make_event, now_iso
from services.votes import domain


def set_support(idea_id, voter_id, active, store, publish, cap=0):
    """Support (active=True) or withdraw; idempotent. Returns {idea_id, voted, count}."""
    idea = store.idea(idea_id)
    if active:
        domain.check_open(idea)
    elif idea is None or idea.get("status") is None:
        raise domain.IdeaUnknown()

    def decide(current):
        vote = domain.change_support(current, idea_id, voter_id, active, now_iso())
        if vote is None:
            direct = active and domain.made_direct(current)
            return (direct, []) if direct else None
        if active:
            domain.check_cap(len(list_supported(voter_id, store, open_only=True)), cap)
        return _with_event(vote)

    # With a cap, one person's supports are decided one at a time, or two at once could
    # both pass the count.
    person = store.one_person_at_a_time(voter_id) if cap and active else contextlib.nullcontext()
    with person:
        vote, events = store.change_vote(domain.vote_id(idea_id, voter_id), decide)
    publish(events)
    return {"idea_id": idea_id, "voted": active, "count": domain.visible_count(idea, vote)}


def _with_event(vote):
    """A changed vote and the event that tells it, or None when nothing changed."""
    if vote is None:
        return None
    kind = "vote.cast" if vote["active"] else "vote.retracted"
    return vote, [make_event(kind, vote["idea_id"], domain.event_data(vote), domain.SOURCE)]


def list_supported(voter_id, store, open_only=False):
    """The ideas a person supports, newest support first, with each idea's status."""
    votes = store.supported_by(voter_id)
    ideas = store.ideas(v["idea_id"] for v in votes)
    items = [{"idea_id": v["idea_id"], "status": (ideas.get(v["idea_id"]) or {}).get("status"),
              "supported_at": v.get("changed_at")} for v in votes]
    if open_only:
        items = [i for i in items if i["status"] in OPEN_FOR_VOTES]
    return items


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


def on_idea_merged(payload, envelope, store, publish):
    """The duplicate's supporters support the target, each person once. Run again after a
    crash, it redoes only what is missing; the idea's version, saved last, fences it."""
    source, target = payload["idea_id"], payload["into"]
    if _already_applied(store, payload):
        return
    for vote in store.active_votes_on(source):
        _, events = store.change_vote(domain.vote_id(target, vote["voter_id"]), lambda cur: (
            _with_event(domain.transfer(cur, target, vote["voter_id"], source, now_iso()))))
        publish(events)
    on_idea_event(payload, envelope, store)


def on_idea_unmerged(payload, envelope, store, publish):
    """The supports the merge brought leave the target; the duplicate's own never moved."""
    source, target = payload["idea_id"], payload["previous_into"]
    if _already_applied(store, payload):
        return
    for vote in store.votes_via(target, source):
        _, events = store.change_vote(vote["_id"], lambda cur: (
            _with_event(domain.untransfer(cur, source, now_iso()))))
        publish(events)
    on_idea_event(payload, envelope, store)


def _already_applied(store, payload):
    idea = store.idea(payload["idea_id"])
    return idea is not None and idea["version"] >= payload["version"]
