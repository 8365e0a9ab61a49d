"""A published comment, through the ideas API on fakes: its author edits or deletes it,
another agent reports it once, moderators hide it or dismiss its reports from their queue;
and what the notifications make of the new events."""
import pytest

from services.digest import notification_handlers as notify
from services.digest.notification_store import NotificationStore
from services.ideas import comments as C

pytestmark = pytest.mark.unit

IDEA = {"title": "Des bancs devant la médiathèque", "body": "Les usagers attendent debout.",
        "tags": []}
MODERATOR = ("agent", "moderator")


@pytest.fixture
def client(make_app):
    return make_app("ideas").test_client()


@pytest.fixture
def idea(client, auth):
    answer = client.post("/api/ideas", json=IDEA, headers=auth("alice"))
    assert answer.status_code == 201
    return answer.get_json()["id"]


@pytest.fixture
def comment(client, auth, idea):
    """comment(body, by="joel", parent_id=None) -> the new comment's id."""
    def post(body="Oui, et des arbres.", by="joel", parent_id=None):
        cmd = {"body": body} | ({"parent_id": parent_id} if parent_id else {})
        answer = client.post(f"/api/ideas/{idea}/comments", json=cmd, headers=auth(by))
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()["id"]
    return post


@pytest.fixture
def call(client, auth, idea):
    """call(method, comment_id, suffix="", by="joel", roles=("agent",), json=None)."""
    def send(method, comment_id, suffix="", by="joel", roles=("agent",), json=None):
        return client.open(f"/api/ideas/{idea}/comments/{comment_id}{suffix}", method=method,
                           json=json, headers=auth(by, roles=roles))
    return send


def listed(client, auth, idea, by="reader", roles=("agent",)):
    return {c["id"]: c for c in client.get(f"/api/ideas/{idea}/comments",
                                           headers=auth(by, roles=roles)).get_json()["items"]}


def count(client, auth, idea):
    return client.get(f"/api/ideas/{idea}", headers=auth("reader")).get_json()["comment_count"]


def refused(answer, code):
    body = answer.get_json()
    assert answer.status_code == code, body
    assert body["code"] == code and body["message"]
    return body["message"]


def data_of(publisher, kind):
    return [e["data"] for e in publisher.events if e["type"] == f"{kind}.v1"]


def queue(client, auth):
    answer = client.get("/api/moderation/comments", headers=auth("ines", roles=MODERATOR))
    assert answer.status_code == 200
    return answer.get_json()


def test_its_author_edits_a_comment_which_then_says_when(client, auth, idea, comment, call,
                                                         publisher):
    cid = comment()

    edited = call("PATCH", cid, json={"body": "Oui, et des arbres fruitiers."})

    assert edited.status_code == 200
    assert edited.get_json()["body"] == "Oui, et des arbres fruitiers."
    shown = listed(client, auth, idea)[cid]
    assert shown["body"] == "Oui, et des arbres fruitiers." and shown["edited_at"]
    [told] = data_of(publisher, "comment.edited")
    assert (told["comment_id"], told["body"], told["by"]["id"], told["edits"]) == (
        cid, "Oui, et des arbres fruitiers.", "joel", 1)


def test_the_same_text_again_changes_nothing_and_tells_no_one(comment, call, publisher):
    cid = comment()

    again = call("PATCH", cid, json={"body": "Oui, et des arbres."})

    assert again.status_code == 200 and again.get_json()["edited_at"] is None
    assert data_of(publisher, "comment.edited") == []


def test_only_its_author_edits_or_deletes_it(comment, call):
    cid = comment()

    for method, json in (("PATCH", {"body": "Piraté"}), ("DELETE", None)):
        refused(call(method, cid, by="bob", json=json), 403)
        refused(call(method, cid, by="ines", roles=MODERATOR, json=json), 403)
        refused(call(method, cid, by="ines", roles=("moderator",), json=json), 403)
    refused(call("PATCH", "0" * 32, json={"body": "Qui ?"}), 404)
    refused(call("PATCH", cid, json={"body": ""}), 422)


def test_a_comment_hidden_by_a_moderator_or_on_a_withdrawn_idea_is_no_longer_editable(
        client, auth, idea, comment, call):
    hidden, other = comment(), comment("Un autre avis.")
    assert call("POST", hidden, "/hide", by="ines", roles=MODERATOR,
                json={"reason": "Propos injurieux"}).status_code == 200

    assert "masqué" in refused(call("PATCH", hidden, json={"body": "Pardon."}), 409)
    assert client.post(f"/api/ideas/{idea}/withdraw", headers=auth("alice")).status_code == 200
    assert "n'accepte plus" in refused(call("PATCH", other, json={"body": "Dommage."}), 409)
    assert call("DELETE", other).status_code == 200  # deleting stays one's right


def test_deleting_keeps_its_place_and_replies_but_not_its_text(client, auth, idea, comment,
                                                              call, publisher):
    top = comment("Un avis à retirer.")
    reply = comment("Une réponse qui reste.", by="bob", parent_id=top)
    assert count(client, auth, idea) == 2

    deleted = call("DELETE", top)

    assert deleted.status_code == 200 and deleted.get_json()["deleted"] is True
    shown = listed(client, auth, idea, by="ines", roles=MODERATOR)
    assert shown[top]["deleted"] is True and "body" not in shown[top]
    assert shown[reply]["body"] == "Une réponse qui reste."
    assert count(client, auth, idea) == 1
    assert [d["comment_id"] for d in data_of(publisher, "comment.deleted")] == [top]
    assert "supprimé" in refused(call("DELETE", top), 409)
    assert "supprimé" in refused(call("PATCH", top, json={"body": "Revenu"}), 409)
    answer = client.post(f"/api/ideas/{idea}/comments",
                         json={"body": "Et alors ?", "parent_id": top}, headers=auth("carla"))
    assert refused(answer, 422) and answer.get_json()["errors"]["parent_id"]


def test_others_report_a_comment_once_each_never_their_own(client, auth, comment, call):
    cid = comment()

    first = call("POST", cid, "/flags", by="bob", json={"reason": "offensive",
                                                        "note": "Insultant."})
    assert first.status_code == 201 and first.get_json()["reason"] == "offensive"
    assert "déjà" in refused(call("POST", cid, "/flags", by="bob", json={"reason": "spam"}),
                             409)
    assert "votre commentaire" in refused(
        call("POST", cid, "/flags", json={"reason": "spam"}), 409)
    refused(call("POST", cid, "/flags", by="carla", json={"reason": "insulte"}), 422)
    assert call("POST", cid, "/flags", by="carla", json={"reason": "spam"}).status_code == 201

    [entry] = queue(client, auth)["items"]
    assert (entry["comment_id"], entry["reports"], entry["reasons"], entry["notes"]) == (
        cid, 2, ["offensive", "spam"], ["Insultant."])
    assert "bob" not in str(entry) and "carla" not in str(entry)


def test_the_queue_keeps_the_text_as_reported_should_its_author_edit_it(client, auth,
                                                                        comment, call):
    cid = comment("Ceux qui proposent ça sont des incapables.")
    call("POST", cid, "/flags", by="bob", json={"reason": "offensive"})

    call("PATCH", cid, json={"body": "Je ne suis pas d'accord."})

    [entry] = queue(client, auth)["items"]
    assert entry["reported_body"] == "Ceux qui proposent ça sont des incapables."


def test_hiding_or_dismissing_or_deleting_takes_it_out_of_the_queue(client, auth, comment,
                                                                    call, publisher):
    hidden, kept, gone = comment("Un"), comment("Deux"), comment("Trois")
    for cid in (hidden, kept, gone):
        call("POST", cid, "/flags", by="bob", json={"reason": "spam"})
    assert queue(client, auth)["total"] == 3

    assert call("POST", hidden, "/hide", by="ines", roles=MODERATOR,
                json={"reason": "Publicité"}).status_code == 200
    assert call("POST", kept, "/dismiss", by="ines", roles=MODERATOR,
                json={"reason": "Conforme"}).status_code == 200
    assert call("DELETE", gone).status_code == 200

    assert queue(client, auth) == {"items": [], "total": 0}
    [dismissed] = data_of(publisher, "comment.reports_dismissed")
    assert (dismissed["comment_id"], dismissed["note"], dismissed["dismissed"]) == (
        kept, "Conforme", 1)
    assert "Aucun signalement" in refused(call("POST", kept, "/dismiss", by="ines",
                                               roles=MODERATOR, json={}), 409)
    assert "déjà masqué" in refused(call("POST", hidden, "/hide", by="ines", roles=MODERATOR,
                                         json={"reason": "Encore"}), 409)
    assert "supprimé" in refused(call("POST", gone, "/hide", by="ines", roles=MODERATOR,
                                      json={"reason": "Trop tard"}), 409)
    refused(call("POST", hidden, "/flags", by="carla", json={"reason": "spam"}), 409)


def test_only_moderators_read_the_reported_comments(client, auth):
    refused(client.get("/api/moderation/comments", headers=auth("bob")), 403)
    assert client.get("/api/moderation/comments").status_code == 401


def test_two_edits_read_at_once_cannot_both_pass_for_the_same_one():
    comment = {"_id": "c", "author": {"id": "joel", "name": "J"}, "body": "Un", "hidden": False}
    idea = {"status": "submitted"}

    C.edit(comment, idea, "Deux", {"id": "joel"}, "2026-12-01T10:00:00.000Z")
    C.edit(comment, idea, "Trois", {"id": "joel"}, "2026-12-01T10:01:00.000Z")

    assert (comment["body"], comment["edits"]) == ("Trois", 2)


def notification(nid, comment_id, excerpt="Oui, et des arbres."):
    return {"_id": nid, "person_id": "alice", "kind": "comment", "comment_id": comment_id,
            "idea_id": "i", "idea_title": "Des bancs", "at": "2026-12-01T10:00:00.000Z",
            "read": False, "idea_hidden": False, "comment_hidden": False, "excerpt": excerpt}


def test_notifications_show_the_newest_text_whatever_order_edits_come_in(db):
    notes = NotificationStore(db)
    notes.add([notification("n1", "c1"), notification("n2", "c2")])
    envelope = {"time": "2026-12-01T11:00:00.000Z"}

    for edits, body in ((2, "Le plus récent."), (1, "Plus ancien."), (2, "Le plus récent.")):
        notify.on_comment_edited({"comment_id": "c1", "body": body, "edits": edits}, envelope,
                                 notes)

    assert db.notifications.find_one({"_id": "n1"})["excerpt"] == "Le plus récent."
    assert db.notifications.find_one({"_id": "n2"})["excerpt"] == "Oui, et des arbres."


def test_a_deleted_comment_leaves_the_notification_centres(db):
    notes = NotificationStore(db)
    notes.add([notification("n1", "c1")])

    notify.on_comment_hidden({"comment_id": "c1"}, {}, notes)

    assert notes.page("alice")[0] == []


def test_a_dismissal_is_logged_once_however_often_its_event_is_delivered(db, rows, comment,
                                                                          call, publisher):
    from services.ideas import handlers
    from services.ideas.store import IdeaStore
    cid = comment()
    call("POST", cid, "/flags", by="bob", json={"reason": "spam"})
    call("POST", cid, "/dismiss", by="ines", roles=MODERATOR, json={"reason": "Conforme"})
    [event] = [e for e in publisher.events if e["type"] == "comment.reports_dismissed.v1"]
    store = IdeaStore(db, feed=lambda: [])

    for _ in range(2):
        handlers.on_moderation_event("comment.reports_dismissed", event["data"], event, store,
                                     rows)

    [entry] = db.moderation_log.find({})
    assert (entry["action"], entry["why"], entry["by"]["id"]) == ("dismiss_comment",
                                                                  "Conforme", "ines")
