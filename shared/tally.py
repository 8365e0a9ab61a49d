"""Supports counted exactly once from the votes events, by any read model.

A `vote.cast` or `vote.retracted` event carries the person's `seq`, which grows with each
change of their support for that idea. A read model keeps one small document per (idea,
person) in its `supporters` collection: the newest seq it applied and whether it was a
support. The idea's document holds the count, moved by `$inc`, and the offset of the last
vote event applied to it: all of an idea's events share a partition, so offsets order them.

`fold_votes` takes the events of one partition together, in offset order: it reads their
supporters and the ideas' fences (two `_id $in` reads), works out each idea's change in
memory, moves each idea's count in one update whose filter is the fence (offsets not yet
applied), then records the supporters (one bulk write). A crash between the two writes leaves
the supporters as they were, so the redelivered events compute the same changes, which the
fences then refuse: each count moves once. An older or repeated seq moves nothing. The cost
does not grow with an idea's popularity, and shrinks per event as events come together.
"""
import hashlib

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

DUPLICATE_KEY = 11000


def person_key(voter_id):
    # A fixed-length key whatever an identity provider puts in `sub`.
    return hashlib.blake2b(voter_id.encode("utf-8"), digest_size=12).hexdigest()


def supporter_id(idea_id, voter_id):
    return f"{idea_id}:{person_key(voter_id)}"


def fold_votes(supporters, ideas, changes, count="vote_count", fence="votes_offset",
               also=None, fields=(), upsert=False):
    """Fold vote events into `ideas` (count and fence fields as named). `changes`: (payload,
    envelope) pairs of one partition, in offset order. `also(idea, moves)` adds update
    operators to an idea's update: `idea` is its document as read with the fence (its
    `fields` and the fence; None if absent), `moves` its (delta, known, envelope) changes,
    `known` the supporter as recorded before. `upsert`: create an idea's document if the read
    model has none yet. Returns {idea_id: change of its count} for the counts that moved."""
    if not changes:
        return {}
    keys = sorted({supporter_id(p["idea_id"], p["voter_id"]) for p, _ in changes})
    recorded = {doc["_id"]: doc for doc in supporters.find({"_id": {"$in": keys}})}
    idea_ids = sorted({p["idea_id"] for p, _ in changes})
    read = {doc["_id"]: doc for doc in ideas.find({"_id": {"$in": idea_ids}},
                                                   dict.fromkeys((fence, *fields), True))}
    moves, newest = {}, {}
    for payload, envelope in changes:
        key = supporter_id(payload["idea_id"], payload["voter_id"])
        known = recorded.get(key)
        if known is not None and known["seq"] >= payload["seq"]:
            continue  # older than, or the same as, what is recorded
        recorded[key] = newest[key] = {"_id": key, "seq": payload["seq"],
                                       "active": payload["active"], "at": envelope["time"]}
        applied = read.get(payload["idea_id"], {}).get(fence)
        delta = int(payload["active"]) - int(bool(known and known["active"]))
        if delta and (applied is None or envelope["position"]["offset"] > applied):
            moves.setdefault(payload["idea_id"], []).append((delta, known, envelope))
    for idea_id, idea_moves in moves.items():
        extra = also(read.get(idea_id), idea_moves) if also else {}
        _move_count(ideas, idea_id, idea_moves, count, fence, extra, upsert)
    _record(supporters, newest.values())
    return {idea_id: sum(m[0] for m in idea_moves) for idea_id, idea_moves in moves.items()}


def _move_count(ideas, idea_id, moves, count, fence, extra, upsert):
    first, last = (moves[0][2]["position"]["offset"], moves[-1][2]["position"]["offset"])
    update = {"$inc": {count: sum(delta for delta, _, _ in moves)}, "$set": {fence: last}}
    for operator, fields in extra.items():
        for name, value in fields.items():
            existing = update.setdefault(operator, {})
            existing[name] = existing.get(name, 0) + value if operator == "$inc" else value
    try:
        ideas.update_one({"_id": idea_id, fence: {"$not": {"$gte": first}}}, update,
                         upsert=upsert)
    except DuplicateKeyError:
        pass  # the document exists and the fence refused: applied before a crash


def _record(supporters, newest):
    """Each supporter's newest change, unless a newer one is there already."""
    updates = [UpdateOne({"_id": doc["_id"], "seq": {"$lt": doc["seq"]}},
                         {"$set": {k: v for k, v in doc.items() if k != "_id"}}, upsert=True)
               for doc in newest]
    if not updates:
        return
    try:
        supporters.bulk_write(updates, ordered=False)
    except BulkWriteError as error:
        others = [e for e in error.details["writeErrors"] if e["code"] != DUPLICATE_KEY]
        if others:
            raise
