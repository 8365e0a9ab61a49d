"""Replies to comments, one level deep, through the ideas API on fakes: a reply goes under a
visible top-level comment of the same idea, and its event tells a notifier who to tell."""
import pytest

from services.ideas import domain

pytestmark = pytest.mark.unit

IDEA = {"title": "Des bancs devant la médiathèque", "body": "Les usagers attendent debout.",
        "tags": []}
JOEL = {"id": "joel", "name": "Joël N'Diaye"}


@pytest.fixture
def client(make_app, clock):
    return make_app("ideas").test_client()


@pytest.fixture
def post_idea(client, auth):
    def post():
        answer = client.post("/api/ideas", json=IDEA, headers=auth("alice"))
        assert answer.status_code == 201
        return answer.get_json()["id"]
    return post


@pytest.fixture
def comment(client, auth):
    """comment(idea_id, body, parent_id=None, by="joel") -> the response."""
    def post(idea_id, body="Oui, et des arbres.", parent_id=None, by="joel"):
        cmd = {"body": body} | ({"parent_id": parent_id} if parent_id is not None else {})
        return client.post(f"/api/ideas/{idea_id}/comments", json=cmd,
                           headers=auth(by, name=JOEL["name"] if by == "joel" else None))
    return post


def refused_on_parent(answer):
    body = answer.get_json()
    assert answer.status_code == 422, body
    assert (body["code"], body["status"]) == (422, "Unprocessable Entity")
    assert list(body["errors"]) == ["parent_id"] and body["errors"]["parent_id"][0]
    return body["errors"]["parent_id"][0]


def test_a_reply_is_listed_in_order_with_its_parent_id(client, post_idea, comment, auth):
    idea = post_idea()
    parent = comment(idea).get_json()
    reply = comment(idea, "Je suis d'accord.", parent_id=parent["id"], by="bob")
    after = comment(idea, "Un autre avis.")

    assert reply.status_code == 201 and reply.get_json()["parent_id"] == parent["id"]
    assert parent["parent_id"] is None
    listed = client.get(f"/api/ideas/{idea}/comments", headers=auth("reader")).get_json()
    assert [(c["id"], c["parent_id"]) for c in listed["items"]] == [
        (parent["id"], None), (reply.get_json()["id"], parent["id"]),
        (after.get_json()["id"], None)]
    got = client.get(f"/api/ideas/{idea}", headers=auth("reader")).get_json()
    assert got["comment_count"] == 3


def test_a_reply_to_a_reply_is_refused(post_idea, comment):
    idea = post_idea()
    parent = comment(idea).get_json()["id"]
    reply = comment(idea, "Une réponse.", parent_id=parent, by="bob").get_json()["id"]

    assert "réponse" in refused_on_parent(comment(idea, "Et encore ?", parent_id=reply))


def test_a_reply_to_another_ideas_comment_or_an_unknown_one_is_refused(post_idea, comment):
    idea, other = post_idea(), post_idea()
    elsewhere = comment(other).get_json()["id"]

    refused_on_parent(comment(idea, "Hors sujet ?", parent_id=elsewhere))
    refused_on_parent(comment(idea, "Allô ?", parent_id="0" * 32))


def test_a_reply_to_a_hidden_comment_is_refused(client, post_idea, comment, auth):
    idea = post_idea()
    parent = comment(idea).get_json()["id"]
    hidden = client.post(f"/api/ideas/{idea}/comments/{parent}/hide",
                         json={"reason": "Propos injurieux"},
                         headers=auth("ines", roles=("agent", "moderator")))
    assert hidden.status_code == 200

    assert "masqué" in refused_on_parent(comment(idea, "Pourtant…", parent_id=parent))


def test_a_refused_reply_is_neither_stored_nor_told(client, post_idea, comment, auth, publisher):
    idea = post_idea()
    told = len(publisher.events)

    refused_on_parent(comment(idea, "Allô ?", parent_id="unknown"))

    assert len(publisher.events) == told
    assert client.get(f"/api/ideas/{idea}/comments",
                      headers=auth("reader")).get_json()["items"] == []


def test_comment_added_carries_the_text_the_parent_and_its_author(post_idea, comment,
                                                                   publisher):
    idea = post_idea()
    parent = comment(idea, "Des arbres aussi.").get_json()["id"]
    reply = comment(idea, "Bonne idée.", parent_id=parent, by="bob").get_json()["id"]

    added = [e["data"] for e in publisher.events if e["type"] == "comment.added.v1"]

    assert [(d["comment_id"], d["body"], d["parent_id"], d["parent_author"]) for d in added] == [
        (parent, "Des arbres aussi.", None, None), (reply, "Bonne idée.", parent, JOEL)]


@pytest.mark.parametrize("parent_id", ["", 42])
def test_a_parent_id_that_is_not_an_id_is_refused_on_that_field(post_idea, client, auth,
                                                                 parent_id):
    idea = post_idea()
    answer = client.post(f"/api/ideas/{idea}/comments",
                         json={"body": "Oui", "parent_id": parent_id}, headers=auth("joel"))

    refused_on_parent(answer)


def test_the_reply_rules_on_the_stored_parent():
    top = domain.new_comment("i-1", "Un avis", JOEL, "2026-11-25T08:00:00.000Z")
    reply = domain.new_comment("i-1", "Une réponse", JOEL, "2026-11-25T08:01:00.000Z",
                               parent_id=top["_id"])

    domain.check_parent(top)
    for parent in (None, {**top, "hidden": True}, reply):
        with pytest.raises(domain.ReplyRefused):
            domain.check_parent(parent)
