"""Comments through the gateway: counted exactly, hidden by moderators with a reason,
hostile text returned as data; replies one level deep, told by comment.added with what a
notifier needs."""

from tests.e2e.hub_state import events_of
from tests.helpers import eventually
from tests.hostile import ATTRIBUTE, EMOJI, SCRIPT

HOSTILE = [SCRIPT, ATTRIBUTE, "\u202eRenversé\u202c", EMOJI[:2000]]


def test_comments_are_counted_and_a_hidden_one_keeps_its_place_without_its_text(
        http, propose, token, reader):
    idea = propose()["id"]
    agent, moderator = token(), token(roles=("agent", "moderator"))
    first = http("POST", f"/api/ideas/{idea}/comments", agent, json={"body": "D'accord !"})
    second = http("POST", f"/api/ideas/{idea}/comments", agent, json={"body": "Insultant"})
    assert first.status_code == second.status_code == 201
    assert http("GET", f"/api/ideas/{idea}", reader).json()["comment_count"] == 2

    refused = http("POST", f"/api/ideas/{idea}/comments/{second.json()['id']}/hide", agent,
                   json={"reason": "Propos injurieux"})
    hidden = http("POST", f"/api/ideas/{idea}/comments/{second.json()['id']}/hide", moderator,
                  json={"reason": "Propos injurieux"})

    assert refused.status_code == 403 and hidden.status_code == 200
    assert http("GET", f"/api/ideas/{idea}", reader).json()["comment_count"] == 1
    public = http("GET", f"/api/ideas/{idea}/comments", reader).json()["items"]
    assert [c.get("body") for c in public] == ["D'accord !", None]
    seen = http("GET", f"/api/ideas/{idea}/comments", moderator).json()["items"]
    assert seen[1]["hidden_reason"] == "Propos injurieux" and seen[1]["body"] == "Insultant"


def test_hostile_text_is_stored_as_typed_and_returned_as_json_data(http, propose, agent, reader):
    idea = propose()["id"]
    for text in HOSTILE:
        posted = http("POST", f"/api/ideas/{idea}/comments", agent, json={"body": text})
        assert posted.status_code == 201, posted.text
        assert posted.headers["Content-Type"].startswith("application/json")
    bodies = [c["body"] for c in http("GET", f"/api/ideas/{idea}/comments", reader).json()["items"]]
    assert bodies == HOSTILE


def test_a_comment_on_an_unknown_idea_is_404(http, agent):
    response = http("POST", "/api/ideas/0000/comments", agent, json={"body": "Allô ?"})
    assert response.status_code == 404



def test_a_reply_is_listed_with_its_parent_and_its_event_tells_a_notifier_whom(
        http, propose, token, reader, config):
    idea = propose()["id"]
    joel = token(name="Joël N'Diaye")
    parent = http("POST", f"/api/ideas/{idea}/comments", joel, json={"body": "Et des arbres ?"})
    reply = http("POST", f"/api/ideas/{idea}/comments", token(),
                 json={"body": "Oui, des tilleuls.", "parent_id": parent.json()["id"]})

    assert reply.status_code == 201, reply.text
    assert reply.json()["parent_id"] == parent.json()["id"]
    listed = http("GET", f"/api/ideas/{idea}/comments", reader).json()["items"]
    assert [(c["id"], c["parent_id"]) for c in listed] == [
        (parent.json()["id"], None), (reply.json()["id"], parent.json()["id"])]

    def told():
        return [e["data"] for e in events_of(config, ("ideas",))
                if e["type"] == "comment.added.v1" and e["subject"] == idea]
    added = eventually(lambda: len(found := told()) == 2 and found,
                       message="both comment.added")
    by_id = {d["comment_id"]: d for d in added}
    answered = by_id[reply.json()["id"]]
    assert answered["body"] == "Oui, des tilleuls."
    assert answered["parent_id"] == parent.json()["id"]
    assert answered["parent_author"] == parent.json()["author"]
    assert parent.json()["author"]["name"] == "Joël N'Diaye"
    assert by_id[parent.json()["id"]]["parent_id"] is None


def test_a_reply_that_cannot_go_where_it_says_is_422_on_parent_id(http, propose, token):
    idea, other = propose()["id"], propose()["id"]
    agent, moderator = token(), token(roles=("agent", "moderator"))

    def post(on, body, parent_id):
        return http("POST", f"/api/ideas/{on}/comments", agent,
                    json={"body": body, "parent_id": parent_id})
    top = post(idea, "Un avis", None).json()["id"]
    reply = post(idea, "Une réponse", top).json()["id"]
    hidden = post(idea, "Insultant", None).json()["id"]
    assert http("POST", f"/api/ideas/{idea}/comments/{hidden}/hide", moderator,
                json={"reason": "Propos injurieux"}).status_code == 200
    elsewhere = post(other, "Ailleurs", None).json()["id"]

    for parent_id in (reply, elsewhere, hidden, "0" * 32):
        refused = post(idea, "Encore ?", parent_id)
        body = refused.json()
        assert refused.status_code == 422, (parent_id, body)
        assert body["code"] == 422 and body["status"] == "Unprocessable Entity"
        assert body["message"] and body["errors"]["parent_id"][0], body
