"""Test data built the way the services build it: ideas by the ideas domain, event payloads
by its `event_data`, envelopes by `make_event` (so every payload is checked by its schema)."""
import itertools
import uuid
from datetime import datetime, timedelta, timezone

from shared.events import iso, make_event
from services.digest import domain as digest_domain
from services.ideas import campaigns
from services.ideas import domain as ideas_domain
from services.ideas import lifecycle

AUTHOR = {"id": "alice", "name": "Alice Martin"}
MODERATOR = {"id": "modo", "name": "Marc Modérateur"}

# Digest period 2026-W48 runs from 2026-11-22T23:00Z to 2026-11-29T23:00Z.
WEEK = "2026-W48"
DURING = "2026-11-24T10:00:00.000Z"
BEFORE = "2026-11-17T10:00:00.000Z"  # in 2026-W47
AFTER = "2026-12-01T10:00:00.000Z"  # in 2026-W49


def make_idea(**overrides):
    """An idea document as services.ideas.domain.new_idea makes it, with `overrides`."""
    idea = ideas_domain.new_idea(
        ideas_domain.new_idea_id(), "Un guichet unique pour l'accueil",
        "Un seul guichet pour les démarches courantes.", ["accueil"], AUTHOR,
        "Service urbanisme", DURING)
    idea.update(overrides)
    return idea


def submitted(idea):
    """The idea.submitted payload of `idea`."""
    return ideas_domain.event_data(idea, body=idea["body"])


def status_changed(idea, status, note=""):
    """Move `idea` to `status` (in place, one version up); the idea.status_changed payload."""
    previous = idea["status"]
    idea.update(status=status, status_note=note, version=idea["version"] + 1)
    return ideas_domain.event_data(idea, status=status, previous_status=previous, note=note,
                                   by=MODERATOR)


def merged(idea, target):
    """Merge `idea` into `target` (in place, one version up); the idea.merged payload."""
    [(_, fields)] = lifecycle.merge(idea, target, MODERATOR, DURING, "Doublon")
    return ideas_domain.event_data(idea, **fields)


def unmerged(idea):
    """Undo `idea`'s merge (in place, one version up); the idea.unmerged payload."""
    [(_, fields)] = lifecycle.unmerge(idea, MODERATOR, DURING)
    return ideas_domain.event_data(idea, **fields)


def vote(idea_id, voter_id="bob", seq=1, active=True):
    """A vote.cast (active) or vote.retracted payload."""
    return {"idea_id": idea_id, "voter_id": voter_id, "seq": seq, "active": active}


_OFFSETS = itertools.count()


def envelope(name, payload, time=DURING, offset=None):
    """The CloudEvent around `payload`, dated `time`, as the consumer hands it to a handler:
    with its position in its partition (the next offset unless given)."""
    subject = payload.get("idea_id") or payload.get("subscription_id") or uuid.uuid4().hex
    offset = next(_OFFSETS) if offset is None else offset
    return {**make_event(name, subject, payload, "/tests"), "time": time,
            "position": {"topic": "tests", "partition": 0, "offset": offset}}


def vote_name(payload):
    return "vote.cast" if payload["active"] else "vote.retracted"


def digest_view(idea, *votes):
    """The digest's read model of `idea` after its submission and `votes`, each a
    (voter_id, time) support or a (voter_id, time, seq, active) change."""
    view = digest_domain.empty_view(idea["_id"])
    payload = submitted(idea)
    digest_domain.apply_idea_event(view, "idea.submitted", payload,
                                   envelope("idea.submitted", payload, idea["created_at"]))
    known = {}  # voter -> (seq, active), as shared.tally keeps them
    for voter_id, time, *change in votes:
        seq, active = change or (1, True)
        was_seq, was_active = known.get(voter_id, (0, False))
        if seq <= was_seq:
            continue
        known[voter_id] = (seq, active)
        delta = int(active) - int(was_active)
        for week, gain in digest_domain.gained([(delta, None, {"time": time})])["$inc"].items():
            week = week.split(".", 1)[1]
            view["gains"][week] = view["gains"].get(week, 0) + gain
        view["vote_count"] += delta
    return view


def make_subscription(**overrides):
    return {"_id": "manager-1", "email": "cheffe@ville.test", "name": "Claire Cheffe",
            "units": [], "tags": [], "weekday": 0, "hour": 8, "language": "fr",
            "email_verified": True, "confirmation": None, **overrides}


def make_campaign(support_cap=0, now=None, evaluators=(), units=(), **shift_days):
    """A call for ideas as services.ideas.campaigns makes it, its dates around `now` (the real
    now unless given; days from it, by date name): proposals and supports opened the day
    before, supports close two weeks after."""
    now = now or datetime.now(timezone.utc)
    days = {"proposals_from": -1, "proposals_until": 7, "supports_from": -1,
            "supports_until": 14, "evaluation_until": 21, **shift_days}
    return campaigns.new_campaign(
        campaigns.new_campaign_id(),
        {"title": "Données et risques d'inondation", "question": "Pour quoi faire ?",
         "support_cap": support_cap, "units": list(units),
         "evaluators": [{"id": e, "name": e.title()} for e in evaluators],
         **{n: iso(now + timedelta(days=d)) for n, d in days.items()}},
        MODERATOR, iso(now))


def campaign_changed(campaign):
    """The campaign.created / campaign.updated payload of `campaign` (at its version)."""
    return campaigns.event_data(campaign, MODERATOR, campaign["updated_at"])


def evaluated(idea, evaluations, evaluator="eva"):
    """One version up; the idea.evaluated payload (`evaluations`: scored so far)."""
    idea.update(version=idea["version"] + 1)
    return ideas_domain.event_data(idea, evaluator={"id": evaluator, "name": evaluator.title()},
                                   evaluations=evaluations, at=DURING)


def progress_updated(idea, milestone, percent, update="", at=DURING, owner="Service voirie"):
    """One version up; the idea.progress_updated payload."""
    idea.update(version=idea["version"] + 1)
    return ideas_domain.event_data(idea, milestone=milestone, percent=percent, update=update,
                                   owner={"kind": "unit", "name": owner, "id": None},
                                   by=MODERATOR, at=at)
