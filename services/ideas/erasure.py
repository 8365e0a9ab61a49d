"""What the ideas service does when a person is erased (`person.erased`): every copy of their
name goes (ideas, comments, reports, the moderation log, histories, calls), their ideas and
comments stay, and if their texts go, their ideas' search terms and meaning are made again
from what replaces them, and the lists get their rows anew."""
from shared.erasure import anonymise
from services.ideas import domain

# The fields domain.reindex derives from an idea's text.
DERIVED = ("search", "meaning", "words", "tag_keys")


def on_person_erased(payload, envelope, db, rows, keyring):
    person_id, texts_removed = payload["person_id"], payload["texts"] == "removed"
    keyring.forget(person_id)
    anonymise(db, person_id, texts_removed)
    theirs = [idea["_id"] for idea in db.ideas.find({"author.id": person_id}, {"_id": True})]
    if texts_removed:
        for idea in db.ideas.find({"_id": {"$in": theirs}}):
            domain.reindex(idea)
            db.ideas.update_one({"_id": idea["_id"]}, {
                "$set": {name: idea[name] for name in DERIVED},
                "$inc": {"rev": 1}})
        rows.publish_many(theirs)
