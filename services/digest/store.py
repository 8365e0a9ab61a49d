"""The digest database: subscriptions, the read model of ideas (`ideas`, written only by the
digest consumer), one `sends` record per (subscription, period), and `runs`."""
import time

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from shared.outbox import AlreadyExists
from services.digest import domain


def ensure_indexes(db):
    db.sends.create_index([("period", ASCENDING), ("status", ASCENDING)])


class DigestStore:
    def __init__(self, db, outbox):
        self.db = db
        self.outbox = outbox

    # subscriptions
    def subscription(self, subscription_id):
        return self.db.subscriptions.find_one({"_id": subscription_id})

    def subscriptions(self):
        return list(self.db.subscriptions.find({}))

    def save_subscription(self, subscription):
        self.db.subscriptions.replace_one({"_id": subscription["_id"]}, subscription, upsert=True)

    def delete_subscription(self, subscription_id):
        return self.db.subscriptions.delete_one({"_id": subscription_id}).deleted_count == 1

    # the read model
    def view(self, idea_id):
        return self.db.ideas.find_one({"_id": idea_id}) or domain.empty_view(idea_id)

    def save_view(self, view):
        self.db.ideas.replace_one({"_id": view["_id"]}, view, upsert=True)

    def views(self):
        return list(self.db.ideas.find({}))

    # sends: inserting the unique `_id` is the claim (one runner wins); later changes run
    # under the send's lease
    def claim_send(self, subscription_id, period, run_id):
        send = {"_id": f"{subscription_id}:{period}", "subscription_id": subscription_id,
                "period": period, "status": "claimed", "run_id": run_id,
                "claimed_at": time.time(), "attempts": 0}
        try:
            return self.outbox.add("sends", send, [])
        except AlreadyExists:
            return None

    def send(self, send_id):
        return self.db.sends.find_one({"_id": send_id})

    def change_send(self, send_id, decide):
        return self.outbox.change("sends", send_id, decide)

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
