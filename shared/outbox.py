"""The outbox: events leave a service only after the state change that caused them is
stored, and none is lost while Kafka is away.

No multi-document transactions (FerretDB v1 has none), so `Outbox.change` writes a change in
three steps, all under the document's lease (shared.mongo.Leases):

1. `stage`: the events go into the `outbox` collection, marked not applied;
2. the document is written, listing the events' ids in its field `outbox_ids`;
3. `mark_applied`.

Then the request path hands the events to the publisher, which deletes each from the outbox
once Kafka has acknowledged it. The relay (in the consumer process) sends what stayed
applied-but-unsent, and settles what a crash left half-done: an event whose document lists it
was applied (step 2 happened), otherwise it is dropped, as the client never saw it succeed.
"""
import logging
import time

from pymongo.errors import DuplicateKeyError

from pymongo.errors import PyMongoError

from shared.events import topic_of

log = logging.getLogger(__name__)

# Event ids a document remembers: enough to settle a writer that died mid-change.
REMEMBERED_IDS = 20
# How long an event waits before the relay takes it from the request path (see
# shared.kafka.FRESH and DELIVERY_TIMEOUT, which it must exceed together).
RELAY_GRACE = 15.0


class AlreadyExists(Exception):
    pass


class Outbox:
    def __init__(self, db, leases, name="outbox"):
        self.db = db
        self.collection = db[name]
        self.leases = leases

    def add(self, collection, doc, events):
        """Insert a new document and its events; AlreadyExists if its `_id` is taken."""
        key = f"{collection}:{doc['_id']}"
        self.stage(events, collection, doc["_id"], key)
        try:
            self.db[collection].insert_one({**doc, "outbox_ids": [e["id"] for e in events]})
        except DuplicateKeyError:
            self.collection.delete_many({"_id": {"$in": [e["id"] for e in events]}})
            raise AlreadyExists(doc["_id"]) from None
        self.mark_applied(events)
        return doc

    def change(self, collection, doc_id, decide, written=None):
        """Read-modify-write of one document under its lease. `decide(current)` gets the
        document (None if absent) and returns (new document, events), or None to leave it.
        `written(doc)`, if given, runs after the write, still under the lease."""
        key = f"{collection}:{doc_id}"
        with self.leases.hold(key):
            current = self.db[collection].find_one({"_id": doc_id})
            decision = decide(current)
            if decision is None:
                return current, []
            doc, events = decision
            remembered = (current or {}).get("outbox_ids", [])
            doc["outbox_ids"] = (remembered + [e["id"] for e in events])[-REMEMBERED_IDS:]
            self.stage(events, collection, doc_id, key)
            self.db[collection].replace_one({"_id": doc_id}, doc, upsert=True)
            self.mark_applied(events)
            if written:
                written(doc)
            return doc, events

    def stage(self, events, collection, doc_id, lease_key):
        if not events:
            return
        now = time.time()
        self.collection.insert_many([
            {"_id": e["id"], "event": e, "topic": topic_of(e), "key": e["subject"],
             "collection": collection, "doc_id": doc_id, "lease": lease_key,
             "applied": False, "at": now}
            for e in events
        ])

    def mark_applied(self, events):
        for event in events:
            self.collection.update_one({"_id": event["id"]}, {"$set": {"applied": True}})

    def sent(self, event_id):
        self.collection.delete_one({"_id": event_id})

    def unsent(self, older_than):
        """Applied events still here `older_than` seconds after they were staged, oldest first."""
        cutoff = time.time() - older_than
        docs = self.collection.find({"applied": True, "at": {"$lt": cutoff}})
        return sorted(docs, key=lambda d: d["at"])

    def settle_abandoned(self, older_than):
        """Decide, under the lease, the events whose writer died between steps 1 and 3."""
        cutoff = time.time() - older_than
        for doc in list(self.collection.find({"applied": False, "at": {"$lt": cutoff}})):
            with self.leases.hold(doc["lease"]):
                state = self.db[doc["collection"]].find_one({"_id": doc["doc_id"]}) or {}
                if doc["_id"] in state.get("outbox_ids", ()):
                    self.collection.update_one({"_id": doc["_id"]}, {"$set": {"applied": True}})
                else:
                    log.warning("dropping event %s: its change was never stored", doc["_id"])
                    self.collection.delete_one({"_id": doc["_id"], "applied": False})


class Relay:
    """Sends what the request path could not (Kafka down, worker killed)."""

    def __init__(self, outbox, publisher, grace=RELAY_GRACE, abandon_after=RELAY_GRACE):
        self.outbox = outbox
        self.publisher = publisher
        self.grace = grace
        self.abandon_after = abandon_after

    def sweep(self):
        self.outbox.settle_abandoned(self.abandon_after)
        sent = 0
        for doc in self.outbox.unsent(self.grace):
            if not self.publisher.send_now(doc["event"]):
                break  # Kafka is still away: try again at the next sweep, in order
            self.outbox.sent(doc["_id"])
            sent += 1
        return sent

    def run_forever(self, stopping, interval=2.0):
        while not stopping.is_set():
            try:
                sent = self.sweep()
                if sent:
                    log.info("relay sent %d event(s) left in the outbox", sent)
            except PyMongoError as error:
                log.warning("relay: database unavailable (%s)", error)
            except Exception:  # a busy lease, a bug: the next sweep tries again
                log.exception("relay sweep failed")
            stopping.wait(interval)
