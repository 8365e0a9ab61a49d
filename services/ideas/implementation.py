"""An accepted idea carried out: who owns it (a unit or a person), by when, and the public
updates of its progress (milestones, 0–100 %). Pure: no Flask, pymongo or Kafka here.

The idea keeps it all in its `implementation` field: {owner, target_date, percent,
milestones[]}; each update also goes to its public timeline (kind "progress")."""
from datetime import datetime

from services.ideas.lifecycle import LABELS, TransitionRefused

# The statuses of an idea that is carried out: what a call's results page lists.
FOLLOWED = ("accepted", "in_progress", "implemented")
# A second identical update by the same person within this many seconds is the same
# submission sent twice (a double click, a retry after a timeout): it adds nothing.
SAME_SUBMISSION = 60


class NotAllowed(Exception):
    """Only moderators, the owners of the idea's call and (for updates) the person who
    carries the idea out may do this (HTTP 403)."""


def is_call_owner(campaign, person_id):
    return campaign is not None and any(p["id"] == person_id for p in campaign["owners"])


def check_manager(campaign, by, moderator):
    """Who appoints an owner and sets the target: a moderator, or an owner of the idea's
    call (an idea outside calls: moderators only)."""
    if not (moderator or is_call_owner(campaign, by["id"])):
        raise NotAllowed("Seuls les modérateurs et les responsables de l'appel désignent qui "
                         "met une idée en œuvre.")


def check_reporter(idea, campaign, by, moderator):
    """Who posts an update: those who appoint, and the person appointed."""
    owner = (idea.get("implementation") or {}).get("owner") or {}
    carries_it = owner.get("kind") == "person" and owner.get("id") == by["id"]
    if not (moderator or is_call_owner(campaign, by["id"]) or carries_it):
        raise NotAllowed("Seuls les modérateurs, les responsables de l'appel et la personne "
                         "qui met l'idée en œuvre en publient l'avancement.")


def _check_followed(idea):
    if idea["status"] not in FOLLOWED:
        raise TransitionRefused(
            f"Une idée {LABELS[idea['status']]} n'est pas mise en œuvre : seules les idées "
            "retenues, en cours ou réalisées le sont.")


def set_owner(idea, owner, target_date, by, now):
    """Appoint `owner` ({kind: unit|person, name, id}) and set `target_date` (YYYY-MM-DD).
    False when both are already so (nothing is written). The timeline says it publicly."""
    _check_followed(idea)
    owner = {"kind": owner["kind"], "name": owner["name"],
             "id": owner.get("id") if owner["kind"] == "person" else None}
    current = idea.get("implementation") or {}
    if current.get("owner") == owner and current.get("target_date") == target_date:
        return False
    idea["implementation"] = {"percent": 0, "milestones": [], **current, "owner": owner,
                              "target_date": target_date}
    idea["timeline"] = [*idea.get("timeline", []), {
        "at": now, "kind": "implementation", "owner": owner, "target_date": target_date,
        "by": by}]
    idea.update(updated_at=now, version=idea["version"] + 1)
    return True


def _moment(at):
    return datetime.fromisoformat(at.replace("Z", "+00:00"))


def is_resubmission(implementation, milestone, percent, update, by, now):
    """The same update as the last one, by the same person, moments ago."""
    last = (implementation.get("milestones") or [None])[-1]
    return last is not None and last["by"]["id"] == by["id"] \
        and (last["milestone"], last["percent"], last["update"]) == (milestone, percent,
                                                                      update) \
        and (_moment(now) - _moment(last["at"])).total_seconds() < SAME_SUBMISSION


def report_progress(idea, milestone, percent, update, by, now):
    """A milestone reached, the percent done, a few public words: appended, told on the
    timeline, and the event `idea.progress_updated`. [] for a resubmission (no change)."""
    implementation = idea.get("implementation")
    if not implementation or not implementation.get("owner"):
        raise TransitionRefused("Désignez d'abord qui met cette idée en œuvre et pour quand.")
    _check_followed(idea)
    if is_resubmission(implementation, milestone, percent, update, by, now):
        return []
    step = {"at": now, "milestone": milestone, "percent": percent, "update": update, "by": by}
    idea["implementation"] = {**implementation, "percent": percent,
                              "milestones": [*implementation["milestones"], step]}
    idea["timeline"] = [*idea.get("timeline", []), {"kind": "progress", **step}]
    idea.update(updated_at=now, version=idea["version"] + 1)
    return [("idea.progress_updated", {
        "milestone": milestone, "percent": percent, "update": update,
        "owner": implementation["owner"], "target_date": implementation["target_date"],
        "by": by, "at": now})]


def public(implementation):
    """The implementation as every reader sees it (None before an owner is set)."""
    if not implementation:
        return None
    milestones = implementation.get("milestones") or []
    return {"owner": implementation.get("owner"),
            "target_date": implementation.get("target_date"),
            "percent": implementation.get("percent", 0), "milestones": milestones,
            "last_update": milestones[-1] if milestones else None}


# The order of a call's results: done first, then under way (furthest first), then chosen
# and not yet started; among equals the most supported, then the oldest.
STAGE = {"implemented": 0, "in_progress": 1, "accepted": 2}


def result_order(idea):
    percent = (idea.get("implementation") or {}).get("percent", 0)
    return (STAGE[idea["status"]], -percent, -idea.get("vote_count", 0), idea["created_at"],
            idea["_id"])


def result(idea):
    """One chosen idea of a call as its results page shows it."""
    followed = public(idea.get("implementation")) or {}
    return {"id": idea["_id"], "title": idea["title"], "unit": idea["unit"],
            "author": idea["author"], "status": idea["status"],
            "status_note": idea.get("status_note", ""), "vote_count": idea.get("vote_count", 0),
            "owner": followed.get("owner"), "target_date": followed.get("target_date"),
            "percent": followed.get("percent", 0), "last_update": followed.get("last_update")}
