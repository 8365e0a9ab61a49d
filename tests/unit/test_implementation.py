"""An accepted idea followed to the end (services.ideas.implementation and its API): who may
appoint its owner and publish its progress, the 409s, the event and its version, a double
submit, and a call's results in order."""
import pytest

from shared.events import decode, encode
from services.ideas import implementation
from services.ideas.lifecycle import TransitionRefused
from tests.unit.builders import make_idea
from tests.unit.test_campaigns import create, propose

pytestmark = pytest.mark.unit

MODERATOR = {"id": "mod", "name": "Agent mod"}
HELENE = {"kind": "person", "name": "Hélène Dubœuf", "id": "helene"}
UNIT = {"kind": "unit", "name": "Services techniques"}


@pytest.fixture
def client(make_app):
    return make_app("ideas").test_client()


@pytest.fixture
def moderator(auth):
    return auth("mod", roles=("agent", "moderator"))


def accepted_idea(client, auth, moderator, campaign_id=None, sub="alice", status="accepted"):
    if campaign_id:
        created = propose(client, auth, campaign_id, sub=sub).json
    else:
        created = client.post("/api/ideas", headers=auth(sub), json={
            "title": "Des casiers pour les vélos", "body": "Près de l'entrée principale."}).json
    road = {"accepted": ["accepted"], "in_progress": ["accepted", "in_progress"],
            "implemented": ["accepted", "in_progress", "implemented"],
            "under_review": ["under_review"]}[status]
    for step in road:
        answered = client.post(f"/api/ideas/{created['id']}/status", headers=moderator,
                               json={"status": step, "note": "Retenue."})
        assert answered.status_code == 200, answered.json
    return created["id"]


def appoint(client, idea_id, who, owner=HELENE, target="2027-06-30"):
    return client.put(f"/api/ideas/{idea_id}/implementation", headers=who,
                      json={"owner": owner, "target_date": target})


def progress(client, idea_id, who, milestone="Local choisi", percent=30, update="Au sous-sol."):
    return client.post(f"/api/ideas/{idea_id}/progress", headers=who,
                       json={"milestone": milestone, "percent": percent, "update": update})


def test_a_moderator_appoints_a_person_and_the_idea_shows_it_publicly(client, auth, moderator,
                                                                     publisher):
    idea_id = accepted_idea(client, auth, moderator)
    sent = len(publisher.events)

    appointed = appoint(client, idea_id, moderator)

    assert appointed.status_code == 200, appointed.json
    read = client.get(f"/api/ideas/{idea_id}", headers=auth("bob")).json
    assert read["implementation"] == {"owner": HELENE, "target_date": "2027-06-30",
                                      "percent": 0, "milestones": [], "last_update": None}
    assert read["timeline"][-1]["kind"] == "implementation"
    assert len(publisher.events) == sent  # no other service needs the owner alone
    again = appoint(client, idea_id, moderator)
    assert again.json["timeline"] == appointed.json["timeline"]  # the same twice: one change


def test_the_appointed_person_posts_updates_each_an_event_with_the_ideas_version(
        client, auth, moderator, publisher):
    idea_id = accepted_idea(client, auth, moderator)
    appoint(client, idea_id, moderator)

    first = progress(client, idea_id, auth("helene"))
    second = progress(client, idea_id, auth("helene"), "Travaux lancés", 60, "Livraison en mai.")

    assert first.status_code == 200 and second.status_code == 200, second.json
    followed = second.json["implementation"]
    assert followed["percent"] == 60
    assert [m["milestone"] for m in followed["milestones"]] == ["Local choisi", "Travaux lancés"]
    assert followed["last_update"]["update"] == "Livraison en mai."
    assert [e["kind"] for e in second.json["timeline"]][-2:] == ["progress", "progress"]
    events = [e for e in publisher.events if e["type"] == "idea.progress_updated.v1"]
    assert len(events) == 2
    (name, _, _, earlier), (_, _, _, payload) = (decode(encode(e)) for e in events)
    assert name == "idea.progress_updated"
    assert payload["version"] == earlier["version"] + 1  # readers fence on it
    assert (payload["milestone"], payload["percent"], payload["update"]) == (
        "Travaux lancés", 60, "Livraison en mai.")
    assert payload["owner"] == HELENE and payload["target_date"] == "2027-06-30"
    assert payload["by"]["id"] == "helene"


def test_the_same_update_sent_twice_makes_one_milestone_and_one_event(client, auth, moderator,
                                                                    publisher):
    idea_id = accepted_idea(client, auth, moderator)
    appoint(client, idea_id, moderator)

    progress(client, idea_id, auth("helene"))
    twice = progress(client, idea_id, auth("helene"))

    assert twice.status_code == 200
    assert len(twice.json["implementation"]["milestones"]) == 1
    assert publisher.types().count("idea.progress_updated.v1") == 1


def test_an_identical_update_after_a_minute_or_by_someone_else_is_a_new_one():
    idea = make_idea(status="in_progress")
    implementation.set_owner(idea, HELENE, "2027-06-30", MODERATOR, "2027-01-01T09:00:00.000Z")
    helene = {"id": "helene", "name": "Hélène"}
    args = ("Local choisi", 30, "")
    implementation.report_progress(idea, *args, helene, "2027-01-01T10:00:00.000Z")
    assert implementation.report_progress(idea, *args, helene, "2027-01-01T10:00:59.000Z") == []
    assert implementation.report_progress(idea, *args, MODERATOR, "2027-01-01T10:00:30.000Z")
    assert implementation.report_progress(idea, *args, MODERATOR, "2027-01-01T10:01:31.000Z")
    assert len(idea["implementation"]["milestones"]) == 3


def test_an_owner_of_the_call_appoints_and_reports_an_agent_may_not(client, auth, moderator):
    call = create(client, auth, owners=[{"id": "owner", "name": "Responsable de l'appel"}])
    idea_id = accepted_idea(client, auth, moderator, call["id"])

    assert appoint(client, idea_id, auth("bob")).status_code == 403
    assert progress(client, idea_id, auth("bob")).status_code == 403
    assert appoint(client, idea_id, auth("owner"), owner=UNIT).status_code == 200
    assert progress(client, idea_id, auth("owner")).status_code == 200
    # A unit carries it out: no person of it posts updates by that alone.
    assert progress(client, idea_id, auth("helene")).status_code == 403
    assert client.get(f"/api/ideas/{idea_id}", headers=auth("bob")).json[
        "implementation"]["owner"] == {**UNIT, "id": None}


def test_an_idea_outside_calls_is_followed_by_moderators(client, auth, moderator):
    idea_id = accepted_idea(client, auth, moderator)
    assert appoint(client, idea_id, auth("alice")).status_code == 403  # even its author
    assert appoint(client, idea_id, moderator).status_code == 200
    assert progress(client, idea_id, moderator).status_code == 200


@pytest.mark.parametrize("status", ["under_review"])
def test_an_idea_not_chosen_has_no_owner(client, auth, moderator, status):
    idea_id = accepted_idea(client, auth, moderator, status=status)
    refused = appoint(client, idea_id, moderator)
    assert refused.status_code == 409 and "retenues" in refused.json["message"]


def test_no_update_before_an_owner_and_none_once_the_idea_is_no_longer_followed(
        client, auth, moderator):
    idea_id = accepted_idea(client, auth, moderator)
    early = progress(client, idea_id, moderator)
    assert early.status_code == 409 and "Désignez d'abord" in early.json["message"]
    appoint(client, idea_id, moderator)
    client.post(f"/api/ideas/{idea_id}/status", headers=moderator,
                json={"status": "rejected", "note": "Finalement non."})
    assert progress(client, idea_id, moderator).status_code == 409


def test_bad_input_is_named_and_an_unknown_idea_is_404(client, auth, moderator):
    idea_id = accepted_idea(client, auth, moderator)
    nameless = appoint(client, idea_id, moderator, owner={"kind": "person", "name": "Hélène"})
    assert nameless.status_code == 422 and "id" in nameless.json["errors"]["owner"]
    wrong = client.post(f"/api/ideas/{idea_id}/progress", headers=moderator,
                        json={"milestone": "ok", "percent": 120, "update": "x" * 1001})
    assert wrong.status_code == 422
    assert {"milestone", "percent", "update"} <= set(wrong.json["errors"])
    assert appoint(client, idea_id, moderator, target="30/06/2027").status_code == 422
    assert appoint(client, "nope", moderator).status_code == 404
    assert progress(client, "nope", moderator).status_code == 404


def test_a_calls_results_list_its_chosen_ideas_done_first_then_furthest_along(
        client, auth, moderator):
    call = create(client, auth)
    started = accepted_idea(client, auth, moderator, call["id"], "a1", "in_progress")
    chosen = accepted_idea(client, auth, moderator, call["id"], "a2", "accepted")
    done = accepted_idea(client, auth, moderator, call["id"], "a3", "implemented")
    further = accepted_idea(client, auth, moderator, call["id"], "a4", "in_progress")
    accepted_idea(client, auth, moderator, call["id"], "a5", "under_review")
    accepted_idea(client, auth, moderator, None, "a6", "accepted")  # outside the call
    for idea_id, percent in ((started, 20), (further, 60)):
        appoint(client, idea_id, moderator)
        progress(client, idea_id, moderator, percent=percent)

    results = client.get(f"/api/campaigns/{call['id']}/results", headers=auth("bob"))

    assert results.status_code == 200
    assert results.json["campaign"]["id"] == call["id"]
    items = results.json["items"]
    assert [i["id"] for i in items] == [done, further, started, chosen]
    assert items[1]["percent"] == 60 and items[1]["owner"] == HELENE
    assert items[1]["last_update"]["milestone"] == "Local choisi"
    assert items[3]["owner"] is None and items[3]["last_update"] is None
    assert items[0]["status_note"] == "Retenue."
    assert client.get("/api/campaigns/nope/results", headers=auth("bob")).status_code == 404


def test_pure_rules_refuse_without_changing_the_idea():
    idea = make_idea(status="rejected")
    with pytest.raises(TransitionRefused):
        implementation.set_owner(idea, HELENE, "2027-06-30", MODERATOR, "2027-01-01T09:00Z")
    assert "implementation" not in idea and idea["version"] == 1
    with pytest.raises(implementation.NotAllowed):
        implementation.check_manager(None, {"id": "bob", "name": "Bob"}, False)
