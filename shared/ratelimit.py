"""Per-person rate limits: at most `limit` acts in any sliding `window` of seconds.

One document per (action, person) holds the times of the acts still in the window. An act is
one conditional `$push`: its filter says the list has fewer than `limit` entries, so two acts
at once can never both pass the limit. Acts that left the window are pulled first. Two round
trips by `_id`, whatever the number of people."""
import time

from pymongo.errors import DuplicateKeyError


class RateLimited(Exception):
    def __init__(self, retry_after):
        super().__init__(retry_after)
        self.retry_after = max(1, int(retry_after + 0.999))


class RateLimits:
    def __init__(self, collection, rules):
        """`rules`: action -> (limit, window in seconds)."""
        self.collection = collection
        self.rules = rules

    def spend(self, action, person_id, now=None):
        """Record one act, or raise RateLimited with the seconds to wait."""
        limit, window = self.rules[action]
        now = time.time() if now is None else now
        key = f"{action}:{person_id}"
        self.collection.update_one({"_id": key}, {"$pull": {"acts": {"$lte": now - window}}})
        while True:
            pushed = self.collection.update_one(
                {"_id": key, f"acts.{limit - 1}": {"$exists": False}}, {"$push": {"acts": now}})
            if pushed.matched_count:
                return
            held = self.collection.find_one({"_id": key})
            if held is None:  # the person's first act: create the document with it
                try:
                    self.collection.insert_one({"_id": key, "acts": [now]})
                    return
                except DuplicateKeyError:  # another first act won: count this one after it
                    continue
            if len(held["acts"]) < limit:  # another first act created it since: push again
                continue
            acts = sorted(held["acts"])
            # One more act fits once all but limit - 1 of them have left the window.
            raise RateLimited(acts[len(acts) - limit] + window - now)
