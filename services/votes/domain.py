"""Supports: one person's support of one idea, and when it may change. Pure."""
from shared import phases
from shared.events import OPEN_FOR_VOTES

SOURCE = "/ideahub/votes"


class IdeaUnknown(Exception):
    pass


class CapReached(Exception):
    """`campaign`: the call whose support cap it is (None: the hub's cap)."""

    def __init__(self, cap, campaign=None):
        super().__init__(cap)
        self.cap = cap
        self.campaign = campaign


class OwnIdea(Exception):
    """Supports say what colleagues think of an idea: its author's own would say nothing."""


class VotingClosed(Exception):
    def __init__(self, status):
        super().__init__(status)
        self.status = status


def vote_id(idea_id, voter_id):
    return f"{idea_id}:{voter_id}"


def call_place_key(campaign_id, voter_id):
    return f"{campaign_id}:{voter_id}"


def check_open(idea, voter_id):
    """`idea` is the votes service's view of it (None if no event ever named it)."""
    if idea is None or idea.get("status") is None:
        raise IdeaUnknown()
    if idea["status"] not in OPEN_FOR_VOTES:
        raise VotingClosed(idea["status"])
    if idea.get("author_id") == voter_id:
        raise OwnIdea()


def campaign_fields(payload):
    """What the votes service keeps of a call (campaign.* events): its dates decide when it
    takes supports (shared.phases), its cap how many one person gives, its title names it."""
    call = payload["campaign"]
    return {"title": call["title"], "support_cap": call["support_cap"],
            **{name: call[name] for name in phases.DATES}}


def event_data(vote):
    return {"idea_id": vote["idea_id"], "voter_id": vote["voter_id"], "seq": vote["seq"],
            "active": vote["active"]}


def visible_count(idea, vote, changed):
    """The idea's count as the caller should see it: the tally kept from the events, plus the
    caller's own change, which the tally cannot have counted yet (it was read before the
    change was written). A support repeated before its first time was counted shows it too."""
    count = idea.get("count", 0)
    if changed:
        return max(0, count + (1 if vote["active"] else -1))
    return max(count, 1) if vote["active"] else count
