"""The digest database: subscriptions, the read model of ideas (`ideas`, written only by the
digest consumer, with `supporters` for shared.tally) and of calls for ideas (`calls`, a hub
holds a few dozen: read whole), one `sends` record per (subscription, period), and `runs`."""
import time

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from shared import mongo, outbox, tally
from services.digest import calls, domain, notification_store

# Each query and the index that serves it on MongoDB (the embedded engine scans).
INDEXES = {
    "subscriptions": [[("confirmation.due", ASCENDING)]],
    "ideas": [[("idea.unit_key", ASCENDING)]],
    "sends": [[("period", ASCENDING), ("status", ASCENDING)], [("outbox.at", ASCENDING)]],
    **notification_store.INDEXES,
}
OUTBOX = ("sends",)
# What a digest reads of each idea of its scope.
VIEW_FIELDS = ("idea", "vote_count", "gains", "status_changes", "evaluations", "progress")


def ensure_indexes(db):
    mongo.create_indexes(db, INDEXES)


class DigestStore:
    def __init__(self, db):
        self.db = db

    # subscriptions
    def subscription(self, subscription_id):
        return self.db.subscriptions.find_one({"_id": subscription_id})

    def subscriptions(self):
        return list(self.db.subscriptions.find({}))

    def save_subscription(self, subscription):
        self.db.subscriptions.replace_one({"_id": subscription["_id"]}, subscription, upsert=True)

    def delete_subscription(self, subscription_id, **created_at):
        """`created_at=`: only the subscription made then (an unsubscribe link's)."""
        return self.db.subscriptions.delete_one(
            {"_id": subscription_id, **created_at}).deleted_count == 1

    def confirm_address(self, subscription_id, address):
        """True if the subscription still names `address`, now confirmed: a link sent for an
        address the manager has since changed confirms nothing."""
        return self.db.subscriptions.update_one(
            {"_id": subscription_id, "email": address},
            {"$set": {"email_verified": True, "confirmation": None}}).matched_count == 1

    # confirmation messages (services.digest.confirmations), each in its subscription
    def confirmations_due(self, now):
        return list(self.db.subscriptions.find({"confirmation.due": {"$lte": now}}))

    def change_confirmation(self, subscription_id, asked, **changes):
        """Change the confirmation `asked` (as read) if it is still the one to send: one
        conditional write, so two schedulers never both take it."""
        return self.db.subscriptions.update_one(
            {"_id": subscription_id, "confirmation.asked_at": asked["asked_at"],
             "confirmation.due": asked["due"]},
            {"$set": {f"confirmation.{name}": value for name, value in changes.items()}}
        ).matched_count == 1

    # the read model, written by the consumer: each event once, fenced in the view itself
    def apply_idea_event(self, name, payload, envelope):
        """The idea's snapshot at its newest version; a status change or an implementation
        update whenever it arrives (a relay may deliver it after a newer event), once: it
        carries its version, or its event id; the evaluations, the most any event told."""
        change = domain.status_change(name, payload, envelope)
        progress = domain.progress_update(name, payload, envelope)
        if change or progress:
            entry = {"status_changes": {**change, "version": payload["version"]}} if change \
                else {"progress": progress}
            self.db.ideas.update_one({"_id": payload["idea_id"]}, {"$addToSet": entry},
                                     upsert=True)
        if name == "idea.evaluated":
            self.db.ideas.update_one({"_id": payload["idea_id"]},
                                     {"$max": {"evaluations": payload["evaluations"]}},
                                     upsert=True)
        mongo.save_newest(self.db.ideas, payload["idea_id"], payload["version"],
                          {"idea": domain.idea_fields(payload)})

    def fold_votes(self, changes):
        return tally.fold_votes(self.db.supporters, self.db.ideas, changes,
                                also=lambda idea, moves: domain.gained(moves), upsert=True)

    def views_in_scope(self, units=()):
        """The ideas of the folded `units` (all if none), with what a digest reads of them."""
        query = {"idea.unit_key": {"$in": list(units)}} if units else {"idea": {"$ne": None}}
        # A view made by an upsert holds only the fields its events set so far.
        return [{**domain.empty_view(doc["_id"]), **doc}
                for doc in self.db.ideas.find(query, dict.fromkeys(VIEW_FIELDS, True))]

    def counts(self, idea_ids):
        """The ideas' snapshots and support counts, for those the read model has."""
        return [{"vote_count": 0, **doc} for doc in self.db.ideas.find(
            {"_id": {"$in": list(idea_ids)}, "idea": {"$ne": None}},
            {"idea": True, "vote_count": True})]

    def save_call(self, payload):
        """The call at its newest version; an older or repeated event changes nothing."""
        mongo.save_newest(self.db.calls, payload["campaign_id"], payload["version"],
                          calls.call_fields(payload))

    def known_calls(self):
        return list(self.db.calls.find({}))

    def reset_views(self):
        self.db.ideas.drop()
        self.db.supporters.drop()
        self.db.calls.drop()

    # sends: inserting the unique `_id` is the claim (one runner wins); later changes are
    # conditional writes of that one document
    def claim_send(self, subscription_id, period, run_id, at=None):
        send = {"_id": f"{subscription_id}:{period}", "subscription_id": subscription_id,
                "period": period, "status": "claimed", "run_id": run_id,
                "claimed_at": time.time() if at is None else at, "attempts": 0, "rev": 1}
        try:
            self.db.sends.insert_one(send)
            return send
        except DuplicateKeyError:
            return None

    def send(self, send_id):
        return self.db.sends.find_one({"_id": send_id}, {outbox.FIELD: False})

    def change_send(self, send_id, decide):
        """`decide(send)` returns (new send, events), or None to leave it. Returns the same."""
        produced = []

        def decision(send):
            send.pop(outbox.FIELD, None)
            found = decide(send)
            if found is None:
                return None
            new, produced[:] = found
            return new
        _, new = mongo.change(self.db.sends, send_id, decision,
                              extra=lambda _: outbox.push(produced))
        return new, (produced if new else [])

    # runs
    def add_run(self, run):
        try:
            self.db.runs.insert_one(run)
        except DuplicateKeyError:
            pass

    def run(self, run_id):
        return self.db.runs.find_one({"_id": run_id})

    def save_run(self, run):
        self.db.runs.replace_one({"_id": run["_id"]}, run, upsert=True)

    def take_run(self, now, abandoned_after):
        """Claim a pending run, or one whose runner stopped beating `abandoned_after` seconds
        ago: one conditional write, so two consumers never take the same run. None if none."""
        for run in self.db.runs.find({"status": {"$in": ["pending", "running"]}}):
            precondition = {"status": "pending"} if run["status"] == "pending" else {
                "status": "running", "beat": {"$lt": now - abandoned_after}}
            taken = mongo.previous(self.db.runs, {"_id": run["_id"], **precondition},
                                   {"$set": {"status": "running", "beat": now}})
            if taken is not None:
                return {**taken, "status": "running", "beat": now}
        return None
