"""Supports: one person's support of one idea, and when it may change. Pure."""
from shared import supports
from shared.events import OPEN_FOR_VOTES

SOURCE = "/ideahub/votes"


class IdeaUnknown(Exception):
    pass


class CapReached(Exception):
    def __init__(self, cap):
        super().__init__(cap)
        self.cap = cap


class VotingClosed(Exception):
    def __init__(self, status):
        super().__init__(status)
        self.status = status


def vote_id(idea_id, voter_id):
    return f"{idea_id}:{voter_id}"


def check_open(idea):
    """`idea` is the votes service's view of it (None if no event ever named it)."""
    if idea is None or idea.get("status") is None:
        raise IdeaUnknown()
    if idea["status"] not in OPEN_FOR_VOTES:
        raise VotingClosed(idea["status"])


def check_cap(open_supports, cap):
    """`open_supports`: how many open ideas the person supports now; cap 0 means none."""
    if cap and open_supports >= cap:
        raise CapReached(cap)


def change_support(vote, idea_id, voter_id, active, now):
    """The vote document after asking for `active`, or None if it already is so (idempotent:
    a double click or a retried request changes nothing and publishes nothing)."""
    current = vote or {"_id": vote_id(idea_id, voter_id), "idea_id": idea_id,
                       "voter_id": voter_id, "active": False, "seq": 0}
    if current["active"] == active:
        return None
    return {**current, "active": active, "seq": current["seq"] + 1, "changed_at": now,
            "via": None}


def made_direct(vote):
    """A support that came with a merge, given again by hand: it stays if the merge is undone
    (no event: the support itself does not change)."""
    if vote and vote["active"] and vote.get("via"):
        return {**vote, "via": None}
    return None


def transfer(vote, target_id, voter_id, source_id, now):
    """On a merge, a supporter of the duplicate supports the target, unless they already do
    (each person counts once)."""
    moved = change_support(vote, target_id, voter_id, True, now)
    return moved and {**moved, "via": source_id}


def untransfer(vote, source_id, now):
    """On an unmerge, the supports the merge brought leave the target."""
    if vote is None or not vote["active"] or vote.get("via") != source_id:
        return None
    return change_support(vote, vote["idea_id"], vote["voter_id"], False, now)


def event_data(vote):
    return {"idea_id": vote["idea_id"], "voter_id": vote["voter_id"], "seq": vote["seq"],
            "active": vote["active"]}


def visible_count(idea, vote):
    """The idea's count as the caller should see it: the tally kept from the events, corrected
    for the caller's own change when the tally has not read it yet."""
    tally = dict(idea.get("supporters", {}))
    if vote is not None:
        supports.apply_support(tally, vote["voter_id"], vote["seq"], vote["active"])
    return supports.count(tally)


def apply_idea_event(idea, idea_id, payload):
    """The votes service's view of an idea after an idea event; None if not newer."""
    if idea is not None and idea["version"] >= payload["version"]:
        return None
    base = idea or empty_view(idea_id)
    return {**base, "status": payload["idea"]["status"], "version": payload["version"]}


def empty_view(idea_id):
    """The view of an idea whose votes arrive before its first idea event (a replay reads the
    two topics at its own pace): it counts, but nobody can vote until the idea is known."""
    return {"_id": idea_id, "status": None, "version": 0, "supporters": {}, "count": 0}


def apply_vote_event(idea, payload):
    """Fold a vote event into the view of its idea (changed in place); True if it was news."""
    if not supports.apply_support(idea["supporters"], payload["voter_id"], payload["seq"],
                                  payload["active"]):
        return False
    idea["count"] = supports.count(idea["supporters"])
    return True
