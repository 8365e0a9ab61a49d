"""Comments through the gateway: counted exactly, hidden by moderators with a reason, and
hostile text returned as data."""
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

