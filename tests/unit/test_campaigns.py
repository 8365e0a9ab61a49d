"""Calls for ideas: their phases from their dates (Paris time, across daylight-saving
changes), and the API that creates, changes and lists them and takes ideas into them."""

import pytest

from shared import phases
from tests.helpers import call_dates

pytestmark = pytest.mark.unit


def call(**dates):
    base = {"title": "Crues et données", "proposals_from": "2026-10-20T09:00",
            "proposals_until": "2026-10-25T12:00", "supports_from": "2026-10-20T09:00",
            "supports_until": "2026-11-01T00:00", "evaluation_until": "2026-11-15T00:00"}
    base.update(dates)
    return {k: (phases.utc(v) if k in phases.DATES else v) for k, v in base.items()}


def test_a_time_without_offset_is_paris_time_on_both_sides_of_a_daylight_saving_change():
    # Summer time ends in Paris on 25 October 2026 at 03:00 (UTC+2 -> UTC+1).
    assert phases.utc("2026-10-24T12:00") == "2026-10-24T10:00:00.000Z"
    assert phases.utc("2026-10-25T12:00") == "2026-10-25T11:00:00.000Z"
    # ... and starts again on 28 March 2027 at 02:00 (UTC+1 -> UTC+2).
    assert phases.utc("2027-03-27T18:00") == "2027-03-27T17:00:00.000Z"
    assert phases.utc("2027-03-28T18:00") == "2027-03-28T16:00:00.000Z"
    assert phases.utc("2026-10-25T12:00+02:00") == "2026-10-25T10:00:00.000Z"


def test_proposals_close_at_noon_paris_time_the_day_summer_time_ends():
    campaign = call()
    assert phases.phase(campaign, "2026-10-25T10:59:59.999Z") == "proposals"
    phases.check_proposals(campaign, "2026-10-25T10:59:59.999Z")
    assert phases.phase(campaign, "2026-10-25T11:00:00.000Z") == "supports"
    with pytest.raises(phases.PhaseClosed) as refused:
        phases.check_proposals(campaign, "2026-10-25T11:00:00.000Z")
    assert refused.value.phase == "supports"
    assert "le 25 octobre 2026 à 12\u00a0h\u00a000" in str(refused.value)
    assert "le 20 octobre 2026 à 9\u00a0h\u00a000" in str(refused.value)
    assert "phase actuelle : soutiens" in str(refused.value)


def test_a_call_moves_through_its_phases_in_order():
    campaign = call()
    seen = [phases.phase(campaign, phases.utc(t)) for t in (
        "2026-10-20T08:59", "2026-10-20T09:00", "2026-10-25T12:00", "2026-11-01T00:00",
        "2026-11-15T00:00")]
    assert seen == ["upcoming", "proposals", "supports", "evaluation", "results"]
    assert phases.state(campaign, phases.utc("2026-10-22T00:00")) == "open"
    assert phases.next_change(campaign, phases.utc("2026-10-22T00:00")) == \
        campaign["proposals_until"]
    assert phases.next_change(campaign, phases.utc("2026-12-01T00:00")) is None


def test_supports_refused_before_they_open_say_when_they_will():
    campaign = call(supports_from="2026-10-22T09:00")
    with pytest.raises(phases.PhaseClosed) as refused:
        phases.check_supports(campaign, phases.utc("2026-10-21T09:00"))
    assert "pas encore de soutiens" in str(refused.value)
    assert "le 22 octobre 2026 à 9\u00a0h\u00a000" in str(refused.value)
    assert "au 1er novembre 2026 à 0\u00a0h\u00a000" in str(refused.value)


@pytest.mark.parametrize("field, value", [
    ("proposals_until", "2026-10-20T09:00"), ("supports_from", "2026-10-19T09:00"),
    ("supports_from", "2026-10-26T09:00"), ("supports_until", "2026-10-24T00:00"),
    ("evaluation_until", "2026-10-31T00:00")])
def test_dates_out_of_order_are_named(field, value):
    assert field in phases.dates_problems(call(**{field: value}))


# ---- the API ----

def campaign_in(**overrides):
    return {"title": "Données et risques d'inondation",
            "question": "Comment les données sur les crues peuvent-elles servir ailleurs ?",
            **call_dates(), **overrides}


@pytest.fixture
def app(make_app):
    return make_app("ideas")


@pytest.fixture
def client(app):
    return app.test_client()


def create(client, auth, **overrides):
    response = client.post("/api/campaigns", json=campaign_in(**overrides),
                           headers=auth("mod", roles=("agent", "moderator")))
    assert response.status_code == 201, response.json
    return response.json


def propose(client, auth, campaign_id, sub="alice", unit="Service urbanisme"):
    return client.post("/api/ideas", headers=auth(sub, unit=unit), json={
        "title": "Partager la carte des crues", "body": "Avec les services de voirie.",
        "campaign_id": campaign_id})


def test_a_moderator_launches_a_call_and_everyone_reads_its_phase(client, auth, publisher):
    created = create(client, auth)
    assert created["phase"] == "proposals" and created["state"] == "open"
    assert created["criteria"][0]["key"] == "impact"
    assert created["figures"] == {"ideas": 0, "supporters": 0, "units": 0}
    assert publisher.types() == ["campaign.created.v1"]
    read = client.get(f"/api/campaigns/{created['id']}", headers=auth("bob")).json
    assert read["question"] == created["question"]


def test_only_moderators_launch_calls(client, auth):
    refused = client.post("/api/campaigns", json=campaign_in(), headers=auth("alice"))
    assert refused.status_code == 403


def test_a_call_needs_its_question_and_dates_in_order(client, auth):
    moderator = auth("mod", roles=("agent", "moderator"))
    missing = client.post("/api/campaigns", json={"title": "Sans dates"}, headers=moderator)
    assert missing.status_code == 422
    assert {"question", "proposals_from", "evaluation_until"} <= set(missing.json["errors"])
    late = call_dates()
    disordered = client.post("/api/campaigns", headers=moderator, json=campaign_in(
        evaluation_until=late["proposals_from"]))
    assert disordered.status_code == 422
    assert "evaluation_until" in disordered.json["errors"]


def test_calls_are_listed_open_upcoming_and_closed(client, auth):
    open_ = create(client, auth, title="Ouvert aujourd'hui")
    upcoming = create(client, auth, title="Ouvre bientôt", **call_dates(
        proposals_from=3, supports_from=3))
    closed = create(client, auth, title="Clos déjà", **call_dates(
        proposals_from=-30, proposals_until=-20, supports_from=-30, supports_until=-10,
        evaluation_until=-5))
    listed = client.get("/api/campaigns", headers=auth("bob")).json["items"]
    assert [c["id"] for c in listed] == [open_["id"], upcoming["id"], closed["id"]]
    only = client.get("/api/campaigns?state=closed", headers=auth("bob")).json["items"]
    assert [c["id"] for c in only] == [closed["id"]]


def test_an_owner_changes_their_call_but_appoints_no_one(client, auth, publisher):
    created = create(client, auth, owners=[{"id": "owner", "name": "Hélène Dubœuf"}])
    path = f"/api/campaigns/{created['id']}"
    changed = client.patch(path, json={"description": "Trois semaines."},
                           headers=auth("owner"))
    assert changed.status_code == 200 and changed.json["version"] == 2
    assert publisher.types()[-1] == "campaign.updated.v1"
    appointing = client.patch(path, json={"owners": [{"id": "bob", "name": "Bob"}]},
                              headers=auth("owner"))
    assert appointing.status_code == 403
    stranger = client.patch(path, json={"description": "Non."}, headers=auth("bob"))
    assert stranger.status_code == 403


def test_ideas_are_proposed_into_an_open_call_and_counted(client, auth):
    created = create(client, auth)
    proposed = propose(client, auth, created["id"])
    assert proposed.status_code == 201 and proposed.json["campaign_id"] == created["id"]
    propose(client, auth, created["id"], sub="bob", unit="Direction des routes")
    client.post("/api/ideas", headers=auth("carol"), json={
        "title": "Une idée hors de tout appel", "body": "Elle ne compte pas dans l'appel."})
    figures = client.get(f"/api/campaigns/{created['id']}", headers=auth("bob")).json["figures"]
    assert figures["ideas"] == 2 and figures["units"] == 2
    listed = client.get(f"/api/ideas?campaign={created['id']}", headers=auth("bob")).json
    assert sorted(i["author"]["id"] for i in listed["items"]) == ["alice", "bob"]
    assert {i["campaign_id"] for i in listed["items"]} == {created["id"]}


def test_a_call_refuses_ideas_after_its_proposals_with_the_phase_and_dates(client, auth):
    created = create(client, auth, **call_dates(proposals_from=-10, proposals_until=-2,
                                                supports_from=-10))
    refused = propose(client, auth, created["id"])
    assert refused.status_code == 409
    assert "ne reçoit plus de propositions" in refused.json["message"]
    assert "phase actuelle : soutiens" in refused.json["message"]


def test_a_call_with_units_takes_ideas_from_those_units_only(client, auth):
    created = create(client, auth, units=["Service urbanisme"])
    assert propose(client, auth, created["id"]).status_code == 201
    outside = propose(client, auth, created["id"], sub="bob", unit="Direction des routes")
    assert outside.status_code == 403 and "Service urbanisme" in outside.json["message"]


def test_an_unknown_call_is_named_in_the_error(client, auth):
    refused = propose(client, auth, "nope")
    assert refused.status_code == 422 and "campaign_id" in refused.json["errors"]


def test_the_api_reads_times_without_offset_as_paris_time_across_summer_time_end(client,
                                                                                  auth):
    created = create(client, auth, proposals_from="2026-10-24T12:00",
                     proposals_until="2026-10-25T12:00", supports_from="2026-10-24T12:00",
                     supports_until="2026-10-26T12:00", evaluation_until="2026-10-27T12:00")
    assert created["proposals_from"] == "2026-10-24T10:00:00.000Z"  # UTC+2, summer time
    assert created["proposals_until"] == "2026-10-25T11:00:00.000Z"  # UTC+1, winter time


def test_a_calls_filters_offer_the_units_and_tags_of_its_own_ideas(client, auth):
    created = create(client, auth)
    client.post("/api/ideas", headers=auth("alice", unit="Service urbanisme"), json={
        "title": "Partager la carte des crues", "body": "Avec les services de voirie.",
        "tags": ["données"], "campaign_id": created["id"]})
    client.post("/api/ideas", headers=auth("bob", unit="Direction des routes"), json={
        "title": "Une idée hors de l'appel", "body": "Elle n'a rien à voir.",
        "tags": ["voirie"]})
    everything = client.get("/api/ideas/facets", headers=auth("carol")).json
    assert {u["unit"] for u in everything["units"]} == {"Service urbanisme",
                                                        "Direction des routes"}
    narrowed = client.get(f"/api/ideas/facets?campaign={created['id']}",
                          headers=auth("carol")).json
    assert narrowed == {"units": [{"unit": "Service urbanisme", "count": 1}],
                        "tags": [{"tag": "données", "count": 1}]}
