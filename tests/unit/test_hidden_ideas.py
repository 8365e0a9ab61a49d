"""Hidden means hidden to everyone but moderators: its text, its comments, what the report
that hid it answers; and an idea's earlier texts are for moderators and its author."""
import pytest

from services.ideas.moderation import DEFAULT_THRESHOLD

IDEA = {"title": "Un titre qui sera signalé", "body": "Un texte qui sera signalé trois fois.",
        "tags": []}


@pytest.fixture
def client(make_app, config):
    """A hub that reads in public (HUB_PUBLIC_READ=1), so that anonymous readers are asked too."""
    return make_app("ideas", config.with_overrides(public_read=True)).test_client()


@pytest.fixture
def idea_id(client, auth):
    response = client.post("/api/ideas", json=IDEA, headers=auth("alice"))
    assert response.status_code == 201
    return response.get_json()["id"]


def hide_by_reports(client, auth, idea_id):
    """The reports that reach the threshold; returns the last answer."""
    for n in range(DEFAULT_THRESHOLD):
        answer = client.post(f"/api/ideas/{idea_id}/flags", json={"reason": "offensive"},
                             headers=auth(f"reporter-{n}"))
        assert answer.status_code == 201
    return answer


def test_the_report_that_hides_an_idea_answers_its_id_and_status_only(client, auth, idea_id):
    answer = hide_by_reports(client, auth, idea_id).get_json()

    assert answer == {"id": idea_id, "status": "hidden"}


def test_a_hidden_ideas_comments_are_hidden_but_to_moderators(client, auth, idea_id):
    client.post(f"/api/ideas/{idea_id}/comments", json={"body": "Un avis"}, headers=auth("bob"))
    hide_by_reports(client, auth, idea_id)

    assert client.get(f"/api/ideas/{idea_id}/comments").status_code == 404
    assert client.get(f"/api/ideas/{idea_id}/comments",
                      headers=auth("bob")).status_code == 404
    moderator = client.get(f"/api/ideas/{idea_id}/comments",
                           headers=auth("ines", roles=("agent", "moderator")))
    assert [c["body"] for c in moderator.get_json()["items"]] == ["Un avis"]


def test_earlier_texts_are_shown_to_moderators_and_the_author_only(client, auth, idea_id):
    edited = client.patch(f"/api/ideas/{idea_id}", json={"title": "Un titre corrigé ensuite"},
                          headers=auth("alice"))
    assert edited.status_code == 200

    def history(**headers):
        return client.get(f"/api/ideas/{idea_id}", **headers).get_json()["history"]

    assert history() == [] and history(headers=auth("bob")) == []
    assert [h["title"] for h in history(headers=auth("alice"))] == [IDEA["title"]]
    assert [h["title"] for h in history(
        headers=auth("ines", roles=("agent", "moderator")))] == [IDEA["title"]]
