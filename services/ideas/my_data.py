"""What the ideas database keeps of one person, for their data export (shared/my_data.py):
the ideas they proposed (every status, hidden and withdrawn ones too, with their public
answer, history and timeline), their comments, the reports they made, their contests of a
hiding, the evaluations they wrote (scores and private remark), the implementation updates
they wrote and the ideas they carry out, the calls they created, own or evaluate, what the
moderation log says they did, and the recent acts their rate limits count.

Read from this service's collections only. The ideas are found by the catalogue's rows in
memory (their author, their status), then read by `_id` 100 at a time: a query on a field
scans on the embedded engine, and a scan of 100,000 ideas outlasts the 10 s a request may
wait (bench/my_data.py). Comments, reports, the log and evaluations are found by the person's
id: scans there, of smaller documents; served by an index on MongoDB."""
from shared import my_data
from shared.api import hub
from services.ideas import domain, implementation
from services.ideas.implementation import FOLLOWED

# The fields of an idea kept for its author beyond the public ones (domain.public).
OWN_FIELDS = ("hidden_reason", "contest")
# Ideas read by `_id` in one query (evaluation_store.py measured 100 as the best chunk).
CHUNK = 100
CALL_DATES = ("proposals_from", "proposals_until", "supports_from", "supports_until",
              "evaluation_until")


def _idea(doc):
    return {**domain.public(doc), **{k: doc[k] for k in OWN_FIELDS if k in doc}}


def _comment(doc):
    return {"id": doc["_id"], "idea_id": doc["idea_id"], "parent_id": doc.get("parent_id"),
            "body": doc["body"], "created_at": doc["created_at"], "hidden": doc["hidden"],
            "hidden_reason": doc.get("hidden_reason", "")}


def _report(doc):
    return {"idea_id": doc["idea_id"], "reason": doc["reason"], "note": doc.get("note", ""),
            "at": doc["at"]}


def _evaluation(doc):
    return {"idea_id": doc["idea_id"], "campaign_id": doc.get("campaign_id"),
            "scores": doc["scores"], "note": doc.get("note", ""),
            "created_at": doc["created_at"], "updated_at": doc.get("updated_at")}


def _logged(doc):
    return {"event_id": doc["_id"], **{k: v for k, v in doc.items() if k not in ("_id", "by")}}


def _calls(campaigns, person_id):
    """The calls where the person holds a role, with the roles, not the others holding them."""
    found = []
    for call in campaigns:
        roles = [role for role, holders in (("owner", call.get("owners", [])),
                                            ("evaluator", call.get("evaluators", [])))
                 if any(p["id"] == person_id for p in holders)]
        if (call.get("created_by") or {}).get("id") == person_id:
            roles.insert(0, "creator")
        if roles:
            found.append({"id": call["_id"], "title": call["title"],
                          "question": call.get("question", ""), "roles": roles,
                          "created_at": call.get("created_at"),
                          **{k: call.get(k) for k in CALL_DATES}})
    return found


def _implementation(followed, person_id):
    """The updates the person wrote, and the ideas they were appointed to carry out."""
    updates, carried = [], []
    for idea in followed:
        carried_out = implementation.public(idea.get("implementation")) or {}
        owner = carried_out.get("owner") or {}
        if owner.get("kind") == "person" and owner.get("id") == person_id:
            carried.append({"idea_id": idea["_id"], "title": idea["title"],
                            "target_date": carried_out.get("target_date"),
                            "percent": carried_out.get("percent", 0)})
        updates += [{"idea_id": idea["_id"], **{k: step[k] for k in (
            "at", "milestone", "percent", "update")}}
            for step in carried_out.get("milestones") or []
            if (step.get("by") or {}).get("id") == person_id]
    return updates, carried


def _by_ids(collection, ids, projection):
    for start in range(0, len(ids), CHUNK):
        yield from collection.find({"_id": {"$in": ids[start:start + CHUNK]}}, projection)


def gather(person_id, db, catalogue, limited_actions=()):
    """Everything above, as one dict. `catalogue`: the ideas' rows (catalogue.Catalogue);
    `limited_actions`: the names of the rate limits (documents `<action>:<person>`)."""
    rows = catalogue.all()
    ideas = _by_ids(db.ideas, [row.id for row in rows if row.author_id == person_id],
                    {"search": False, "meaning": False, "outbox": False})
    followed = _by_ids(db.ideas, [row.id for row in rows if row.status in FOLLOWED],
                       {"title": True, "implementation": True})
    updates, carried = _implementation(followed, person_id)
    logged = [_logged(doc) for doc in db.moderation_log.find({"by.id": person_id})]
    limits = db.rate_limits.find({"_id": {"$in": [f"{a}:{person_id}" for a in limited_actions]}})
    return {
        "ideas": sorted((_idea(doc) for doc in ideas), key=lambda i: (i["created_at"], i["id"])),
        "comments": sorted((_comment(doc) for doc in db.comments.find(
            {"author.id": person_id})), key=lambda c: (c["created_at"], c["id"])),
        "reports": sorted((_report(doc) for doc in db.flags.find({"by.id": person_id})),
                          key=lambda r: r["at"]),
        "contests": [{"idea_id": e["idea_id"], "title": e["title"], "at": e["at"],
                      "text": e["why"]} for e in logged if e["action"] == "contest"],
        "moderation_acts": [e for e in logged if e["action"] != "contest"],
        "evaluations": [_evaluation(doc) for doc in db.evaluations.find(
            {"evaluator.id": person_id})],
        "implementation_updates": sorted(updates, key=lambda u: u["at"]),
        "ideas_carried_out": carried,
        "calls": _calls(db.campaigns.find({}, {"outbox": False}), person_id),
        "rate_limits": [{"action": doc["_id"][:-len(person_id) - 1],
                         "acts": [my_data.iso_seconds(at) for at in doc.get("acts", [])]}
                        for doc in limits],
    }


EXAMPLE = {
    "ideas": [{"id": "040257db69a64c4e9482dcb84a2d0ab6", "title": "Un guichet unique",
               "body": "Regrouper les démarches.", "status": "accepted",
               "status_note": "Retenue pour 2027.", "created_at": "2026-11-24T09:00:00.000Z"}],
    "comments": [{"id": "9b1e0c5a2f7d4e3b8a6c1d0e2f3a4b5c",
                  "idea_id": "040257db69a64c4e9482dcb84a2d0ab6", "parent_id": None,
                  "body": "Et pour les usagers ?", "created_at": "2026-11-25T10:00:00.000Z",
                  "hidden": False, "hidden_reason": ""}],
    "reports": [], "contests": [], "moderation_acts": [], "evaluations": [],
    "implementation_updates": [], "ideas_carried_out": [], "calls": [], "rate_limits": [],
}

blp = my_data.blueprint(
    "ideas", lambda person_id: gather(person_id, hub().db, hub().extra["ideas"].catalogue,
                                      hub().extra["limits"].rules),
    "Mes données dans les idées : idées, commentaires, signalements, contestations, "
    "évaluations, mises en œuvre, appels", EXAMPLE)
