"""A manager's digest tells the calls for ideas live in their scope (new ideas, leading ideas,
ideas awaiting evaluation) and the implementation updates of the week ("Mise en œuvre")."""
from datetime import datetime, timezone

import pytest

from services.digest import domain, email, handlers
from services.digest.store import DigestStore
from tests.unit.builders import (WEEK, campaign_changed, envelope, evaluated,
                                 make_campaign, make_idea, make_subscription, progress_updated,
                                 submitted)

pytestmark = pytest.mark.unit

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)  # the first day of 2026-W48
EARLIER = "2026-11-16T10:00:00.000Z"  # in 2026-W47, the call already open


def known_call(store, **options):
    """A call whose proposals and supports opened the Sunday before 2026-W48, as the digest
    consumer keeps it."""
    campaign = make_campaign(now=MONDAY, **options)
    handlers.on_campaign_changed(campaign_changed(campaign), None, store)
    return campaign


@pytest.fixture
def store(db):
    return DigestStore(db)


def feed(store, name, payload, **kwargs):
    event = envelope(name, payload, **kwargs)
    handlers.on_idea_event(name, payload, event, store)
    return event


def content(store, subscription=None, period=WEEK):
    return domain.build(subscription or make_subscription(), period, store.views_in_scope(),
                        store.known_calls())


def test_a_digest_has_a_section_per_live_call_and_the_weeks_implementation_updates(
        store, config):
    call = known_call(store, evaluators=("eva", "ed"))
    new = make_idea(title="Partager la carte des crues", campaign_id=call["_id"])
    older = make_idea(title="Ouvrir les relevés <b>de hauteur</b>", campaign_id=call["_id"],
                      created_at=EARLIER)
    outside = make_idea(title="Des bancs à l'ombre")
    for idea in (new, older, outside):
        feed(store, "idea.submitted", submitted(idea))
    store.fold_votes([(v, envelope("vote.cast", v)) for v in (
        {"idea_id": older["_id"], "voter_id": f"p{n}", "seq": 1, "active": True}
        for n in range(3))])
    feed(store, "idea.evaluated", evaluated(older, 2))  # both evaluators: no longer waiting
    feed(store, "idea.evaluated", evaluated(new, 1))
    feed(store, "idea.progress_updated", progress_updated(
        outside, "Bancs commandés", 60, update="Livraison <i>en mars</i>."))

    found = content(store)

    [section] = found["calls"]
    assert section["title"] == call["title"] and section["phase"] == "proposals"
    assert section["closes_at"] == call["proposals_until"]
    assert section["new_count"] == 1 and [i["title"] for i in section["new_top"]] == [
        "Partager la carte des crues"]
    assert [(i["title"], i["vote_count"]) for i in section["leading"]] == [
        ("Ouvrir les relevés <b>de hauteur</b>", 3)]
    assert section["awaiting_evaluation"] == 1
    [update] = found["progress"]
    assert (update["title"], update["milestone"], update["percent"], update["owner"]) == (
        "Des bancs à l'ombre", "Bancs commandés", 60, "Service voirie")

    french = email.render(found, make_subscription(), config)
    assert "APPEL À IDÉES « " + call["title"] + " »" in french["text"]
    call_url = f"{config.public_url.rstrip('/')}/appels/{call['_id']}"
    assert call_url in french["text"] and f'href="{call_url}"' in french["html"]
    assert "Phase : propositions, jusqu'au 30 novembre 2026 à 10\u00a0h\u00a000" in \
        french["text"]
    assert "Idées en attente d'évaluation : 1" in french["text"]
    assert "MISE EN ŒUVRE : 1" in french["text"]
    assert "Bancs commandés (60 %), porté par Service voirie" in french["text"]
    assert "« Livraison <i>en mars</i>. »" in french["text"]  # as typed in the text part
    assert "Livraison &lt;i&gt;en mars&lt;/i&gt;." in french["html"]  # never markup
    assert "<b>de hauteur</b>" not in french["html"] and "Mise en œuvre" in french["html"]
    english = email.render(found, make_subscription(language="en"), config)
    assert "Phase: proposals, until 30 November 2026, 10:00 (Paris time)" in english["text"]
    assert "IMPLEMENTATION: 1" in english["text"] and "Ideas awaiting evaluation: 1" in \
        english["html"]


@pytest.mark.parametrize("call_units, subscribed, shown", [
    ((), ["Service voirie"], True),  # a call for everyone is in every scope
    (("Service urbanisme",), [], True),  # a scope without units is everything
    (("Service urbanisme", "Service eau"), ["service urbanisme"], True),  # any unit, any case
    (("Service urbanisme",), ["Service voirie"], False),
])
def test_a_call_is_in_the_scopes_of_its_units(store, call_units, subscribed, shown):
    known_call(store, units=call_units)
    unit = subscribed[0] if subscribed else "Service voirie"
    feed(store, "idea.submitted", submitted(make_idea(unit=unit)))  # news in the scope

    found = content(store, make_subscription(units=subscribed))

    assert bool(found["calls"]) is shown


@pytest.mark.parametrize("shift, live", [
    ({}, True),
    ({"proposals_from": 8, "supports_from": 8, "proposals_until": 9, "supports_until": 10,
      "evaluation_until": 11}, False),  # opens after the week
    ({"proposals_from": -30, "supports_from": -30, "proposals_until": -20,
      "supports_until": -10, "evaluation_until": -2}, False),  # over before it
    ({"proposals_from": -30, "supports_from": -30, "proposals_until": -20,
      "supports_until": -10, "evaluation_until": 3}, True),  # evaluated during it
])
def test_a_call_has_a_section_in_the_weeks_it_is_live(store, shift, live):
    known_call(store, evaluators=("eva",), **shift)
    feed(store, "idea.submitted", submitted(make_idea()))

    assert bool(content(store)["calls"]) is live


def test_ideas_await_evaluation_only_once_supports_have_opened(store):
    call = known_call(store, evaluators=("eva",), supports_from=10, proposals_until=12,
                      supports_until=14)
    feed(store, "idea.submitted", submitted(make_idea(campaign_id=call["_id"])))

    [section] = content(store)["calls"]
    assert section["awaiting_evaluation"] is None


def test_events_delivered_twice_are_counted_once(store):
    call = known_call(store, evaluators=("eva", "ed"))
    idea = make_idea(campaign_id=call["_id"])
    feed(store, "idea.submitted", submitted(idea))
    update = progress_updated(idea, "Premier jalon", 30)
    event = feed(store, "idea.progress_updated", update)
    handlers.on_idea_event("idea.progress_updated", update, event, store)  # redelivered
    scored = evaluated(idea, 1)
    feed(store, "idea.evaluated", scored)
    feed(store, "idea.evaluated", scored)
    older = campaign_changed({**call, "title": "Un titre d'avant", "version": 1})
    handlers.on_campaign_changed(campaign_changed({**call, "version": 2, "title": "Crues"}),
                                 None, store)
    handlers.on_campaign_changed(older, None, store)  # an older version, late

    found = content(store)
    assert found["progress_count"] == 1
    assert found["calls"][0]["awaiting_evaluation"] == 1
    assert found["calls"][0]["title"] == "Crues"


def test_a_progress_update_alone_makes_a_digest(store):
    idea = make_idea(created_at=EARLIER)
    feed(store, "idea.submitted", submitted(idea))
    assert content(store) is None
    feed(store, "idea.progress_updated", progress_updated(idea, "Livré", 100))
    assert content(store)["progress"][0]["percent"] == 100
