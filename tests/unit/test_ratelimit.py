"""shared.ratelimit on fakes: a sliding window per person and action."""
import pytest

from shared.ratelimit import RateLimited, RateLimits


@pytest.fixture
def limits(db):
    return RateLimits(db.rate_limits, {"comment": (2, 60)})


def test_the_limit_is_per_person_and_the_next_act_waits_for_the_oldest_to_expire(limits):
    limits.spend("comment", "alice", now=1000)
    limits.spend("comment", "alice", now=1010)
    limits.spend("comment", "bob", now=1010)

    with pytest.raises(RateLimited) as refused:
        limits.spend("comment", "alice", now=1020)
    assert refused.value.retry_after == 40  # the act of 1000 leaves the window at 1060

    limits.spend("comment", "alice", now=1061)


def test_a_refused_act_does_not_count(limits):
    limits.spend("comment", "alice", now=0)
    limits.spend("comment", "alice", now=1)
    for moment in (2, 3, 4):
        with pytest.raises(RateLimited):
            limits.spend("comment", "alice", now=moment)
    limits.spend("comment", "alice", now=61)  # only the acts of 0 and 1 ever counted


class CreatedBetween:
    """The rate-limit collection as a concurrent first act leaves it: the document is absent
    when this act's push looks for it, and present (with that act) when it reads it."""

    def __init__(self, collection, key, acts):
        self.collection, self.key, self.acts, self.pushes = collection, key, acts, 0

    def update_one(self, filter, update, **kwargs):
        if "$push" in update:
            self.pushes += 1
            if self.pushes == 1:
                result = self.collection.update_one(filter, update, **kwargs)
                self.collection.insert_one({"_id": self.key, "acts": self.acts})
                return result
        return self.collection.update_one(filter, update, **kwargs)

    def __getattr__(self, name):
        return getattr(self.collection, name)


def test_an_act_racing_the_first_act_counts_after_it(db):
    racing = CreatedBetween(db.rate_limits, "comment:alice", [999])
    limits = RateLimits(racing, {"comment": (2, 60)})

    limits.spend("comment", "alice", now=1000)

    assert sorted(db.rate_limits.find_one({"_id": "comment:alice"})["acts"]) == [999, 1000]
