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
