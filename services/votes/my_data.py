"""What the votes database keeps of one person, for their data export (shared/my_data.py):
the ideas they support now, the history the store keeps of their supports (one document per
idea they ever supported: its latest change, a withdrawn support included), and the ideas
holding their places under the hub's cap or a call's.

The store keeps each support's latest state, not every click: a support given, withdrawn and
given again is one document, whose `seq` grew with each change. Read from this service's
collections only: the votes by the person's id, the places by their `_id`s."""
from shared import my_data
from shared.api import hub
from services.votes import domain


def _vote(doc):
    return {"idea_id": doc["idea_id"], "active": doc["active"], "changed_at": doc["changed_at"],
            "seq": doc["seq"], "via": doc.get("via")}


def _places(doc):
    since = doc.get("since") or {}
    return [{"idea_id": idea_id, "since": my_data.iso_seconds(since.get(idea_id))}
            for idea_id in doc.get("open", [])]


def gather(person_id, db):
    votes = sorted((_vote(doc) for doc in db.votes.find({"voter_id": person_id},
                                                        {"outbox": False})),
                   key=lambda v: (v["changed_at"], v["idea_id"]), reverse=True)
    idea_ids = sorted({vote["idea_id"] for vote in votes})
    calls = sorted({doc["campaign_id"] for doc in db.ideas.find(
        {"_id": {"$in": idea_ids}}, {"campaign_id": True}) if doc.get("campaign_id")})
    call_places = {doc["_id"]: doc for doc in db.call_places.find(
        {"_id": {"$in": [domain.call_place_key(c, person_id) for c in calls]}})}
    return {
        "supports": [{"idea_id": v["idea_id"], "since": v["changed_at"], "via": v["via"]}
                     for v in votes if v["active"]],
        "history": votes,
        "places": {
            "hub": _places(db.voters.find_one({"_id": person_id}) or {}),
            "calls": [{"campaign_id": c, "ideas": _places(call_places[key])}
                      for c in calls
                      if (key := domain.call_place_key(c, person_id)) in call_places]},
    }


EXAMPLE = {
    "supports": [{"idea_id": "040257db69a64c4e9482dcb84a2d0ab6",
                  "since": "2026-11-24T09:00:00.000Z", "via": None}],
    "history": [{"idea_id": "040257db69a64c4e9482dcb84a2d0ab6", "active": True,
                 "changed_at": "2026-11-24T09:00:00.000Z", "seq": 1764000000000000,
                 "via": None}],
    "places": {"hub": [], "calls": []},
}

blp = my_data.blueprint(
    "votes", lambda person_id: gather(person_id, hub().db),
    "Mes données dans les soutiens : les idées que je soutiens et l'historique gardé", EXAMPLE)
