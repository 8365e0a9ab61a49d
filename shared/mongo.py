"""MongoDB access shared by the services: one client per process, made after gunicorn forks.

Every invariant rests on what MongoDB itself guarantees, on MongoDB 7 and on the local
stack's embedded engine alike: single-document atomic updates whose filter states the
precondition, unique indexes (a duplicate key is a refusal, code 11000, on insert, update and
upsert), upserts. No lock of ours, no transaction.

The embedded engine does not isolate a read from a concurrent update, so a read-modify-write
never writes back what it read: `change` sets only the fields it changed, under a filter on
the document's `rev`, which every write of that document increments.
"""
import bson
import pymongo
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError, OperationFailure

# Errors that mean "the database is unreachable right now", answered with 503.
UNAVAILABLE = (pymongo.errors.ConnectionFailure, pymongo.errors.ServerSelectionTimeoutError)
# Refusals that succeed when tried again as they are: a write conflict (MongoDB, code 112),
# an election (NotWritablePrimary and its kin).
TRANSIENT_CODES = frozenset({112, 189, 10107, 11600, 11602, 13435, 13436, 91})
# How often a read-modify-write is tried before the conflict is reported.
ATTEMPTS = 20
# MongoDB refuses documents over 16 MB; the embedded engine stores them silently. A document
# that `change` would grow past this is refused on both, with room left for its outbox.
MAX_DOCUMENT_BYTES = 8 * 1024 * 1024


def connect(config):
    # Short timeouts: a request must fail fast with 503 rather than hang when MongoDB is down.
    return pymongo.MongoClient(
        config.mongo_url,
        serverSelectionTimeoutMS=2000,
        connectTimeoutMS=2000,
        socketTimeoutMS=10000,
        uuidRepresentation="standard",
        tz_aware=True,
    )


def database(client, config, service):
    return client[config.database_name(service)]


def create_indexes(db, indexes):
    """Each collection's declared indexes, {collection: [keys, ...]}; creating one that
    exists changes nothing, so every process runs it at start."""
    for collection, declared in indexes.items():
        for keys in declared:
            db[collection].create_index(keys)


def ping(client):
    client.admin.command("ping")


def is_transient(error):
    """True for an error that the same operation, tried again, may not meet."""
    if isinstance(error, (Conflict, *UNAVAILABLE)):
        return True
    return isinstance(error, OperationFailure) and (
        error.code in TRANSIENT_CODES or error.has_error_label("TransientTransactionError"))


class Conflict(Exception):
    """A document kept changing under a read-modify-write (ATTEMPTS times in a row)."""


class TooLarge(Exception):
    """A change would grow a document past MAX_DOCUMENT_BYTES."""


def change(collection, doc_id, decide, extra=None):
    """Read-modify-write of one existing document, optimistic: `decide(doc)` gets a copy of
    the document and returns the new document, or None to leave it. The write sets the
    fields that differ, only if `rev` is still the one read; else it reads and decides again.
    `extra(new)` may add update operators ($push...) to the write. Returns (old, new): old is
    None if there is no such document (nothing is decided then), new None if nothing was
    written."""
    for _ in range(ATTEMPTS):
        old = collection.find_one({"_id": doc_id})
        if old is None:
            return None, None
        new = decide(dict(old))
        if new is None:
            return old, None
        if len(bson.encode(new)) > MAX_DOCUMENT_BYTES:
            raise TooLarge(doc_id)
        update = diff(old, new)
        for operator, fields in (extra(new) if extra else {}).items():
            update.setdefault(operator, {}).update(fields)
        update.setdefault("$inc", {})["rev"] = 1
        if collection.update_one({"_id": doc_id, "rev": old.get("rev")}, update).matched_count:
            return old, {**new, "rev": old.get("rev", 0) + 1}
    raise Conflict(doc_id)


def diff(old, new):
    """The $set and $unset that turn `old` into `new`, top-level fields only (not `rev`)."""
    update = {}
    changed = {k: v for k, v in new.items() if k != "rev" and (k not in old or old[k] != v)}
    removed = {k: "" for k in old if k not in new and k not in ("rev", "outbox")}
    if changed:
        update["$set"] = changed
    if removed:
        update["$unset"] = removed
    return update


def previous(collection, query, update, **kwargs):
    """find_one_and_update that returns the document as it was before the update: the
    embedded engine's AFTER may show other writers' changes, BEFORE is exact on both."""
    return collection.find_one_and_update(query, update,
                                          return_document=ReturnDocument.BEFORE, **kwargs)


def save_newest(collection, doc_id, version, fields):
    """Set `fields` at `version` unless the document holds this version or a newer one: a
    read model keeps the newest of events that may come late or twice. One conditional
    upsert; a second copy of the document is refused by the unique `_id`."""
    try:
        collection.update_one({"_id": doc_id, "version": {"$not": {"$gte": version}}},
                              {"$set": {**fields, "version": version}}, upsert=True)
    except DuplicateKeyError:
        pass  # this version or a newer one is kept
