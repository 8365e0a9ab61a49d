"""shared.tally.fold_votes: every read model counts each person's support exactly once,
whatever the delivery (redelivered, copied by the relay, late, or cut by a crash)."""
import itertools

import pytest

from shared import tally
from tests.unit.builders import envelope, vote, vote_name

IDEA = "idea-1"


def fold_vote(supporters, ideas, payload, envelope, **options):
    """One vote event folded alone; the change of its idea's count."""
    return tally.fold_votes(supporters, ideas, [(payload, envelope)], **options).get(
        payload["idea_id"], 0)


@pytest.fixture
def fold(db):
    """fold(payload, offset=None, supporters=db.supporters): one vote event read by a read
    model whose ideas are `db.ideas`; returns the change of the count."""
    db.ideas.insert_one({"_id": IDEA, "vote_count": 0})

    def run(payload, offset=None, supporters=None):
        return fold_vote(db.supporters if supporters is None else supporters, db.ideas,
                               payload, envelope(vote_name(payload), payload, offset=offset))
    return run


@pytest.fixture
def count(db):
    return lambda: db.ideas.find_one({"_id": IDEA})["vote_count"]


def test_a_support_counts_once(fold, count):
    assert fold(vote(IDEA, "bob")) == 1
    assert fold(vote(IDEA, "carol")) == 1
    assert count() == 2


def test_a_redelivered_event_at_the_same_offset_counts_once(fold, count):
    cast = vote(IDEA, "bob")
    fold(cast, offset=5)

    assert fold(cast, offset=5) == 0
    assert count() == 1


def test_a_copy_published_again_by_the_relay_counts_once(fold, count):
    cast = vote(IDEA, "bob")
    fold(cast, offset=5)

    assert fold(cast, offset=9) == 0
    assert count() == 1


def test_a_retraction_uncounts(fold, count):
    fold(vote(IDEA, "bob", seq=1))

    assert fold(vote(IDEA, "bob", seq=2, active=False)) == -1
    assert count() == 0


@pytest.mark.parametrize("stale_seq", [1, 2])
def test_a_change_not_newer_than_the_known_one_changes_nothing(fold, count, stale_seq):
    fold(vote(IDEA, "bob", seq=2, active=False))

    assert fold(vote(IDEA, "bob", seq=stale_seq, active=True)) == 0
    assert count() == 0


class CrashOnce:
    """The supporters collection of a consumer killed once, just before recording one."""

    def __init__(self, collection):
        self.collection = collection
        self.crashed = False

    def find(self, *args, **kwargs):
        return self.collection.find(*args, **kwargs)

    def bulk_write(self, *args, **kwargs):
        if not self.crashed:
            self.crashed = True
            raise RuntimeError("consumer killed")
        return self.collection.bulk_write(*args, **kwargs)


def test_a_crash_between_the_count_and_the_supporter_then_redelivery_counts_once(
        db, fold, count):
    cast = vote(IDEA, "bob")
    with pytest.raises(RuntimeError):
        fold(cast, offset=5, supporters=CrashOnce(db.supporters))
    assert count() == 1  # the count moved, the supporter is not recorded

    fold(cast, offset=5)  # the offset was not committed: the same event again
    fold(cast, offset=5)

    assert count() == 1
    assert fold(vote(IDEA, "bob", seq=2, active=False)) == -1  # the supporter is known


def test_voter_ids_with_dots_and_dollars_are_kept_apart(fold, count):
    for voter in ("a.b", "a$b", "ab", "$ab"):
        fold(vote(IDEA, voter))
    fold(vote(IDEA, "a.b", seq=2, active=False))

    assert count() == 3


def test_the_extra_operators_ride_with_the_count_and_are_fenced_with_it(db):
    db.ideas.insert_one({"_id": IDEA, "vote_count": 0})
    cast = vote(IDEA, "bob")
    seen = []

    def also(idea, moves):
        seen.append([(delta, known) for delta, known, _ in moves])
        return {"$inc": {"heat": 10 * sum(delta for delta, _, _ in moves)}}
    for _ in range(2):  # redelivered after the count, before the supporter was recorded
        db.supporters.drop()
        fold_vote(db.supporters, db.ideas, cast, envelope("vote.cast", cast, offset=3),
                        also=also)

    assert db.ideas.find_one({"_id": IDEA})["heat"] == 10
    assert seen[0] == [(1, None)]


def test_events_folded_together_move_each_idea_once_with_their_sum(db):
    db.ideas.insert_many([{"_id": "a", "vote_count": 0}, {"_id": "b", "vote_count": 0}])
    changes = [vote("a", "bob"), vote("b", "bob"), vote("a", "carol"),
               vote("a", "bob", seq=2, active=False), vote("a", "dan"), vote("a", "carol")]
    events = [(c, envelope(vote_name(c), c, offset=n)) for n, c in enumerate(changes, 10)]
    moved = tally.fold_votes(db.supporters, db.ideas, events)

    assert moved == {"a": 2, "b": 1}  # the repeated carol counts once; bob came and went
    assert [db.ideas.find_one({"_id": i})["vote_count"] for i in "ab"] == [2, 1]
    assert tally.fold_votes(db.supporters, db.ideas, events) == {}  # redelivered: nothing


def test_with_upsert_a_vote_read_before_its_idea_is_counted_for_it(db):
    cast = vote("not-yet-known", "bob")

    fold_vote(db.supporters, db.ideas, cast, envelope("vote.cast", cast), upsert=True)

    assert db.ideas.find_one({"_id": "not-yet-known"})["vote_count"] == 1


CHANGES = [("bob", 1, True), ("carol", 1, True), ("bob", 2, False), ("dan", 1, True),
           ("carol", 2, False), ("carol", 3, True), ("bob", 3, True), ("dan", 2, False)]


def test_any_arrival_order_and_duplicates_end_at_the_same_count(db, fold, count):
    # bob and carol support in the end, dan withdrew
    for order in itertools.islice(itertools.permutations(CHANGES), 0, None, 997):
        db.supporters.drop()
        db.ideas.update_one({"_id": IDEA}, {"$set": {"vote_count": 0},
                                            "$unset": {"votes_offset": ""}})
        for voter, seq, active in order + order[:3]:
            fold(vote(IDEA, voter, seq, active))
        assert count() == 2, order
