"""Supports counted exactly once from the votes events, by any read model.

A `vote.cast` or `vote.retracted` event carries the person's `seq`, which grows with each
change of their support for that idea. A read model keeps one small document per (idea,
person) in its `supporters` collection: the newest seq it applied and whether it was a
support. The idea's document holds the count, moved by `$inc`, and the offset of the last
vote event applied to it: all of an idea's events share a partition, so offsets order them.

`fold_vote` writes in this order: read the supporter, then move the count in one update whose
filter is the fence (offset not yet applied), then record the supporter. A crash between the
two writes leaves the supporter as it was, so the redelivered event computes the same change,
which the fence then refuses: the count moves once. An older or repeated seq moves nothing.
The cost does not grow with the idea's popularity: three small round trips per event.
"""
import hashlib

from pymongo.errors import DuplicateKeyError

# The offset field a fence starts from: no event has a lower offset.
NOTHING_APPLIED = -1


def person_key(voter_id):
    # A fixed-length key whatever an identity provider puts in `sub`.
    return hashlib.blake2b(voter_id.encode("utf-8"), digest_size=12).hexdigest()


def supporter_id(idea_id, voter_id):
    return f"{idea_id}:{person_key(voter_id)}"


def fold_vote(supporters, ideas, payload, envelope, count="vote_count", fence="votes_offset",
              also=None, upsert=False):
    """Fold one vote event into `ideas` (count and fence fields as named). `also(delta,
    known)` adds update operators to the count's update (`known`: the supporter as recorded
    before, or None). `upsert`: create the idea's document if the read model has none yet.
    Returns the change of the count (-1, 0 or 1); 0 also for a stale or repeated event."""
    key = supporter_id(payload["idea_id"], payload["voter_id"])
    known = supporters.find_one({"_id": key})
    if known is not None and known["seq"] >= payload["seq"]:
        return 0
    delta = int(payload["active"]) - int(bool(known and known["active"]))
    if delta:
        offset = envelope["position"]["offset"]
        update = {"$inc": {count: delta}, "$set": {fence: offset}}
        for operator, fields in (also(delta, known) if also else {}).items():
            update.setdefault(operator, {}).update(fields)
        try:
            ideas.update_one({"_id": payload["idea_id"], fence: {"$not": {"$gte": offset}}},
                             update, upsert=upsert)
        except DuplicateKeyError:
            pass  # the document exists and the fence refused: applied before a crash
    try:
        supporters.update_one({"_id": key, "seq": {"$lt": payload["seq"]}}, {"$set": {
            "seq": payload["seq"], "active": payload["active"], "at": envelope["time"]}},
            upsert=True)
    except DuplicateKeyError:
        pass  # a newer change of this person's support is recorded already
    return delta


def known_supporter(supporters, idea_id, voter_id):
    return supporters.find_one({"_id": supporter_id(idea_id, voter_id)})
