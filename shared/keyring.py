"""The hub's keys for personal data: two random AES-256 keys per person, one for who they are
(name, address) and one for what they wrote (titles, bodies, comments), in the `keys`
database that every service reads (a key management service would hold them in a larger
deployment; this is its smallest form).

Events carry personal fields sealed with these keys (shared/sealing.py). Erasing a person
destroys their identity key, and their texts key if they chose so: every copy of the sealed
fields in every topic, however often replayed, then reads as "Agent anonymisé". That is
crypto-shredding: the Kafka log keeps its history, and the data in it becomes unreadable.

A person's keys are made at the first event that names them, by an insert that the unique
`_id` settles when two processes try at once. Erasure leaves the document with its
`erased_at` and without the destroyed keys, so no later event makes them again: what is
sealed for an erased person is sealed as already anonymised.

Each process keeps the keys it read for CACHE_SECONDS: an erasure reaches every process's
reading within that time (the consumers drop a person's keys at once on `person.erased`).
"""
import os
import threading
import time

from bson.binary import Binary
from pymongo.errors import DuplicateKeyError

from shared import mongo

KINDS = ("identity", "texts")
CACHE_SECONDS = 60.0
DATABASE = "keys"

_lock = threading.Lock()
_rings = {}


def for_config(config, client=None):
    """The process's keyring for this configuration, through `client` (the service's), or
    connected at its first use (after gunicorn forks: a MongoDB client must not cross a
    fork)."""
    name = config.database_name(DATABASE)
    with _lock:
        if name not in _rings:
            _rings[name] = Keyring(lambda: (client or mongo.connect(config))[name])
        return _rings[name]


class Keyring:
    def __init__(self, database):
        """`database`: the keys database, or a function that connects to it."""
        self._database = database if callable(database) else (lambda: database)
        self._collection = None
        self._cache = {}  # person id -> (read at, {kind: key or None})
        self._lock = threading.Lock()

    @property
    def collection(self):
        if self._collection is None:
            self._collection = self._database().person_keys
        return self._collection

    def key(self, person_id, kind, create=False):
        """The person's key of `kind` (bytes), or None: erased, or never made and not
        `create`d."""
        cached = self._cache.get(person_id)
        if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
            keys = cached[1]
            if keys.get(kind) is not None or not create or keys.get("erased"):
                return keys.get(kind)
        keys = self._read(person_id, create)
        with self._lock:
            self._cache[person_id] = (time.monotonic(), keys)
        return keys.get(kind)

    def _read(self, person_id, create):
        doc = self.collection.find_one({"_id": person_id})
        if doc is None and create:
            made = {"_id": person_id, **{kind: Binary(os.urandom(32)) for kind in KINDS},
                    "made_at": time.time()}
            try:
                self.collection.insert_one(made)
                doc = made
            except DuplicateKeyError:  # another process made them first: theirs hold
                doc = self.collection.find_one({"_id": person_id})
        if doc is None:
            return {}
        return {"erased": bool(doc.get("erased_at")),
                **{kind: bytes(doc[kind]) if doc.get(kind) is not None else None
                   for kind in KINDS}}

    def erase(self, person_id, texts, now=None):
        """Destroy the person's identity key, and their texts key if `texts` is False (their
        texts are not kept). Idempotent; a later erasure may destroy the texts key too, never
        bring a key back."""
        destroyed = {"identity": ""} if texts else {kind: "" for kind in KINDS}
        self.collection.update_one({"_id": person_id}, {
            "$unset": destroyed, "$min": {"erased_at": now or time.time()}}, upsert=True)
        self.forget(person_id)

    def erased(self, person_id):
        doc = self.collection.find_one({"_id": person_id}, {"erased_at": True})
        return bool(doc and doc.get("erased_at"))

    def forget(self, person_id):
        """Drop the person's keys from this process's cache (on `person.erased`)."""
        with self._lock:
            self._cache.pop(person_id, None)
