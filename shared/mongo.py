"""MongoDB access shared by the services: one client per process, made after gunicorn forks.

The code stays inside what FerretDB v1 supports. One thing matters more than the rest:
FerretDB v1 applies an update by reading the document, changing it in memory and writing it
back, with no lock in between, so two concurrent updates of one document can lose one
(measured: 8 threads x 100 `$inc` on one document left 65). Only inserts are atomic there,
through the unique `_id`. Hence `lease`, a lock per aggregate built on a unique insert: every
read-modify-write of a document that more than one process may write runs under it.
"""
import contextlib
import random
import time
import uuid

import pymongo
from pymongo.errors import DuplicateKeyError, PyMongoError

# Errors that mean "the database is unreachable right now", answered with 503.
UNAVAILABLE = (pymongo.errors.ConnectionFailure, pymongo.errors.ServerSelectionTimeoutError)


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


def ping(client):
    client.admin.command("ping")


class Busy(Exception):
    """Another request holds the lease on this aggregate for too long."""


class Leases:
    """Mutual exclusion per key, on a unique `_id` insert (atomic on MongoDB and FerretDB).

    A holder that dies leaves its lease behind; it expires after `ttl` seconds and the next
    comer takes it over.
    """

    def __init__(self, collection, ttl=10.0, wait=5.0):
        self.collection = collection
        self.ttl = ttl
        self.wait = wait

    @contextlib.contextmanager
    def hold(self, key):
        token = self._acquire(key)
        try:
            yield
        finally:
            with contextlib.suppress(PyMongoError):
                self.collection.delete_one({"_id": key, "token": token})

    def _acquire(self, key):
        token = uuid.uuid4().hex
        deadline = time.monotonic() + self.wait
        pause = 0.002
        while True:
            try:
                self.collection.insert_one(
                    {"_id": key, "token": token, "expires": time.time() + self.ttl}
                )
                return token
            except DuplicateKeyError:
                held = self.collection.find_one({"_id": key})
                if held and held["expires"] < time.time():
                    self.collection.delete_one({"_id": key, "token": held["token"]})
                    continue
            if time.monotonic() > deadline:
                raise Busy(key)
            time.sleep(pause * (1 + random.random()))
            pause = min(pause * 2, 0.05)
