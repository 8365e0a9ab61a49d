"""Who supports an idea, as every read model of the votes events keeps it.

A `vote.cast` or `vote.retracted` event carries the person's `seq`, which grows with each
change of their support for that idea. A read model keeps, per person, the newest seq and
whether it was a support; an older or repeated event changes nothing. So a redelivered,
duplicated or reordered event cannot move a count: the count is the number of supporters.
"""
import hashlib


def person_key(voter_id):
    # Field names cannot hold every character an identity provider may put in `sub` ('.', '$').
    return hashlib.blake2b(voter_id.encode("utf-8"), digest_size=12).hexdigest()


def apply_support(supporters, voter_id, seq, active, at=None):
    """Record one change in `supporters` (a dict, changed in place); True if it was news.
    `at`, the event's time, is kept for the readers that weigh supports by age."""
    key = person_key(voter_id)
    known = supporters.get(key)
    if known is not None and known["seq"] >= seq:
        return False
    supporters[key] = {"id": voter_id, "seq": seq, "active": active, "at": at}
    return True


def active_times(supporters):
    return [s["at"] for s in supporters.values() if s["active"] and s.get("at")]


def count(supporters):
    return sum(1 for s in supporters.values() if s["active"])
