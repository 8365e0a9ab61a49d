"""What the digest service does when a person is erased (`person.erased`): what was theirs
alone goes (their follows, notifications, preferences, subscription, summaries); where others
see them (a notification of their comment, the view of their idea) they are anonymised, and
their texts replaced if they chose so (shared/erasure.py), titles copied into others'
notifications included."""
from shared.erasure import TEXTS, anonymise

# Collections whose documents belong to one person, by `person_id` (or by `_id` for the
# preferences and the subscription, whose id is the person's).
THEIRS = ("follows", "notifications", "preferences", "subscriptions", "summaries")


def on_person_erased(payload, envelope, db, keyring):
    person_id, texts_removed = payload["person_id"], payload["texts"] == "removed"
    keyring.forget(person_id)
    for name in THEIRS:
        db[name].delete_many({"$or": [{"person_id": person_id}, {"_id": person_id}]})
    db.people.delete_one({"_id": person_id})
    anonymise(db, person_id, texts_removed)
    if texts_removed:
        theirs = [idea["_id"] for idea in db.ideas.find({"author.id": person_id}, {"_id": True})]
        if theirs:
            db.notifications.update_many({"idea_id": {"$in": theirs}},
                                         {"$set": {"idea_title": TEXTS["title"]}})
