"""The places a cap gives a person: one document per person (the hub's cap, `voters`) or per
call and person (a call's `support_cap`, `call_places`), listing the ideas that hold a place.

Taking a place is one conditional update whose filter is the cap: the list grows only while it
holds fewer than `cap` ideas, so two requests at once never both take the last place. Each
place records when it was taken: a place whose support is not (or no longer) given is given
back only after GRACE, because a request that has just taken one writes its support right
after — giving it back sooner would let a concurrent request take it too and pass the cap.
"""
import time

from pymongo.errors import DuplicateKeyError

# Far longer than a request between taking its place and writing its support.
GRACE = 60.0


class Places:
    def __init__(self, collection):
        self.collection = collection

    def take(self, key, idea_id, cap, now=None):
        """Hold one of `key`'s `cap` places for `idea_id`; False if all are taken."""
        now = time.time() if now is None else now
        try:
            result = self.collection.update_one(
                {"_id": key, f"open.{cap - 1}": {"$exists": False}},
                {"$addToSet": {"open": idea_id}, "$set": {f"since.{idea_id}": now}},
                upsert=True)
            return True if result.upserted_id else result.matched_count == 1
        except DuplicateKeyError:  # it exists and is full
            return idea_id in self.held(key)

    def held(self, key):
        """{idea_id: when its place was taken} (0 for places older than the record)."""
        doc = self.collection.find_one({"_id": key}) or {}
        since = doc.get("since") or {}
        return {idea_id: since.get(idea_id, 0) for idea_id in doc.get("open", [])}

    def give(self, key, idea_id, now=None):
        """A place for `idea_id` whatever the cap: a merge's support keeps the place its
        duplicate held (handlers.on_idea_merged), and a person past a call's cap that way
        gives no new support in it until they withdraw one."""
        now = time.time() if now is None else now
        self.collection.update_one({"_id": key}, {"$addToSet": {"open": idea_id},
                                                  "$set": {f"since.{idea_id}": now}},
                                   upsert=True)

    def free(self, key, idea_ids):
        if idea_ids:
            self.collection.update_one(
                {"_id": key}, {"$pull": {"open": {"$in": list(idea_ids)}},
                               "$unset": {f"since.{i}": "" for i in idea_ids}})

    def free_if_stale(self, key, idea_id, since):
        """Give back a place still taken at `since` (not taken again meanwhile)."""
        taken = {f"since.{idea_id}": since} if since else {f"since.{idea_id}": {"$exists": False}}
        self.collection.update_one({"_id": key, **taken},
                                   {"$pull": {"open": idea_id},
                                    "$unset": {f"since.{idea_id}": ""}})
