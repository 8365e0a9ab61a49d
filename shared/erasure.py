"""What a service does with its own database when a person is erased (`person.erased`): every
copy it keeps of their name, address and, if they chose so, of their texts is replaced, in
every collection, pending outbox events included. Ids stay: ideas, supports and counts do
not change; only who the person was can no longer be read.

The rules are the shapes the hub stores people in, whatever the collection:
- an object that is the person (`_id`, `id` or `person_id` is theirs): its identity fields;
- an object the person wrote (its `author`, `actor` or `by` is them): its text fields, when
  the texts go.
A service adds what only it knows (derived fields: search terms, vectors, copies of a title).

Erasure is rare, and the embedded store has no index but `_id`, so this reads every document
once; it writes only those that change, field by field, so concurrent writers of other
fields lose nothing.
"""
from shared.sealing import ERASED

ERASED_NAME = ERASED["name"]
# A person's identity fields and what they read once erased (search keys made of the name).
IDENTITY = {"name": ERASED_NAME, "email": "", "search": "", "name_key": "", "first_key": "",
            "local_key": "", "organization": ""}
# The fields of what a person wrote (a report's or an answer's note included).
TEXTS = {"title": ERASED["title"], "body": ERASED["text"], "text": ERASED["text"],
         "excerpt": ERASED["text"], "update": ERASED["text"], "note": ERASED["text"]}
OWNED_BY = ("author", "actor", "by")
SELF = ("_id", "id", "person_id")


def anonymise(db, person_id, texts_removed, skip=()):
    """Anonymise the person in every collection of `db` but `skip`. Returns how many
    documents changed."""
    changed = 0
    for name in sorted(db.list_collection_names()):
        if name in skip:
            continue
        for doc in db[name].find({}):
            changes = dict(changes_for(doc, person_id, texts_removed))
            if changes:
                # A document read-modify-written under its `rev` (shared.mongo.change) must
                # see it move, or a writer that read it before would not know it changed.
                bump = {"$inc": {"rev": 1}} if "rev" in doc else {}
                db[name].update_one({"_id": doc["_id"]}, {"$set": changes, **bump})
                changed += 1
    return changed


def changes_for(value, person_id, texts_removed, path=""):
    """(dotted path, new value) of each field of `value` to change."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from changes_for(item, person_id, texts_removed, f"{path}{index}.")
        return
    if not isinstance(value, dict):
        return
    if any(value.get(key) == person_id for key in SELF):
        for field, erased in IDENTITY.items():
            if field in value and value[field] != erased and field != "_id":
                yield f"{path}{field}", _like(value[field], erased)
    if texts_removed and any(_id_of(value.get(owner)) == person_id for owner in OWNED_BY):
        for field, erased in TEXTS.items():
            if isinstance(value.get(field), str) and value[field] not in ("", erased):
                yield f"{path}{field}", erased
    for field, item in value.items():
        if isinstance(item, (dict, list)):
            yield from changes_for(item, person_id, texts_removed, f"{path}{field}.")


def _id_of(value):
    return value.get("id") if isinstance(value, dict) else None


def _like(current, erased):
    """The erased value in the current one's shape (a list of search terms stays a list)."""
    return [] if isinstance(current, list) else erased
