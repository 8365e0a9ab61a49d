"""The ideas consumer: an idea's count and trend follow the votes and comment events, whatever
their delivery, and the lists learn each changed idea's row."""
import json

import pytest

from services.ideas import domain, handlers
from services.ideas.store import IdeaStore
from tests.unit.builders import AUTHOR, DURING, envelope, make_idea, vote, vote_name


@pytest.fixture
def store(db):
    return IdeaStore(db, feed=lambda: [])


@pytest.fixture
def idea_id(store):
    idea = make_idea()
    store.add(idea, [])
    return idea["_id"]


@pytest.fixture
def read(store, rows):
    """read(payload, offset=None): the ideas consumer reads one vote event (at the next
    offset of its partition unless given: a redelivery comes with the same one)."""
    def handle(payload, offset=None):
        handlers.on_votes_changed(
            [(payload, envelope(vote_name(payload), payload, offset=offset))], store, rows)
    return handle


def vote_count(store, idea_id):
    return store.get(idea_id)["vote_count"]


def test_the_count_follows_supports_and_withdrawals(store, idea_id, read):
    read(vote(idea_id, "bob", seq=1, active=True))
    read(vote(idea_id, "carol", seq=1, active=True))
    assert vote_count(store, idea_id) == 2

    read(vote(idea_id, "bob", seq=2, active=False))
    assert vote_count(store, idea_id) == 1


def test_an_event_published_twice_is_counted_once(store, idea_id, read):
    cast = vote(idea_id, "bob", seq=1, active=True)
    for _ in range(3):
        read(cast)  # the relay sent it again: a copy at a later offset

    assert vote_count(store, idea_id) == 1


def test_an_event_redelivered_at_its_offset_is_counted_once(store, idea_id, read):
    cast = vote(idea_id, "bob", seq=1, active=True)
    read(cast, offset=7)
    read(cast, offset=7)

    assert vote_count(store, idea_id) == 1


def test_a_late_older_event_cannot_undo_a_newer_one(store, idea_id, read):
    read(vote(idea_id, "bob", seq=3, active=True))
    read(vote(idea_id, "bob", seq=2, active=False))
    read(vote(idea_id, "carol", seq=2, active=False))
    read(vote(idea_id, "carol", seq=1, active=True))

    assert vote_count(store, idea_id) == 1


def test_who_supports_an_idea_stays_out_of_what_the_api_shows(store, idea_id, read):
    read(vote(idea_id, "bob-the-voter"))

    assert "bob-the-voter" not in json.dumps(domain.public(store.get(idea_id)))


def test_a_vote_for_an_unknown_idea_changes_nothing(store, read):
    read(vote("unknown-idea", "bob"))

    assert store.collection.count_documents({}) == 0


def test_a_support_warms_the_trend_and_its_withdrawal_cools_it_back(store, idea_id, read):
    cold = store.get(idea_id)["trend"]
    read(vote(idea_id, "bob", seq=1))
    warm = store.get(idea_id)["trend"]
    read(vote(idea_id, "bob", seq=2, active=False))

    assert warm > cold
    assert store.get(idea_id)["trend"] == pytest.approx(cold)


def test_a_comment_warms_the_trend_once_however_often_it_is_delivered(store, rows):
    idea = make_idea()
    store.add(idea, [])
    payload = domain.event_data(idea, comment_id="c-1", author=AUTHOR, created_at=DURING)
    comment = envelope("comment.added", payload, offset=3)
    handlers.on_comment_added(payload, comment, store, rows)
    once = store.get(idea["_id"])["trend"]
    handlers.on_comment_added(payload, comment, store, rows)  # redelivered

    assert once > idea["trend"]
    assert store.get(idea["_id"])["trend"] == once


def test_each_counted_event_gives_the_idea_a_newer_rev_and_publishes_its_row(
        store, idea_id, read, rows):
    # The lists keep the row of the highest rev: a change they must see has to raise it.
    before = store.get(idea_id)["rev"]
    read(vote(idea_id, "bob"))

    assert store.get(idea_id)["rev"] > before
    assert rows.published == [idea_id]


def test_forgetting_votes_resets_the_count_so_a_replay_rebuilds_it(store, idea_id, read):
    # A replay reads the same events at the same offsets.
    events = [vote(idea_id, "bob"), vote(idea_id, "carol"), vote(idea_id, "bob", 2, False)]
    for offset, payload in enumerate(events):
        read(payload, offset=offset)

    store.forget_votes(domain.forgotten_votes)
    assert vote_count(store, idea_id) == 0

    for offset, payload in enumerate(events):
        read(payload, offset=offset)
    assert vote_count(store, idea_id) == 1


def test_forgetting_votes_leaves_the_trend_of_an_idea_nobody_supported(store, read):
    idea = make_idea()
    store.add(idea, [])
    read(vote(idea["_id"], "bob", seq=1))
    read(vote(idea["_id"], "carol", seq=1))

    store.forget_votes(domain.forgotten_votes)

    assert store.get(idea["_id"])["trend"] == idea["trend"]
