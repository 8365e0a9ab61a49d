"""The votes service on fakes: one support per person, idempotent, only while an idea is open."""
import pytest

from services.votes import handlers
from tests.unit.builders import envelope, make_idea, status_changed, submitted, vote, vote_name


@pytest.fixture
def app(make_app):
    return make_app("votes")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(app):
    return app.extensions["hub"].extra["votes"]


@pytest.fixture
def feed_idea(store):
    """feed_idea(name, payload): the votes consumer reads an idea event."""
    def feed(name, payload):
        handlers.on_idea_event(payload, envelope(name, payload), store)
    return feed


@pytest.fixture
def feed_vote(store):
    """feed_vote(payload): the votes consumer reads a vote event."""
    def feed(payload):
        handlers.on_votes_changed([(payload, envelope(vote_name(payload), payload))], store)
    return feed


@pytest.fixture
def idea(feed_idea):
    """An idea the votes service has learnt about from its idea.submitted event."""
    idea = make_idea()
    feed_idea("idea.submitted", submitted(idea))
    return idea


@pytest.fixture
def support(client, auth):
    """support(method, idea_id, voter="bob") -> the response of /api/votes/<idea_id>."""
    def call(method, idea_id, voter="bob"):
        return client.open(f"/api/votes/{idea_id}", method=method, headers=auth(voter))
    return call


def answer(response, code=200):
    assert response.status_code == code, response.get_json()
    return response.get_json()


def test_supporting_an_open_idea_counts_it_and_publishes_vote_cast(support, idea, publisher):
    assert answer(support("PUT", idea["_id"])) == {"idea_id": idea["_id"], "voted": True,
                                                    "count": 1}
    assert publisher.types() == ["vote.cast.v1"]
    data = publisher.events[0]["data"]
    assert {**data, "seq": None} == vote(idea["_id"], "bob", seq=None, active=True)
    assert data["seq"] > 0


def test_a_double_click_answers_the_same_and_publishes_nothing_more(support, idea, publisher):
    first = answer(support("PUT", idea["_id"]))

    assert answer(support("PUT", idea["_id"])) == first
    assert publisher.types() == ["vote.cast.v1"]


def test_withdrawing_uncounts_it_and_publishes_vote_retracted(support, idea, publisher):
    support("PUT", idea["_id"])

    assert answer(support("DELETE", idea["_id"])) == {"idea_id": idea["_id"], "voted": False,
                                                       "count": 0}
    assert publisher.types() == ["vote.cast.v1", "vote.retracted.v1"]
    cast, retracted = (event["data"] for event in publisher.events)
    assert {**retracted, "seq": None} == vote(idea["_id"], "bob", seq=None, active=False)
    # Readers keep the newest seq: the retraction must come after the cast.
    assert retracted["seq"] > cast["seq"]


def test_a_seq_grows_even_when_the_clock_lags_behind_the_last_change(
        support, idea, publisher, monkeypatch):
    support("PUT", idea["_id"])
    monkeypatch.setattr("services.votes.store.new_seq", lambda: 1)  # a clock far behind

    support("DELETE", idea["_id"])

    cast, retracted = (event["data"] for event in publisher.events)
    assert retracted["seq"] > cast["seq"]


def test_withdrawing_a_support_never_given_publishes_nothing(support, idea, publisher):
    assert answer(support("DELETE", idea["_id"]))["voted"] is False
    assert publisher.events == []


def test_get_tells_whether_i_support_and_the_count_read_from_the_events(
        support, idea, publisher, feed_vote):
    support("PUT", idea["_id"], voter="carol")
    feed_vote(publisher.events[0]["data"])

    assert answer(support("GET", idea["_id"], voter="bob")) == {
        "idea_id": idea["_id"], "voted": False, "count": 1}
    assert answer(support("GET", idea["_id"], voter="carol"))["voted"] is True


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_an_idea_never_announced_is_404(support, method):
    response = support(method, "never-heard-of")

    assert answer(response, 404)["message"]


def test_supporting_without_a_token_is_401(client, idea):
    assert client.put(f"/api/votes/{idea['_id']}").status_code == 401


def test_supporting_a_closed_idea_is_409_with_the_reason(support, idea, feed_idea, publisher):
    feed_idea("idea.status_changed", status_changed(idea, "rejected", "Hors budget."))

    body = answer(support("PUT", idea["_id"]), 409)

    assert "refusée" in body["message"]
    assert publisher.events == []


def test_an_older_idea_event_does_not_reopen_a_closed_idea(support, feed_idea):
    idea = make_idea()
    opened = submitted(idea)
    closed = status_changed(idea, "rejected")
    feed_idea("idea.status_changed", closed)
    feed_idea("idea.submitted", opened)  # redelivered late

    assert support("PUT", idea["_id"]).status_code == 409


def test_a_newer_idea_event_reopens_a_closed_idea(support, idea, feed_idea):
    feed_idea("idea.status_changed", status_changed(idea, "rejected"))
    feed_idea("idea.status_changed", status_changed(idea, "under_review"))

    assert answer(support("PUT", idea["_id"]))["voted"] is True


def tally(store, idea_id):
    # No field until a vote event moved the count.
    return store.idea(idea_id).get("count", 0)


def test_a_redelivered_vote_event_counts_once(store, idea, feed_vote):
    cast = vote(idea["_id"], "bob", seq=1, active=True)
    feed_vote(cast)
    feed_vote(cast)

    assert tally(store, idea["_id"]) == 1


def test_a_retraction_read_before_its_older_cast_ends_uncounted(store, idea, feed_vote):
    feed_vote(vote(idea["_id"], "bob", seq=2, active=False))
    feed_vote(vote(idea["_id"], "bob", seq=1, active=True))

    assert tally(store, idea["_id"]) == 0


def test_votes_read_before_their_idea_are_kept_for_it(store, feed_idea, feed_vote):
    idea = make_idea()
    feed_vote(vote(idea["_id"], "bob"))
    feed_idea("idea.submitted", submitted(idea))

    assert tally(store, idea["_id"]) == 1


def test_an_author_does_not_support_their_own_idea(idea, support):
    own = support("PUT", idea["_id"], voter=idea["author"]["id"])

    assert own.status_code == 409 and "votre idée" in own.get_json()["message"]
    assert support("PUT", idea["_id"]).status_code == 200  # a colleague does
