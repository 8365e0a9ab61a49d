"""Per-person rate limits: at most `limit` acts in any sliding `window` of seconds.

Each act is one inserted document (inserts are what FerretDB v1 does atomically); the acts of
the window are then counted. Two acts at once may both be refused at the edge, never both let
through past the limit. Old acts are deleted as the person acts again."""
import time
import uuid


class RateLimited(Exception):
    def __init__(self, retry_after):
        super().__init__(retry_after)
        self.retry_after = max(1, int(retry_after + 0.999))


class RateLimits:
    def __init__(self, collection, rules):
        """`rules`: action -> (limit, window in seconds)."""
        self.collection = collection
        self.rules = rules

    def ensure_indexes(self):
        self.collection.create_index([("key", 1), ("at", 1)])

    def spend(self, action, person_id, now=None):
        """Record one act, or raise RateLimited with the seconds to wait."""
        limit, window = self.rules[action]
        now = time.time() if now is None else now
        key = f"{action}:{person_id}"
        self.collection.delete_many({"key": key, "at": {"$lte": now - window}})
        act = {"_id": uuid.uuid4().hex, "key": key, "at": now}
        self.collection.insert_one(act)
        others = sorted(d["at"] for d in self.collection.find({"key": key}, {"at": True})
                        if d["_id"] != act["_id"])
        if len(others) >= limit:
            self.collection.delete_one({"_id": act["_id"]})
            # One more act fits once all but limit - 1 of the others have left the window.
            raise RateLimited(others[len(others) - limit] + window - now)
