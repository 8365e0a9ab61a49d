"""Reports, hiding, the moderation queue and its log, through the gateway."""
import pytest

from tests.helpers import eventually


@pytest.fixture
def moderator(token):
    return token(roles=("agent", "moderator"), name="Inès Bouchard")


def report(http, idea_id, tok, reason="offensive", note=""):
    return http("POST", f"/api/ideas/{idea_id}/flags", tok, json={"reason": reason, "note": note})


def log_of(http, moderator, idea_id):
    return [e for e in http("GET", "/api/moderation/log", moderator).json()["items"]
            if e["idea_id"] == idea_id]


def queued(http, moderator, idea_id):
    """The idea as the moderation queue shows it, on whichever page, or None."""
    cursor = ""
    while cursor is not None:
        page = http("GET", f"/api/moderation/queue?limit=100&cursor={cursor}" if cursor
                    else "/api/moderation/queue?limit=100", moderator).json()
        found = next((i for i in page["items"] if i["id"] == idea_id), None)
        if found:
            return found
        cursor = page["next_cursor"]
    return None


def test_three_reports_hide_an_idea_a_fourth_counts_and_a_moderator_restores_it(
        http, propose, token, moderator, reader):
    idea = propose()["id"]
    reporters = [token() for _ in range(4)]
    for n, reporter in enumerate(reporters[:3]):
        assert report(http, idea, reporter, note=f"motif {n}").status_code == 201

    assert http("GET", f"/api/ideas/{idea}", reader).status_code == 404  # hidden from agents
    assert http("GET", f"/api/ideas/{idea}", moderator).json()["status"] == "hidden"
    listed = http("GET", "/api/ideas?limit=100", reader).json()["items"]
    assert idea not in [i["id"] for i in listed]
    fourth = report(http, idea, reporters[3], reason="spam")
    assert fourth.status_code == 201 and fourth.json()["status"] == "hidden"
    waiting = eventually(lambda: queued(http, moderator, idea), message="in the queue")
    assert waiting["pending_flags"] == 4 and waiting["reasons"] == ["offensive", "spam"]

    restored = http("POST", f"/api/ideas/{idea}/restore", moderator,
                    json={"reason": "Critique vive mais légitime"})

    assert restored.status_code == 200 and restored.json()["status"] == "submitted"
    assert http("GET", f"/api/ideas/{idea}", reader).status_code == 200
    eventually(lambda: (queued(http, moderator, idea) or {}).get("pending_flags") == 0,
               message="still in the queue, awaiting an answer, its reports reviewed")
    restore = eventually(lambda: [e for e in log_of(http, moderator, idea)
                                  if e["action"] == "restore"], message="the restore logged")
    assert restore[0]["why"] == "Critique vive mais légitime"
    assert restore[0]["by"]["name"] == "Inès Bouchard"
    hidden_by_reports = [e for e in log_of(http, moderator, idea) if e["action"] == "hide"]
    assert hidden_by_reports[0]["by"] is None and "3 signalements" in hidden_by_reports[0]["why"]


def test_the_same_person_reporting_twice_is_409(http, propose, token):
    idea, reporter = propose()["id"], token()
    assert report(http, idea, reporter).status_code == 201
    second = report(http, idea, reporter)
    assert second.status_code == 409 and "déjà signalé" in second.json()["message"]


def test_a_moderator_hides_then_confirms_and_the_log_keeps_both(http, propose, moderator):
    idea = propose()["id"]
    assert http("POST", f"/api/ideas/{idea}/hide", moderator,
                json={"reason": "Données personnelles"}).status_code == 200
    assert http("POST", f"/api/ideas/{idea}/confirm", moderator,
                json={"reason": "Confirmé"}).status_code == 200
    eventually(lambda: len(log_of(http, moderator, idea)) == 2, message="both acts logged")
    assert sorted(e["why"] for e in log_of(http, moderator, idea)) == [
        "Confirmé", "Données personnelles"]


@pytest.mark.parametrize("path", ["/api/moderation/queue", "/api/moderation/log"])
def test_only_moderators_read_the_queue_and_the_log(http, agent, path):
    assert http("GET", path).status_code == 401
    assert http("GET", path, agent).status_code == 403
