"""The outbox: an event leaves a service only after the change that caused it is stored, and
none is lost while Kafka is away.

No transactions: the events ride in the very document they describe a change of, in its
`outbox` field, written by the same atomic single-document write as the change itself
(`pending`). The request path hands them to the publisher at once; once Kafka has
acknowledged one, the publisher pulls it from the document (`Outbox.sent`). The relay, in
the consumer process, sends what stayed there longer than RELAY_GRACE: Kafka was away, or
the process died between the write and the acknowledgement.

Finding those documents costs a query on `outbox.at` (an index on MongoDB, a scan on the
embedded engine), so the relay does not run it blindly every few seconds: a publisher that
fails raises a flag (`raise_alert`, one small upsert), the relay sweeps at once while it is
up, and otherwise every SAFETY_SWEEP seconds, for the process that died without a word.
"""
import logging
import time

from pymongo.errors import PyMongoError

log = logging.getLogger(__name__)

FIELD = "outbox"
# How long an event waits before the relay takes it from the request path: more than
# shared.kafka's FRESH + MAX_BLOCK + DELIVERY_TIMEOUT (16 s), by which the publisher has
# settled every event it took, and 4 s more for it to pull the acknowledged ones from their
# documents on a loaded machine (at 15 s, a support was published twice under load).
RELAY_GRACE = 20.0
# A sweep without any alert, for events whose process died before Kafka acknowledged them.
SAFETY_SWEEP = 60.0
ALERT = "unsent"
# Events the relay sends before waiting for their acknowledgements.
RELAY_BATCH = 500
# A publisher raises the alert at most this often: the events it leaves to the relay in
# between are covered by the alert it raised last.
ALERT_EVERY = 1.0


def pending(events, now=None):
    """The outbox entries of `events`, as the changed document stores them."""
    now = time.time() if now is None else now
    return [{"id": e["id"], "at": now, "event": e} for e in events]


def push(events):
    """The update operator that adds `events` to a document's outbox."""
    return {"$push": {FIELD: {"$each": pending(events)}}} if events else {}


class Outbox:
    """The outbox of one service's database; `collections` hold documents with events."""

    def __init__(self, db, collections):
        self.db = db
        self.collections = tuple(collections)

    def sent(self, acknowledged):
        """Pull from their documents the events Kafka acknowledged: (collection, doc_id,
        event_id) triples, in one round trip per collection (`_id $in` uses the `_id`
        index on both engines; event ids are unique, so each document loses its own)."""
        by_collection = {}
        for collection, doc_id, event_id in acknowledged:
            doc_ids, event_ids = by_collection.setdefault(collection, (set(), set()))
            doc_ids.add(doc_id)
            event_ids.add(event_id)
        for collection, (doc_ids, event_ids) in by_collection.items():
            self.db[collection].update_many({"_id": {"$in": sorted(doc_ids)}}, {
                "$pull": {FIELD: {"id": {"$in": sorted(event_ids)}}}})

    def unsent(self, older_than):
        """(collection, doc_id, event) of the events left `older_than` seconds or more, oldest
        first."""
        cutoff = time.time() - older_than
        found = []
        for collection in self.collections:
            for doc in self.db[collection].find({f"{FIELD}.at": {"$lt": cutoff}},
                                                {FIELD: True}):
                found += [(entry["at"], collection, doc["_id"], entry["event"])
                          for entry in doc[FIELD] if entry["at"] < cutoff]
        return [(collection, doc_id, event)
                for _, collection, doc_id, event in sorted(found, key=lambda f: f[0])]

    def raise_alert(self):
        self.db.outbox_alerts.update_one({"_id": ALERT}, {"$set": {"at": time.time()}},
                                         upsert=True)

    def alert(self):
        doc = self.db.outbox_alerts.find_one({"_id": ALERT})
        return doc and doc["at"]

    def clear_alert(self, raised_at):
        self.db.outbox_alerts.delete_one({"_id": ALERT, "at": raised_at})


class Relay:
    """Sends what the request path could not (Kafka down, process killed)."""

    def __init__(self, outbox, publisher, grace=RELAY_GRACE, safety=SAFETY_SWEEP):
        self.outbox = outbox
        self.publisher = publisher
        self.grace = grace
        self.safety = safety
        self._last_sweep = None

    def sweep(self):
        """Send every event left past the grace, in order, a batch at a time (one event at a
        time, waiting for each acknowledgement, took minutes after a long outage); True if
        none is left."""
        left = self.outbox.unsent(self.grace)
        for start in range(0, len(left), RELAY_BATCH):
            batch = left[start:start + RELAY_BATCH]
            sent = self.publisher.send_now([event for _, _, event in batch])
            self.outbox.sent([(collection, doc_id, event["id"])
                              for collection, doc_id, event in batch[:sent]])
            if sent < len(batch):
                return False  # Kafka is still away: try again at the next round, in order
        return True

    def round(self, now=None):
        """One round: sweep if a publisher raised the alert, or if the last sweep is old.
        The alert is cleared once a sweep took every event it stands for: the sweep's cutoff
        (its start, less the grace) must be past the alert and the events publishers left
        without raising it again (ALERT_EVERY). Not the sweep's end: a long sweep after an
        outage would clear it with events left behind for the safety sweep."""
        now = time.monotonic() if now is None else now
        raised = self.outbox.alert()
        due = self._last_sweep is None or now - self._last_sweep >= self.safety
        if not raised and not due:
            return False
        cutoff = time.time() - self.grace
        done = self.sweep()
        self._last_sweep = now
        if raised and done and cutoff > raised + ALERT_EVERY:
            self.outbox.clear_alert(raised)
        return True

    def run_forever(self, stopping, interval=2.0):
        while not stopping.is_set():
            try:
                self.round()
            except PyMongoError as error:
                log.warning("relay: database unavailable (%s)", error)
            except Exception:  # a bug: the next round tries again
                log.exception("relay round failed")
            stopping.wait(interval)
