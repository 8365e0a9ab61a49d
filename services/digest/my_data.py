"""What the digest database keeps of one person, for their data export (shared/my_data.py):
the ideas they follow (or chose to stop following), their notification preferences, the
notifications they received (and what became of their mail), their digest subscription, the
digests and summaries mailed to them, and the name and address this service knows them by.

A notification tells of someone else's act: the export keeps what happened to which idea and
when, not who did it nor the text they wrote (that is theirs: shared/my_data.only_theirs and
NOTICE_FIELDS). Read from this service's collections only, by the person's id."""
from shared import my_data
from shared.api import hub
from services.digest import notifications as N

# What a notification keeps in the export: no actor, excerpt or comment id (another
# person's act and text).
NOTICE_FIELDS = ("kind", "at", "read", "idea_id", "idea_title", "status", "note", "milestone",
                 "merged", "into", "progress", "mail", "idea_hidden", "comment_hidden")
SEND_FIELDS = ("period", "status", "attempts", "sent_at", "message_id", "error")
EPOCHS = ("claimed_at", "done_at", "mailed_at", "asked_at", "due")


def _times(doc):
    """The epoch times a document keeps, as ISO 8601."""
    return {k: my_data.iso_seconds(doc[k]) for k in EPOCHS if doc.get(k) is not None}


def _notice(doc):
    return {"id": doc["_id"], **{k: doc[k] for k in NOTICE_FIELDS if k in doc}, **_times(doc)}


def _subscription(doc):
    if doc is None:
        return None
    confirmation = doc.get("confirmation")
    if confirmation:
        confirmation = {**confirmation, **_times(confirmation),
                        "sent_at": my_data.iso_seconds(confirmation.get("sent_at"))}
    return {**{k: v for k, v in doc.items() if k != "_id"}, "confirmation": confirmation}


def _summary(doc):
    _, frequency, period = doc["_id"].split(":", 2)
    return {"frequency": frequency, "period": period, "status": doc.get("status"),
            **_times(doc)}


def gather(person_id, db):
    saved = db.preferences.find_one({"_id": person_id})
    known = db.people.find_one({"_id": person_id}) or {}
    return {
        "follows": sorted(({k: doc[k] for k in ("idea_id", "following", "how", "since")}
                           for doc in db.follows.find({"person_id": person_id})),
                          key=lambda f: (f["since"], f["idea_id"])),
        "notification_preferences": {**N.preferences(saved), "chosen": saved is not None},
        "notifications": sorted((_notice(doc) for doc in db.notifications.find(
            {"person_id": person_id})), key=lambda n: (n["at"], n["id"]), reverse=True),
        "digest_subscription": _subscription(db.subscriptions.find_one({"_id": person_id})),
        "digests_sent": sorted(({**{k: doc[k] for k in SEND_FIELDS if k in doc}, **_times(doc)}
                                for doc in db.sends.find({"subscription_id": person_id},
                                                         {"outbox": False})),
                               key=lambda s: s["period"]),
        "summaries_sent": [_summary(doc) for doc in db.summaries.find(
            {"person_id": person_id})],
        "known_as": {k: known[k] for k in ("name", "email") if k in known},
    }


EXAMPLE = {
    "follows": [{"idea_id": "040257db69a64c4e9482dcb84a2d0ab6", "following": True,
                 "how": "author", "since": "2026-11-24T09:00:00.000Z"}],
    "notification_preferences": {**N.DEFAULT_PREFERENCES, "chosen": False},
    "notifications": [{"id": "8c0d3f1e:1a2b3c4d5e6f", "kind": "status",
                       "at": "2026-11-26T15:00:00.000Z", "read": False,
                       "idea_id": "040257db69a64c4e9482dcb84a2d0ab6",
                       "idea_title": "Un guichet unique", "status": "accepted",
                       "note": "Retenue pour 2027.", "mail": "sent"}],
    "digest_subscription": None, "digests_sent": [], "summaries_sent": [],
    "known_as": {"name": "Maëlle Bernard", "email": "maelle.bernard@demo.ideahub.local"},
}

blp = my_data.blueprint(
    "digest", lambda person_id: gather(person_id, hub().db),
    "Mes données dans la synthèse et les notifications : suivis, préférences, notifications, "
    "abonnement, courriels envoyés", EXAMPLE)
