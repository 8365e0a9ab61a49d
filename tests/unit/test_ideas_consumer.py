"""The ideas consumer: an idea's vote count follows the votes events, whatever their delivery."""
import pytest

from services.ideas import domain, handlers
from services.ideas.store import IdeaStore
from tests.unit.builders import envelope, make_idea, vote, vote_name


@pytest.fixture
def store(db, outbox):
    return IdeaStore(db, outbox)


@pytest.fixture
def idea_id(store):
    idea = make_idea()
    store.add(idea, [])
    return idea["_id"]


@pytest.fixture
def read(store):
    """read(payload): the ideas consumer reads one vote event."""
    def handle(payload):
        handlers.on_vote_changed(payload, envelope(vote_name(payload), payload), store)
    return handle


def vote_count(store, idea_id):
    return store.get(idea_id)["vote_count"]


def test_the_count_follows_supports_and_withdrawals(store, idea_id, read):
    read(vote(idea_id, "bob", seq=1, active=True))
    read(vote(idea_id, "carol", seq=1, active=True))
    assert vote_count(store, idea_id) == 2

    read(vote(idea_id, "bob", seq=2, active=False))
    assert vote_count(store, idea_id) == 1


def test_a_duplicated_event_is_counted_once(store, idea_id, read):
    cast = vote(idea_id, "bob", seq=1, active=True)
    for _ in range(3):
        read(cast)

    assert vote_count(store, idea_id) == 1


def test_a_late_older_event_cannot_undo_a_newer_one(store, idea_id, read):
    read(vote(idea_id, "bob", seq=3, active=True))
    read(vote(idea_id, "bob", seq=2, active=False))
    read(vote(idea_id, "carol", seq=2, active=False))
    read(vote(idea_id, "carol", seq=1, active=True))

    assert vote_count(store, idea_id) == 1


def test_supporters_stay_out_of_what_the_api_shows(store, idea_id, read):
    read(vote(idea_id, "bob"))

    assert "supporters" not in store.get(idea_id)
    assert store.get(idea_id, full=True)["supporters"]


def test_a_vote_for_an_unknown_idea_changes_nothing(store, read):
    read(vote("unknown-idea", "bob"))

    assert store.ids() == []


def test_forgetting_votes_resets_the_count_so_a_replay_rebuilds_it(store, idea_id, read):
    events = [vote(idea_id, "bob"), vote(idea_id, "carol"), vote(idea_id, "bob", 2, False)]
    for payload in events:
        read(payload)

    store.set_votes(idea_id, domain.forget_votes)
    assert vote_count(store, idea_id) == 0
    assert store.get(idea_id, full=True)["supporters"] == {}

    for payload in events:
        read(payload)
    assert vote_count(store, idea_id) == 1


def test_forget_votes_says_whether_there_was_anything_to_forget():
    idea = make_idea()
    assert domain.forget_votes(idea) is False

    domain.apply_vote(idea, "bob", 1, True, "2026-11-24T10:00:00.000Z")
    assert domain.forget_votes(idea) is True
    assert idea["vote_count"] == 0
