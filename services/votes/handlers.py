"""What the votes service does."""
import time

from shared import phases
from shared.events import OPEN_FOR_VOTES, make_event, now_iso
from services.votes import domain
from services.votes.places import GRACE


def set_support(idea_id, voter_id, active, store, publish, cap=0, now=None):
    """Support (active=True) or withdraw; idempotent. Returns {idea_id, voted, count}.
    Three round trips: the idea's status, the vote with its event, the event marked sent
    (by the publisher, once Kafka has it); the idea's call when it answers one, the caps'
    places only when a cap is set (the hub's, `cap`, or the call's)."""
    now = now or now_iso()
    idea = store.idea(idea_id)
    if idea is None or idea.get("status") is None:
        raise domain.IdeaUnknown()
    call = _call_of(idea, store)
    if call is not None:
        # Withdrawing too: a call's results do not move once its supports are closed.
        phases.check_supports(call, now)
    if active:
        domain.check_open(idea, voter_id)
        if call is not None and call.get("support_cap"):
            _hold_a_place(store.call_places, domain.call_place_key(call["_id"], voter_id), idea_id,
                          voter_id, store, domain.CapReached(call["support_cap"], call))
        if cap:
            _hold_a_place(store.places, voter_id, idea_id, voter_id, store,
                          domain.CapReached(cap))
    _, vote, events = store.change_vote(idea_id, voter_id, active, now, _event_for)
    if active and not events and vote.get("via"):
        store.make_direct(vote)
    if not active and call is not None and call.get("support_cap"):
        store.call_places.free(domain.call_place_key(call["_id"], voter_id), [idea_id])
    if not active and cap:
        store.places.free(voter_id, [idea_id])
    publish(events, "votes", vote["_id"])
    return {"idea_id": idea_id, "voted": active,
            "count": domain.visible_count(idea, vote, bool(events))}


def _call_of(idea, store):
    """The call the idea answers, None outside any call. A call named by the idea but not
    yet known here (its event, on another topic, may come later) leaves the idea unknown."""
    if not idea.get("campaign_id"):
        return None
    call = store.campaign(idea["campaign_id"])
    if call is None:
        raise domain.IdeaUnknown()
    return call


def _hold_a_place(places, key, idea_id, voter_id, store, refusal):
    """One of the `refusal.cap` places of `key`, atomically. When all seem taken, those of
    ideas now closed are given back, and those whose support is not given, once taken long
    enough ago (places.GRACE) not to belong to a request under way; then it tries once
    more, and raises `refusal`."""
    cap = refusal.cap
    if places.take(key, idea_id, cap):
        return
    held = places.held(key)
    statuses = {i: v.get("status") for i, v in store.ideas(held).items()}
    closed = [i for i in held if statuses.get(i) not in OPEN_FOR_VOTES]
    places.free(key, closed)
    supported = {v["idea_id"] for v in store.supported_by(voter_id)}
    for other, since in held.items():
        if other not in closed and other not in supported and since < time.time() - GRACE:
            places.free_if_stale(key, other, since)
    if not places.take(key, idea_id, cap):
        raise refusal


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
    """Any idea event: keep the idea's status (open or closed), author and call at its
    newest version."""
    store.save_idea_state(payload["idea_id"], payload["idea"]["status"], payload["version"],
                          payload["idea"]["author"]["id"], payload["idea"].get("campaign_id"))


def on_campaign_changed(payload, envelope, store):
    """campaign.created / campaign.updated: the call's dates, cap and title at its newest
    version (an older or repeated event changes nothing)."""
    store.save_campaign(payload["campaign_id"], payload["version"],
                        domain.campaign_fields(payload))


def on_votes_changed(changes, store):
    """vote.cast / vote.retracted, together: the tallies, each change counted once."""
    store.fold_votes(changes)


def on_idea_merged(payload, envelope, store, publish):
    """The duplicate's supporters support the target, each person once. Run again after a
    crash, it redoes only what is missing; the idea's version, saved last, fences it."""
    source, target = payload["idea_id"], payload["into"]
    if _already_applied(store, payload):
        return
    calls = _capped_calls(store, source, target)
    for vote in store.active_votes_on(source):
        _, moved, events = store.change_vote(target, vote["voter_id"], True, now_iso(),
                                             _event_for, via=source)
        publish(events, "votes", moved["_id"])
        _move_places(store, vote["voter_id"], source, target, *calls)
    on_idea_event(payload, envelope, store)


def on_idea_unmerged(payload, envelope, store, publish):
    """The supports the merge brought leave the target; the duplicate's own never moved."""
    source, target = payload["idea_id"], payload["previous_into"]
    if _already_applied(store, payload):
        return
    source_call, target_call = _capped_calls(store, source, target)
    for vote in store.votes_via(target, source):
        _, moved, events = store.change_vote(target, vote["voter_id"], False, now_iso(),
                                             _event_for, require={"via": source})
        publish(events, "votes", moved["_id"])
        _move_places(store, vote["voter_id"], target, source, target_call, source_call)
    on_idea_event(payload, envelope, store)


def _capped_calls(store, *idea_ids):
    """The call of each idea, if that call caps its supports (else None)."""
    found = store.ideas(idea_ids)
    calls = []
    for idea_id in idea_ids:
        call_id = (found.get(idea_id) or {}).get("campaign_id")
        call = store.campaign(call_id) if call_id else None
        calls.append(call_id if call and call.get("support_cap") else None)
    return calls


def _move_places(store, voter_id, source, target, source_call, target_call):
    """A support a merge moves (or an unmerge moves back) takes its place under the caps
    with it, so that no one supports more than a cap allows through merges: the hub's
    place, when the source held one, and the place in the target's call. Given before the
    source's is freed, and each step idempotent: a redelivery redoes what is missing."""
    if source in store.places.held(voter_id):
        store.places.give(voter_id, target)
        store.places.free(voter_id, [source])
    if target_call:
        store.call_places.give(domain.call_place_key(target_call, voter_id), target)
    if source_call:
        store.call_places.free(domain.call_place_key(source_call, voter_id), [source])


def _already_applied(store, payload):
    idea = store.idea(payload["idea_id"])
    return idea is not None and idea.get("version", 0) >= payload["version"]
