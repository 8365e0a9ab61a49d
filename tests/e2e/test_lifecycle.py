"""An idea's life through the gateway: answers with a note, withdrawal, merge and unmerge
with their supports following (counts checked exactly, overlapping supporters included)."""
import pytest

from tests.helpers import eventually


@pytest.fixture
def moderator(token):
    return token(roles=("agent", "moderator"), name="Inès Bouchard")


def counts(http, reader, *ideas):
    return [http("GET", f"/api/ideas/{i}", reader).json()["vote_count"] for i in ideas]


def test_a_moderator_answers_and_the_timeline_shows_the_note(
        http, propose, moderator, agent, reader):
    idea = propose()
    note = "Retenue : un guichet pilote ouvrira en janvier."

    refused = http("POST", f"/api/ideas/{idea['id']}/status", agent,
                   json={"status": "accepted", "note": note})
    answered = http("POST", f"/api/ideas/{idea['id']}/status", moderator,
                    json={"status": "accepted", "note": note})
    impossible = http("POST", f"/api/ideas/{idea['id']}/status", moderator,
                      json={"status": "submitted", "note": ""})

    assert refused.status_code == 403
    assert answered.status_code == 200, answered.text
    fetched = http("GET", f"/api/ideas/{idea['id']}", reader).json()
    assert (fetched["status"], fetched["status_note"]) == ("accepted", note)
    assert fetched["timeline"][-1]["note"] == note
    assert impossible.status_code == 409 and impossible.json()["message"]


def test_a_withdrawn_idea_takes_no_more_support(http, propose, support, agent, token):
    idea = propose(as_=agent)
    support(idea["id"], token())

    assert http("POST", f"/api/ideas/{idea['id']}/withdraw", token()).status_code == 403
    assert http("POST", f"/api/ideas/{idea['id']}/withdraw", agent).status_code == 200

    def closed():
        response = http("PUT", f"/api/votes/{idea['id']}", token())
        return response.status_code == 409 and "retirée" in response.json()["message"]
    eventually(closed, message="the votes service learns the idea is withdrawn")


def test_merge_and_unmerge_move_supports_each_person_once(
        http, propose, support, token, moderator):
    duplicate, target = propose()["id"], propose()["id"]
    p1, p2, p3, p4 = (token() for _ in range(4))
    for person in (p1, p2, p3):
        support(duplicate, person)
    for person in (p3, p4):
        support(target, person)
    eventually(lambda: counts(http, moderator, duplicate, target) == [3, 2])

    merged = http("POST", f"/api/ideas/{duplicate}/merge", moderator,
                  json={"into": target, "reason": "Doublon"})
    assert merged.status_code == 200, merged.text
    assert (merged.json()["status"], merged.json()["merged_into"]) == ("duplicate", target)
    eventually(lambda: counts(http, moderator, duplicate, target) == [3, 4],
               message="p1 and p2 now count for the target, p3 once")
    eventually(lambda: http("PUT", f"/api/votes/{duplicate}", p4).status_code == 409)
    support(target, p1)  # p1 now supports the target by hand: that stays after an unmerge

    unmerged = http("POST", f"/api/ideas/{duplicate}/unmerge", moderator)
    assert unmerged.status_code == 200, unmerged.text
    assert unmerged.json()["status"] == "submitted" and unmerged.json()["merged_into"] is None
    eventually(lambda: counts(http, moderator, duplicate, target) == [3, 3],
               message="the target keeps p3, p4 and p1's own support")


@pytest.mark.parametrize("into", ["self", "unknown", "merged"])
def test_impossible_merges_are_refused(http, propose, moderator, into, reader):
    source, other, third = propose()["id"], propose()["id"], propose()["id"]
    http("POST", f"/api/ideas/{other}/merge", moderator,
         json={"into": third, "reason": "Doublon"})
    target = {"self": source, "unknown": "0" * 32, "merged": other}[into]

    response = http("POST", f"/api/ideas/{source}/merge", moderator,
                    json={"into": target, "reason": "Doublon"})

    assert response.status_code == (422 if into == "unknown" else 409), response.text
    assert http("GET", f"/api/ideas/{source}", reader).json()["status"] == "submitted"


def test_the_author_edits_until_an_answer_then_only_moderators_do(
        http, propose, agent, token, moderator):
    idea = propose(as_=agent)
    path = f"/api/ideas/{idea['id']}"

    edited = http("PATCH", path, agent, json={"title": "Un guichet unique, mairie annexe comprise"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["history"][0]["title"] == idea["title"]
    assert edited.json()["tags"] == idea["tags"]  # untouched fields stay
    assert http("PATCH", path, token(), json={"title": "Pas mon idée du tout"}).status_code == 403
    assert http("PATCH", path, agent, json={}).status_code == 422

    http("POST", f"{path}/status", moderator, json={"status": "under_review", "note": ""})
    late = http("PATCH", path, agent, json={"body": "Trop tard pour changer le texte ?"})
    by_moderator = http("PATCH", path, moderator, json={"tags": ["accueil", "annexe"]})

    assert late.status_code == 409
    assert by_moderator.status_code == 200 and by_moderator.json()["tags"] == ["accueil", "annexe"]
    eventually(lambda: idea["id"] in [i["id"] for i in http(
        "GET", "/api/ideas", agent, params={"q": "mairie annexe"}).json()["items"]],
        message="found by its new title (lists follow Kafka)")
