"""My data (RGPD): each service's part holds one seeded person's items and nothing of
another's (their name, their id, their items), whoever wrote on whose idea; only admins
read another person's; the people service gathers the four parts into one file, or none."""
import json

import pytest

from shared import my_data
from shared.outbox import Outbox
from services.digest import notifications as N
from services.digest.notification_store import NotificationStore
from services.ideas import handlers as idea_handlers
from services.ideas.evaluation import new_evaluation
from services.people import handlers as people_handlers
from services.people.store import PeopleStore
from services.votes import handlers as vote_handlers
from tests.unit.builders import envelope, make_idea, submitted
from tests.unit.conftest import FakePublisher, FakeRows

pytestmark = pytest.mark.unit

ALICE, BRUNO = {"id": "alice", "name": "Agent alice"}, {"id": "bruno", "name": "Agent bruno"}


def ok(response, code=201):
    assert response.status_code == code, response.get_json()
    return response.get_json()


def text_of(part):
    return json.dumps(part, ensure_ascii=False)


def assert_nothing_of_bruno(part, *bruno_ids):
    text = text_of(part)
    for what in ("bruno", "Agent bruno", *bruno_ids):
        assert what not in text, what


# ---- the rule: whose data, and nothing of anyone else ----

def test_others_references_become_null_wherever_they_are():
    kept = my_data.only_theirs({"author": ALICE, "timeline": [{"by": BRUNO, "note": "Oui"}],
                                "implementation": {"owner": {"kind": "unit", "id": None,
                                                             "name": "Voirie"}},
                                "idea": {"id": "i1", "title": "Un titre"}}, "alice")
    assert kept == {"author": ALICE, "timeline": [{"by": None, "note": "Oui"}],
                    "implementation": {"owner": {"kind": "unit", "id": None, "name": "Voirie"}},
                    "idea": {"id": "i1", "title": "Un titre"}}


@pytest.mark.parametrize("service", my_data.SERVICES)
def test_only_an_admin_reads_another_persons_part(make_app, auth, service):
    client = make_app(service).test_client()
    path = f"/api/me/export/{service}"

    assert client.get(path).status_code == 401
    assert ok(client.get(path, headers=auth("alice")), 200)["person_id"] == "alice"
    assert client.get(path + "?person=bruno", headers=auth("alice", roles=(
        "agent", "moderator", "manager"))).status_code == 403
    assert ok(client.get(path + "?person=bruno", headers=auth("lea", roles=(
        "agent", "admin"))), 200)["person_id"] == "bruno"
    assert client.get(path + "?personne=bruno", headers=auth("alice")).status_code == 422


# ---- ideas ----

@pytest.fixture
def ideas(make_app, auth, clock):
    return make_app("ideas").test_client()


def test_the_ideas_part_holds_alices_items_and_nothing_of_brunos(ideas, auth, publisher, db):
    alice, bruno, carol = auth("alice"), auth("bruno"), auth("carol")
    moderator = auth("maelle", roles=("agent", "moderator"))
    own = ok(ideas.post("/api/ideas", headers=alice, json={
        "title": "Un guichet unique", "body": "Regrouper les démarches courantes."}))["id"]
    hidden = ok(ideas.post("/api/ideas", headers=alice, json={
        "title": "Une idée qui sera masquée", "body": "Un texte assez long pour passer."}))["id"]
    brunos = ok(ideas.post("/api/ideas", headers=bruno, json={
        "title": "L'idée de Bruno", "body": "Un texte que seul Bruno a écrit."}))["id"]
    carols = ok(ideas.post("/api/ideas", headers=carol, json={
        "title": "L'idée de Carole", "body": "Un texte que Carole a écrit."}))["id"]
    mine = ok(ideas.post(f"/api/ideas/{own}/comments", headers=alice,
                         json={"body": "Mon propre commentaire"}))["id"]
    his = ok(ideas.post(f"/api/ideas/{own}/comments", headers=bruno,
                        json={"body": "Le commentaire de Bruno sur l'idée d'Alice"}))["id"]
    ok(ideas.post(f"/api/ideas/{carols}/flags", headers=alice,
                  json={"reason": "off_topic", "note": "Hors sujet selon Alice"}))
    ok(ideas.post(f"/api/ideas/{carols}/flags", headers=bruno,
                  json={"reason": "spam", "note": "Signalé par Bruno"}))
    ok(ideas.post(f"/api/ideas/{own}/status", headers=moderator,
                  json={"status": "accepted", "note": "Retenue pour 2027."}), 200)
    ok(ideas.post(f"/api/ideas/{hidden}/hide", headers=moderator,
                  json={"reason": "Propos vifs"}), 200)
    ok(ideas.post(f"/api/ideas/{hidden}/contest", headers=alice,
                  json={"text": "Je conteste ce masquage."}), 200)
    for event in publisher.events:  # the ideas consumer writes the moderation log
        name = event["type"].rsplit(".", 1)[0]
        if name in idea_handlers.LOGGED:
            idea_handlers.on_moderation_event(name, event["data"], event, ideas.application
                                              .extensions["hub"].extra["ideas"], FakeRows())
    for evaluator in (ALICE, BRUNO):
        db.evaluations.insert_one(new_evaluation(
            {"_id": carols, "campaign_id": "call-1"}, evaluator, {"impact": 4},
            f"Remarque de {evaluator['name']}", "2026-11-25T09:00:00.000Z"))
    db.ideas.update_one({"_id": carols}, {"$set": {"status": "accepted", "implementation": {
        "owner": {"kind": "person", "id": "alice", "name": "Agent alice"},
        "target_date": "2027-06-30", "percent": 40, "milestones": [
            {"at": "2026-11-26T09:00:00.000Z", "milestone": "Étude", "percent": 20,
             "update": "Étude faite par Alice", "by": ALICE},
            {"at": "2026-11-27T09:00:00.000Z", "milestone": "Devis", "percent": 40,
             "update": "Devis obtenu par Bruno", "by": BRUNO}]}}})
    db.campaigns.insert_one({"_id": "call-1", "title": "Un appel", "question": "Quoi ?",
                             "owners": [ALICE, BRUNO], "evaluators": [BRUNO],
                             "created_by": BRUNO, "created_at": "2026-11-20T09:00:00.000Z"})

    part = ok(ideas.get("/api/me/export/ideas", headers=alice), 200)

    assert [i["id"] for i in part["ideas"]] == [own, hidden]
    answered, masked = part["ideas"]
    assert answered["status_note"] == "Retenue pour 2027."
    assert [e["by"] for e in answered["timeline"]] == [None]  # the moderator stays out
    assert masked["status"] == "hidden" and masked["hidden_reason"] == "Propos vifs"
    assert masked["contest"]["text"] == "Je conteste ce masquage."
    assert [c["id"] for c in part["comments"]] == [mine]
    assert part["reports"] == [{"idea_id": carols, "reason": "off_topic",
                                "note": "Hors sujet selon Alice", "at": part["reports"][0]["at"]}]
    assert [(c["idea_id"], c["text"]) for c in part["contests"]] == [
        (hidden, "Je conteste ce masquage.")]
    assert [e["note"] for e in part["evaluations"]] == ["Remarque de Agent alice"]
    assert [u["update"] for u in part["implementation_updates"]] == ["Étude faite par Alice"]
    assert [i["idea_id"] for i in part["ideas_carried_out"]] == [carols]
    assert part["calls"][0]["roles"] == ["owner"]
    assert {limit["action"] for limit in part["rate_limits"]} == {"propose", "comment",
                                                                  "report"}
    assert_nothing_of_bruno(part, brunos, his, "Signalé par Bruno", "Devis obtenu par Bruno",
                            "Le commentaire de Bruno", "maelle")


# ---- votes ----

def test_the_votes_part_holds_alices_supports_and_their_history_only(make_app, auth):
    app = make_app("votes")
    client, store = app.test_client(), app.extensions["hub"].extra["votes"]
    ideas = [make_idea(author={"id": "carol", "name": "Agent carol"}) for _ in range(3)]
    for idea in ideas:
        vote_handlers.on_idea_event(submitted(idea), envelope("idea.submitted",
                                                              submitted(idea)), store)
    first, withdrawn, brunos = (idea["_id"] for idea in ideas)
    ok(client.put(f"/api/votes/{first}", headers=auth("alice")), 200)
    ok(client.put(f"/api/votes/{withdrawn}", headers=auth("alice")), 200)
    ok(client.delete(f"/api/votes/{withdrawn}", headers=auth("alice")), 200)
    ok(client.put(f"/api/votes/{brunos}", headers=auth("bruno")), 200)
    ok(client.put(f"/api/votes/{first}", headers=auth("bruno")), 200)

    part = ok(client.get("/api/me/export/votes", headers=auth("alice")), 200)

    assert [s["idea_id"] for s in part["supports"]] == [first]
    assert {(h["idea_id"], h["active"]) for h in part["history"]} == {(first, True),
                                                                     (withdrawn, False)}
    assert_nothing_of_bruno(part, brunos)


# ---- digest ----

def test_the_digest_part_holds_what_alice_follows_receives_and_chose(make_app, auth, db):
    app = make_app("digest")
    client, notices = app.test_client(), NotificationStore(db)
    for idea_id in ("idea-a", "idea-b"):  # the digest consumer learns of both ideas
        payload = submitted(make_idea(_id=idea_id, author=ALICE))
        app.extensions["hub"].extra["digest"].apply_idea_event(
            "idea.submitted", payload, envelope("idea.submitted", payload))
    ok(client.put("/api/ideas/idea-a/follow", headers=auth("alice")), 200)
    ok(client.put("/api/ideas/idea-b/follow", headers=auth("bruno")), 200)
    ok(client.put("/api/notifications/preferences", headers=auth("alice"),
                  json={"mail": {"comment": "weekly"}}), 200)
    ok(client.put("/api/notifications/preferences", headers=auth("bruno"),
                  json={"mail": {"comment": "never"}}), 200)
    comment = {"idea_id": "idea-a", "version": 2,
               "idea": {**submitted(make_idea(_id="idea-a", author=ALICE))["idea"]},
               "comment_id": "comment-of-bruno", "author": BRUNO, "created_at": "x",
               "body": "Le texte de Bruno", "parent_id": None, "parent_author": None}
    event = envelope("comment.added", comment)
    notices.add(N.notices("comment.added", comment, event, ["alice", "bruno"]).values())
    ok(client.put("/api/digest/subscription", headers=auth("alice", roles=("agent", "manager")),
                  json={"units": ["Service urbanisme"]}), 200)
    ok(client.put("/api/digest/subscription", headers=auth("bruno", roles=("agent", "manager")),
                  json={"units": []}), 200)
    db.sends.insert_many([{"_id": f"{who}:2026-W48", "subscription_id": who,
                           "period": "2026-W48", "status": "sent", "claimed_at": 1764000000.0,
                           "message_id": f"<digest-{who}@ideahub>"} for who in ("alice", "bruno")])
    notices.know_person("alice", "Agent alice", "alice@ville.test")
    notices.know_person("bruno", "Agent bruno", "bruno@ville.test")

    part = ok(client.get("/api/me/export/digest", headers=auth("alice")), 200)

    assert [f["idea_id"] for f in part["follows"]] == ["idea-a"]
    assert part["notification_preferences"]["mail"]["comment"] == "weekly"
    assert [(n["kind"], n["idea_id"]) for n in part["notifications"]] == [("comment", "idea-a")]
    assert part["digest_subscription"]["units"] == ["Service urbanisme"]
    assert [s["message_id"] for s in part["digests_sent"]] == ["<digest-alice@ideahub>"]
    assert part["known_as"] == {"name": "Agent alice", "email": "alice@ville.test"}
    assert_nothing_of_bruno(part, "idea-b", "comment-of-bruno", "Le texte de Bruno")


# ---- people, and the whole file ----

@pytest.fixture
def people(make_app, db):
    app = make_app("people")
    store, kafka = PeopleStore(db), FakePublisher(Outbox(db, ("people",)))
    for who in (ALICE, BRUNO):
        people_handlers.sign_in({"sub": who["id"], "name": who["name"],
                                 "email": f"{who['id']}@ville.test", "unit": "CCAS"},
                                store, kafka.publish, ())
    admin = {"id": "lea", "name": "Léa Garnier"}
    for who, roles in (("alice", {"moderator"}), ("bruno", {"manager"})):
        people_handlers.change_person(who, store, kafka.publish, admin, roles=roles)
    for event in kafka.events:  # the people consumer writes the audit
        if event["type"] == "person.changed.v1":
            people_handlers.on_person_changed(event["data"], event, store)
    return app


def test_the_people_part_holds_alices_record_sign_ins_and_role_changes(people, auth):
    part = ok(people.test_client().get("/api/me/export/people", headers=auth("alice")), 200)

    assert part["person"]["email"] == "alice@ville.test"
    assert part["person"]["roles"] == ["agent", "moderator"]
    assert len(part["sign_ins"]) == 1 and part["sign_ins"][0]["since"].endswith("Z")
    assert [c["granted"] for c in part["role_changes"]] == [["moderator"]]
    assert part["role_changes"][0]["by"] is None  # the admin who granted it stays out
    assert_nothing_of_bruno(part, "Léa Garnier")


@pytest.fixture
def whole(people, make_app):
    """The people app whose parts come from the other apps (test clients, not HTTP)."""
    clients = {s: make_app(s).test_client() for s in ("ideas", "votes", "digest")}
    asked = []

    def fetch(service, person_id):
        asked.append((service, person_id))
        response = clients[service].get(f"/api/me/export/{service}?person={person_id}",
                                        headers=fetch.headers)
        if response.status_code != 200:
            raise AssertionError(response.status_code)
        return response.get_json()
    people.extensions["hub"].extra["my_data_fetch"] = fetch
    fetch.asked = asked
    return people, fetch


def test_the_whole_file_gathers_the_four_parts_as_an_attachment(whole, auth):
    app, fetch = whole
    fetch.headers = auth("alice")
    response = app.test_client().get("/api/me/export", headers=auth("alice"))

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="mes-donnees-ideahub.json"'
    document = json.loads(response.data)
    assert list(document) == ["generated_at", "person", "ideas", "votes", "digest", "people"]
    assert document["person"] == {"id": "alice"}
    assert document["people"]["person"]["name"] == "Agent alice"
    assert "supports" in document["votes"] and "follows" in document["digest"]
    assert sorted(fetch.asked) == [("digest", "alice"), ("ideas", "alice"), ("votes", "alice")]


def test_an_admin_gets_anyones_file_and_no_one_elses_is_given(whole, auth):
    app, fetch = whole
    admin = auth("lea", roles=("agent", "admin"))
    fetch.headers = admin
    client = app.test_client()

    assert json.loads(client.get("/api/me/export?person=bruno", headers=admin).data)[
        "people"]["person"]["name"] == "Agent bruno"
    assert client.get("/api/me/export?person=bruno", headers=auth("alice")).status_code == 403
    assert client.get("/api/me/export?person=nobody", headers=admin).status_code == 404


def test_a_part_that_cannot_be_read_gives_no_file(people, auth):
    def fetch(service, person_id):
        if service == "votes":
            from services.people.my_data_api import PartUnavailable
            raise PartUnavailable(service, "connection refused")
        return {"service": service, "person_id": person_id}
    people.extensions["hub"].extra["my_data_fetch"] = fetch

    response = people.test_client().get("/api/me/export", headers=auth("alice"))

    assert response.status_code == 503
    assert "votes" in response.get_json()["message"]
    assert "Content-Disposition" not in response.headers


def test_a_part_of_another_person_is_refused_as_unreadable(people, auth):
    people.extensions["hub"].extra["my_data_fetch"] = \
        lambda service, person_id: {"service": service, "person_id": "bruno"}

    assert people.test_client().get("/api/me/export", headers=auth("alice")).status_code == 503


# ---- the CLI ----

def test_the_cli_asks_the_gateway_as_an_admin_and_writes_the_file(config, monkeypatch, tmp_path):
    from shared.auth import TokenVerifier
    from services import cli

    asked = []

    class Answer:
        status_code, content = 200, '{"person": {"id": "alice"}}'.encode()

    def request(method, url, params=None, headers=None, timeout=None):
        assert method == "GET"
        asked.append((url, params, TokenVerifier(config).verify(
            headers["Authorization"].split(" ", 1)[1])))
        return Answer()
    monkeypatch.setattr("requests.request", request)
    monkeypatch.setattr(cli, "load_config", lambda: config.with_overrides(
        api_url="http://gateway.test"))
    output = tmp_path / "alice.json"

    assert cli.main(["gdpr", "export", "--person", "alice", "--output", str(output)]) == 0

    (url, params, identity), = asked
    assert (url, params) == ("http://gateway.test/api/me/export", {"person": "alice"})
    assert identity.has("admin") and identity.sub != "alice"
    assert json.loads(output.read_text()) == {"person": {"id": "alice"}}


def test_the_cli_without_the_tokens_key_says_where_to_run_it(config, monkeypatch, capsys):
    from services import cli

    monkeypatch.setattr(cli, "load_config", lambda: config.with_overrides(token_private_key=""))
    assert cli.main(["gdpr", "export", "--person", "alice"]) == 2
    assert "HUB_TOKEN_PRIVATE_KEY" in capsys.readouterr().err


def test_the_cli_erases_a_persons_account_as_an_admin(config, monkeypatch, capsys):
    from shared.auth import TokenVerifier
    from services import cli

    asked = []

    class Answer:
        status_code = 200

        def json(self):
            return {"person_id": "alice", "erased_at": "2026-12-02T09:00:00.000Z",
                    "texts": "removed"}

    def request(method, url, json=None, headers=None, timeout=None):
        asked.append((method, url, json, TokenVerifier(config).verify(
            headers["Authorization"].split(" ", 1)[1])))
        return Answer()
    monkeypatch.setattr("requests.request", request)
    monkeypatch.setattr(cli, "load_config", lambda: config.with_overrides(
        api_url="http://gateway.test"))

    assert cli.main(["gdpr", "erase", "--person", "alice", "--texts", "remove"]) == 0

    (method, url, body, identity), = asked
    assert (method, url, body) == ("POST", "http://gateway.test/api/people/alice/erase",
                                   {"texts": "remove"})
    assert identity.has("admin")
    assert "texts removed" in capsys.readouterr().out
