"""What the votes service does."""
from shared.events import OPEN_FOR_VOTES, make_event, now_iso
from services.votes import domain


def set_support(idea_id, voter_id, active, store, publish, cap=0):
    """Support (active=True) or withdraw; idempotent. Returns {idea_id, voted, count}.
    Three round trips: the idea's status, the vote with its event, the event marked sent
    (by the publisher, once Kafka has it); the cap's places only when a cap is set."""
    idea = store.idea(idea_id)
    if active:
        domain.check_open(idea, voter_id)
        if cap:
            _hold_a_place(idea_id, voter_id, store, cap)
    elif idea is None or idea.get("status") is None:
        raise domain.IdeaUnknown()
    _, vote, events = store.change_vote(idea_id, voter_id, active, now_iso(), _event_for)
    if active and not events and vote.get("via"):
        store.make_direct(vote)
    if not active and cap:
        store.free_slots(voter_id, [idea_id])
    publish(events, "votes", vote["_id"])
    return {"idea_id": idea_id, "voted": active,
            "count": domain.visible_count(idea, vote, bool(events))}


def _hold_a_place(idea_id, voter_id, store, cap):
    """One of the person's `cap` places, atomically; when all seem taken, those of ideas now
    closed or no longer supported are given back, then it tries once more."""
    if store.take_slot(voter_id, idea_id, cap):
        return
    held = store.slots(voter_id)
    statuses = {i: v.get("status") for i, v in store.ideas(held).items()}
    supported = {v["idea_id"] for v in store.supported_by(voter_id)}
    store.free_slots(voter_id, [i for i in held
                                if statuses.get(i) not in OPEN_FOR_VOTES or i not in supported])
    if not store.take_slot(voter_id, idea_id, cap):
        raise domain.CapReached(cap)


def _event_for(vote):
    kind = "vote.cast" if vote["active"] else "vote.retracted"
    return make_event(kind, vote["idea_id"], domain.event_data(vote), domain.SOURCE)


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
            "count": idea.get("count", 0)}


def on_idea_event(payload, envelope, store):
    """Any idea event: keep the idea's status (open or closed) and author at its newest
    version."""
    store.save_idea_state(payload["idea_id"], payload["idea"]["status"], payload["version"],
                          payload["idea"]["author"]["id"])


def on_votes_changed(changes, store):
    """vote.cast / vote.retracted, together: the tallies, each change counted once."""
    store.fold_votes(changes)


def on_idea_merged(payload, envelope, store, publish):
    """The duplicate's supporters support the target, each person once. Run again after a
    crash, it redoes only what is missing; the idea's version, saved last, fences it."""
    source, target = payload["idea_id"], payload["into"]
    if _already_applied(store, payload):
        return
    for vote in store.active_votes_on(source):
        _, moved, events = store.change_vote(target, vote["voter_id"], True, now_iso(),
                                             _event_for, via=source)
        publish(events, "votes", moved["_id"])
    on_idea_event(payload, envelope, store)


def on_idea_unmerged(payload, envelope, store, publish):
    """The supports the merge brought leave the target; the duplicate's own never moved."""
    source, target = payload["idea_id"], payload["previous_into"]
    if _already_applied(store, payload):
        return
    for vote in store.votes_via(target, source):
        _, moved, events = store.change_vote(target, vote["voter_id"], False, now_iso(),
                                             _event_for, require={"via": source})
        publish(events, "votes", moved["_id"])
    on_idea_event(payload, envelope, store)


def _already_applied(store, payload):
    idea = store.idea(payload["idea_id"])
    return idea is not None and idea.get("version", 0) >= payload["version"]
