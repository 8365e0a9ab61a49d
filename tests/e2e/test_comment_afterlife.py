"""A published comment through the gateway: its author edits it (followers' notifications
show the new text) or deletes it (they go; its replies stay; the idea's count follows);
other agents report it, and moderators hide it or dismiss the reports from their list, each
act once in the moderation log; errors in the API's one shape."""
import pytest

from tests.helpers import eventually, settled


@pytest.fixture
def moderator(token):
    return token(roles=("agent", "moderator"), name="Maëlle Modératrice")


def comment(http, idea_id, who, body, parent_id=None):
    answer = http("POST", f"/api/ideas/{idea_id}/comments", who,
                  json={"body": body, **({"parent_id": parent_id} if parent_id else {})})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def at(idea_id, comment_id, action=""):
    return f"/api/ideas/{idea_id}/comments/{comment_id}{action}"


def notices(http, who):
    return http("GET", "/api/notifications", who).json()["items"]


def refused(answer, code):
    body = answer.json()
    assert answer.status_code == code, answer.text
    assert body["code"] == code and body["status"] and body["message"]
    return body["message"]


def logged(http, moderator, idea_id, action):
    return [e for e in http("GET", "/api/moderation/log", moderator).json()["items"]
            if e["idea_id"] == idea_id and e["action"] == action]


def test_an_edit_reaches_the_page_and_the_followers_notifications(http, propose, token,
                                                                  reader):
    author = token(name="Agnès Autrice")
    idea = propose(as_=author)["id"]
    joel = token(name="Joël N'Diaye")
    cid = comment(http, idea, joel, "Des bancs en bois, svp.")
    eventually(lambda: [n for n in notices(http, author) if n["comment_id"] == cid],
               message="the author told of the comment")

    edited = http("PATCH", at(idea, cid), joel, json={"body": "Des bancs en pierre, svp."})

    assert edited.status_code == 200 and edited.json()["edited_at"], edited.text
    shown = http("GET", f"/api/ideas/{idea}/comments", reader).json()["items"]
    assert [(c["body"], bool(c["edited_at"])) for c in shown] == [
        ("Des bancs en pierre, svp.", True)]
    eventually(lambda: [n["excerpt"] for n in notices(http, author)
                        if n["comment_id"] == cid] == ["Des bancs en pierre, svp."],
               message="the notification shows the new text")
    refused(http("PATCH", at(idea, cid), token(), json={"body": "Pas à moi"}), 403)
    refused(http("PATCH", at(idea, cid), joel, json={"body": ""}), 422)


def test_a_deletion_keeps_the_replies_and_takes_the_notifications_away(http, propose, token,
                                                                        reader):
    author = token(name="Agnès Autrice")
    idea = propose(as_=author)["id"]
    joel, camille = token(), token()
    top = comment(http, idea, joel, "Un avis regretté.")
    reply = comment(http, idea, camille, "Une réponse qui reste.", parent_id=top)
    eventually(lambda: [n for n in notices(http, author) if n["comment_id"] == top],
               message="the author told of the comment")

    deleted = http("DELETE", at(idea, top), joel)

    assert deleted.status_code == 200 and deleted.json()["deleted"] is True, deleted.text
    shown = {c["id"]: c for c in http("GET", f"/api/ideas/{idea}/comments",
                                      reader).json()["items"]}
    assert shown[top]["deleted"] and "body" not in shown[top]
    assert shown[reply]["body"] == "Une réponse qui reste."
    settled(lambda: http("GET", f"/api/ideas/{idea}", reader).json()["comment_count"] == 1,
            message="the count leaves the deleted comment out")
    eventually(lambda: not [n for n in notices(http, author) if n["comment_id"] == top],
               message="the deleted comment's notification gone")
    assert "supprimé" in refused(http("DELETE", at(idea, top), joel), 409)


def test_reports_wait_for_a_moderator_who_hides_or_dismisses_once_each(http, propose, token,
                                                                      moderator):
    idea = propose()["id"]
    joel = token(name="Joël N'Diaye")
    rude, blunt = (comment(http, idea, joel, text)
                   for text in ("Ceux qui proposent ça sont des incapables.",
                                "Idée inutile, à mon avis."))
    for cid in (rude, blunt):
        for reporter in (token(), token()):
            answer = http("POST", at(idea, cid, "/flags"), reporter,
                          json={"reason": "offensive", "note": "Blessant."})
            assert answer.status_code == 201, answer.text
    refused(http("POST", at(idea, rude, "/flags"), joel, json={"reason": "spam"}), 409)

    waiting = {e["comment_id"]: e for e in http("GET", "/api/moderation/comments",
                                                moderator).json()["items"]}
    assert (waiting[rude]["reports"], waiting[rude]["reasons"]) == (2, ["offensive"])
    assert waiting[rude]["reported_body"] == "Ceux qui proposent ça sont des incapables."

    hidden = http("POST", at(idea, rude, "/hide"), moderator, json={"reason": "Injurieux"})
    dismissed = http("POST", at(idea, blunt, "/dismiss"), moderator,
                     json={"reason": "Critique courtoise"})

    assert hidden.status_code == dismissed.status_code == 200, hidden.text + dismissed.text
    left = {e["comment_id"] for e in http("GET", "/api/moderation/comments",
                                          moderator).json()["items"]}
    assert not left & {rude, blunt}
    eventually(lambda: logged(http, moderator, idea, "hide_comment")
               and logged(http, moderator, idea, "dismiss_comment"),
               message="both acts in the log")
    [dismissal] = logged(http, moderator, idea, "dismiss_comment")
    assert dismissal["why"] == "Critique courtoise"
    refused(http("POST", at(idea, blunt, "/dismiss"), moderator, json={}), 409)
    refused(http("POST", at(idea, rude, "/hide"), moderator, json={"reason": "Encore"}), 409)
    refused(http("GET", "/api/moderation/comments", joel), 403)
