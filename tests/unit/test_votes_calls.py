"""Supports of ideas answering a call for ideas: only in the call's supports phase (withdrawals
too), and at most the call's `support_cap` per person, learnt from the campaign events."""
import time
from types import SimpleNamespace

import pytest

from services.votes import consumer, handlers, places
from tests.unit.builders import (campaign_changed, envelope, make_campaign, make_idea, merged,
                                 submitted, unmerged)
from tests.unit.test_votes import answer, app, client, feed_idea, store, support  # noqa: F401


@pytest.fixture
def feed_call(store):  # noqa: F811
    """feed_call(campaign): the votes consumer reads the call's campaign event."""
    def feed(campaign):
        payload = campaign_changed(campaign)
        name = "campaign.created" if campaign["version"] == 1 else "campaign.updated"
        handlers.on_campaign_changed(payload, envelope(name, payload), store)
    return feed


@pytest.fixture
def idea_in(feed_idea):  # noqa: F811
    """idea_in(campaign) -> the id of a new idea of that call the votes service knows."""
    def make(campaign, title="Partager la carte des crues"):
        idea = make_idea(campaign_id=campaign["_id"], title=title)
        feed_idea("idea.submitted", submitted(idea))
        return idea["_id"]
    return make


def closed_supports(campaign):
    """The call, one version on, its supports closed since yesterday (evaluation now)."""
    later = make_campaign(proposals_from=-10, proposals_until=-3, supports_from=-10,
                          supports_until=-1, evaluation_until=5)
    return {**campaign, **{k: later[k] for k in ("proposals_from", "proposals_until",
                                                  "supports_from", "supports_until",
                                                  "evaluation_until")},
            "version": campaign["version"] + 1}


def test_an_idea_of_a_call_is_supported_during_its_supports_phase(
        support, feed_call, idea_in):  # noqa: F811
    campaign = make_campaign()
    feed_call(campaign)
    assert answer(support("PUT", idea_in(campaign)))["voted"] is True


def test_supports_closed_refuse_both_support_and_withdrawal_naming_the_phase(
        support, feed_call, idea_in, publisher):  # noqa: F811
    campaign = make_campaign()
    feed_call(campaign)
    idea_id = idea_in(campaign)
    answer(support("PUT", idea_id))
    feed_call(closed_supports(campaign))

    for method in ("PUT", "DELETE"):
        refused = support(method, idea_id, voter="carol" if method == "PUT" else "bob")
        assert refused.status_code == 409, method
        message = refused.get_json()["message"]
        assert "ne reçoit plus de soutiens" in message
        assert "phase actuelle : évaluation" in message
    assert publisher.types() == ["vote.cast.v1"]


def test_supports_not_yet_open_say_when_they_open(support, feed_call, idea_in):  # noqa: F811
    campaign = make_campaign(supports_from=3)
    feed_call(campaign)
    refused = support("PUT", idea_in(campaign))
    assert refused.status_code == 409
    assert "pas encore de soutiens" in refused.get_json()["message"]


def test_an_idea_whose_call_is_not_known_yet_is_unknown_until_it_is(
        support, feed_call, idea_in):  # noqa: F811
    campaign = make_campaign()
    idea_id = idea_in(campaign)  # the idea's event came first, from another topic

    assert support("PUT", idea_id).status_code == 404
    feed_call(campaign)
    answer(support("PUT", idea_id))


def test_an_older_or_repeated_call_event_changes_nothing(
        support, feed_call, idea_in, store):  # noqa: F811
    campaign = make_campaign()
    feed_call(campaign)
    idea_id = idea_in(campaign)
    closed = closed_supports(campaign)
    feed_call(closed)
    feed_call(campaign)  # version 1 again, delivered late
    feed_call(closed)  # version 2 twice

    assert store.campaign(campaign["_id"])["version"] == 2
    assert support("PUT", idea_id).status_code == 409


def test_a_call_cap_refuses_the_next_idea_of_the_call_naming_the_cap(
        support, feed_call, idea_in):  # noqa: F811
    campaign, other = make_campaign(support_cap=1), make_campaign(support_cap=1)
    feed_call(campaign)
    feed_call(other)
    first, second = idea_in(campaign), idea_in(campaign, title="Une autre idée de l'appel")

    answer(support("PUT", first))
    answer(support("PUT", first))  # a double click is no second support
    refused = support("PUT", second)
    assert refused.status_code == 409
    assert "Vous soutenez déjà 1 idée de cet appel" in refused.get_json()["message"]
    answer(support("PUT", idea_in(other)))  # another call has places of its own
    answer(support("PUT", second, voter="carol"))  # so has another person

    answer(support("DELETE", first))  # withdrawing frees the place
    answer(support("PUT", second))


@pytest.mark.parametrize("same_call", [True, False], ids=["same call", "another call"])
def test_a_support_a_merge_moves_takes_a_place_in_the_targets_call(
        support, feed_call, feed_idea, idea_in, store, publisher, same_call):  # noqa: F811
    campaign = make_campaign(support_cap=1)
    other = campaign if same_call else make_campaign(support_cap=1)
    for call in {campaign["_id"]: campaign, other["_id"]: other}.values():
        feed_call(call)
    duplicate, target, third = (make_idea(campaign_id=call["_id"], title=title) for call, title
                                in ((campaign, "Partager la carte des crues"),
                                    (other, "Une carte des crues commune"),
                                    (other, "Des capteurs de crue")))
    for idea in (duplicate, target, third):
        feed_idea("idea.submitted", submitted(idea))
    answer(support("PUT", duplicate["_id"]))

    payload = merged(duplicate, target)
    handlers.on_idea_merged(payload, envelope("idea.merged", payload), store, publisher.publish)

    refused = support("PUT", third["_id"])  # the target holds Bob's one place in its call
    assert refused.status_code == 409
    assert "Vous soutenez déjà 1 idée de cet appel" in refused.get_json()["message"]
    if not same_call:  # and the duplicate's call has its place free again
        answer(support("PUT", idea_in(campaign, title="Une idée de plus pour l'appel")))

    payload = unmerged(duplicate)
    handlers.on_idea_unmerged(payload, envelope("idea.unmerged", payload), store,
                              publisher.publish)
    # The place goes back to the duplicate, supported again: in one call, Bob's only place;
    # across two, the target's call has its place free.
    again = support("PUT", third["_id"])
    assert again.status_code == (409 if same_call else 200), again.get_json()


def test_a_place_taken_by_a_request_under_way_is_not_given_to_another(
        support, feed_call, idea_in, store, monkeypatch):  # noqa: F811
    """Two requests at once, interleaved at the worst point: the first has taken the call's
    last place and not yet written its support when the second looks for a place. A place
    whose support is missing looks free; the second must still be refused."""
    campaign = make_campaign(support_cap=1)
    feed_call(campaign)
    first, second = idea_in(campaign), idea_in(campaign, title="Une autre idée de l'appel")
    change_vote, meanwhile = store.change_vote, []

    def slow_change_vote(idea_id, *args, **kwargs):
        if idea_id == first and not meanwhile:
            meanwhile.append(support("PUT", second))
        return change_vote(idea_id, *args, **kwargs)
    monkeypatch.setattr(store, "change_vote", slow_change_vote)

    answer(support("PUT", first))
    assert meanwhile[0].status_code == 409
    assert [v["idea_id"] for v in store.supported_by("bob")] == [first]


def test_a_place_left_without_its_support_is_given_back_after_a_while(
        support, feed_call, idea_in, store, monkeypatch):  # noqa: F811
    """A request that took a place and died before writing its support does not hold it
    forever."""
    campaign = make_campaign(support_cap=1)
    feed_call(campaign)
    first, second = idea_in(campaign), idea_in(campaign, title="Une autre idée de l'appel")
    taken = time.time()
    store.call_places.take(f"{campaign['_id']}:bob", first, 1, now=taken)  # then it died

    assert support("PUT", second).status_code == 409  # too recent to tell from a request
    later = SimpleNamespace(time=lambda: taken + places.GRACE + 1)
    monkeypatch.setattr("services.votes.handlers.time", later)
    answer(support("PUT", second))


def test_the_consumer_reads_the_calls_and_a_replay_rebuilds_them(
        app, store, feed_call, config):  # noqa: F811
    campaign = make_campaign()
    feed_call(campaign)
    store.call_places.take(f"{campaign['_id']}:bob", "some-idea", 1)
    hub = app.extensions["hub"]

    built = consumer.build_consumer(hub)
    assert config.topic("campaigns") in built.topics  # a replay reads them from offset 0
    consumer.reset_projection(hub)
    assert store.campaign(campaign["_id"]) is None
    assert store.call_places.held(f"{campaign['_id']}:bob")  # the API's, not a projection
