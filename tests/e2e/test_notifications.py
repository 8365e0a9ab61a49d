"""People hear what happens to the ideas they follow: in the notification centre and by mail
over real SMTP, as each chose, once."""
import os

import pytest
import requests

from tests.helpers import eventually, received, settled


@pytest.fixture
def moderator(token):
    return token(roles=("agent", "moderator"), name="Maëlle Modératrice")


def centre(http, who, **params):
    answer = http("GET", "/api/notifications", who, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def kinds(http, who):
    return [item["kind"] for item in centre(http, who)["items"]]


def following(http, idea_id, who):
    return http("GET", f"/api/ideas/{idea_id}/follow", who).json().get("following")


def comment(http, idea_id, who, body, parent_id=None):
    answer = http("POST", f"/api/ideas/{idea_id}/comments", who,
                  json={"body": body, **({"parent_id": parent_id} if parent_id else {})})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_agnes_hears_of_the_support_the_mention_and_the_answer_in_order_and_by_mail_once(
        http, propose, support, person, moderator):
    agnes, agnes_address, agnes_name = person("Agnès")
    joel, joel_address, _ = person("Joël")
    idea = propose(title="Déclarer ses frais de déplacement en ligne", as_=agnes)
    eventually(lambda: following(http, idea["id"], agnes), message="the author follows")

    support(idea["id"], joel)
    eventually(lambda: kinds(http, agnes) == ["milestone"], message="the first support told")
    said = comment(http, idea["id"], joel, f"@{agnes_name} bonne idée, et sans papier !")
    eventually(lambda: kinds(http, agnes) == ["mention", "milestone"], message="the mention")
    answered = http("POST", f"/api/ideas/{idea['id']}/status", moderator,
                    json={"status": "accepted", "note": "Retenue pour 2027."})
    assert answered.status_code == 200, answered.text

    eventually(lambda: kinds(http, agnes) == ["status", "mention", "milestone"],
               message="the answer told")
    items = centre(http, agnes)["items"]
    assert [item["link"] for item in items] == [
        f"/ideas/{idea['id']}", f"/ideas/{idea['id']}#commentaire-{said['id']}",
        f"/ideas/{idea['id']}"]
    assert items[0]["note"] == "Retenue pour 2027." and items[0]["status"] == "accepted"
    assert items[2]["milestone"] == 1
    assert centre(http, agnes)["unread"] == 3
    # Joël supported, so he follows: he hears the answer, not his own comment.
    eventually(lambda: kinds(http, joel) == ["status"], message="the supporter told")

    # By default a status and a mention come at once, a milestone in the weekly summary.
    maildir = os.environ["HUB_MAILDIR"]
    eventually(lambda: len(received(maildir, agnes_address)) == 2, timeout=30,
               message="two mails for Agnès")
    settled(lambda: len(received(maildir, agnes_address)) == 2, times=20,
            message="no third mail")
    mails = received(maildir, agnes_address)
    subjects = sorted(m["Subject"] for m in mails)
    assert subjects == sorted([
        "Ideahub — « Déclarer ses frais de déplacement en ligne » est désormais retenue",
        f"Ideahub — Joël Essai{joel_address.split('-')[1][:6]} vous a mentionné sur "
        "« Déclarer ses frais de déplacement en ligne »"])
    assert len({m["Message-ID"] for m in mails}) == 2
    for mail in mails:
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mail.get_body(("plain",)) and mail.get_body(("html",))
    assert "Retenue pour 2027." in "".join(m.get_body(("plain",)).get_content() for m in mails)


def test_marking_read_one_then_all(http, propose, person, moderator):
    agnes, _, _ = person("Agnès")
    idea = propose(as_=agnes)
    eventually(lambda: following(http, idea["id"], agnes), message="the author follows")
    for status in ("under_review", "accepted"):
        http("POST", f"/api/ideas/{idea['id']}/status", moderator,
             json={"status": status, "note": "Noté."})
    eventually(lambda: centre(http, agnes)["unread"] == 2, message="two unread")
    newest = centre(http, agnes)["items"][0]["id"]

    one = http("POST", "/api/notifications/read", agnes, json={"ids": [newest]})
    assert one.status_code == 200 and one.json() == {"unread": 1}
    assert [i["id"] for i in centre(http, agnes, unread=1)["items"]] != [newest]
    assert http("POST", "/api/notifications/read", agnes,
                json={"all": True}).json() == {"unread": 0}
    assert http("POST", "/api/notifications/read", agnes, json={}).status_code == 422


def test_a_reply_tells_the_parents_writer_and_a_hidden_comments_notice_vanishes(
        http, propose, person, moderator):
    agnes, _, _ = person("Agnès")
    joel, _, _ = person("Joël")
    camille, _, _ = person("Camille")
    idea = propose(as_=agnes)
    first = comment(http, idea["id"], camille, "Et pour les agents en télétravail ?")
    reply = comment(http, idea["id"], joel, "Ils aussi, bien sûr.", parent_id=first["id"])

    eventually(lambda: kinds(http, camille) == ["reply"], message="the reply told")
    assert centre(http, camille)["items"][0]["link"].endswith(f"#commentaire-{reply['id']}")
    eventually(lambda: kinds(http, agnes) == ["comment", "comment"], message="author told")

    hidden = http("POST", f"/api/ideas/{idea['id']}/comments/{reply['id']}/hide", moderator,
                  json={"reason": "Hors sujet"})
    assert hidden.status_code == 200, hidden.text
    eventually(lambda: kinds(http, camille) == [], message="the reply's notice gone")
    eventually(lambda: kinds(http, agnes) == ["comment"], message="gone for the author too")
    assert centre(http, camille)["unread"] == 0


def test_never_for_comments_means_no_mail_of_them_but_the_centre_keeps_them(
        http, propose, person):
    agnes, agnes_address, _ = person("Agnès")
    paul, paul_address, _ = person("Paul")
    joel, _, _ = person("Joël")
    for who, mode in ((agnes, "never"), (paul, "immediate")):
        saved = http("PUT", "/api/notifications/preferences", who,
                     json={"mail": {"comment": mode}})
        assert saved.status_code == 200 and saved.json()["mail"]["comment"] == mode
    idea = propose(as_=agnes)
    eventually(lambda: following(http, idea["id"], agnes) is not None
               and http("PUT", f"/api/ideas/{idea['id']}/follow", paul).status_code == 200,
               message="Paul follows")

    comment(http, idea["id"], joel, "Je propose un essai au service urbanisme.")

    maildir = os.environ["HUB_MAILDIR"]
    eventually(lambda: len(received(maildir, paul_address)) == 1, timeout=30,
               message="Paul's mail")
    assert kinds(http, agnes) == ["comment"]
    assert received(maildir, agnes_address) == []


def test_unfollowing_is_a_choice_a_later_support_does_not_undo(
        http, propose, support, person, moderator):
    agnes, _, _ = person("Agnès")
    joel, _, _ = person("Joël")
    idea = propose(as_=agnes)
    eventually(lambda: following(http, idea["id"], agnes), message="the author follows")
    assert http("DELETE", f"/api/ideas/{idea['id']}/follow", joel).json() == {"following": False}

    support(idea["id"], joel)
    comment(http, idea["id"], joel, "Je soutiens, sans suivre.")
    http("POST", f"/api/ideas/{idea['id']}/status", moderator,
         json={"status": "under_review", "note": "À l'étude."})

    eventually(lambda: "status" in kinds(http, agnes), message="the author told")
    assert following(http, idea["id"], joel) is False
    assert kinds(http, joel) == []
    assert http("GET", "/api/ideas/inconnue/follow", joel).status_code == 404
    assert http("GET", f"/api/ideas/{idea['id']}/follow", "").status_code == 401


def test_one_click_unsubscribe_turns_off_exactly_the_kind_of_the_mail(
        http, propose, person, moderator):
    agnes, agnes_address, _ = person("Agnès")
    idea = propose(as_=agnes)
    eventually(lambda: following(http, idea["id"], agnes), message="the author follows")
    http("POST", f"/api/ideas/{idea['id']}/status", moderator,
         json={"status": "under_review", "note": "À l'étude."})
    maildir = os.environ["HUB_MAILDIR"]
    mail = eventually(lambda: received(maildir, agnes_address), timeout=30)[0]
    one_click = mail["List-Unsubscribe"].strip("<>")
    # As it travelled: one line a mail client can read, not encoded words.
    assert dict(mail.raw_items())["List-Unsubscribe"] == f"<{one_click}>"

    assert requests.post(one_click, timeout=10).status_code == 204
    mail_prefs = http("GET", "/api/notifications/preferences", agnes).json()["mail"]
    assert mail_prefs["status"] == "never" and mail_prefs["mention"] == "immediate"
    assert requests.post(one_click + "x", timeout=10).status_code == 404


def test_followers_of_a_merged_idea_hear_where_their_support_went(
        http, propose, support, person, moderator):
    agnes, _, _ = person("Agnès")
    joel, _, _ = person("Joël")
    source = propose(title="Vélos électriques de service", as_=agnes)
    target = propose(title="Des VAE pour les déplacements des agents")
    support(source["id"], joel)
    eventually(lambda: following(http, source["id"], joel), message="the supporter follows")

    merged = http("POST", f"/api/ideas/{source['id']}/merge", moderator,
                  json={"into": target["id"], "reason": "Même demande"})
    assert merged.status_code == 200, merged.text

    eventually(lambda: "merge" in kinds(http, joel), message="the merge told")
    item = centre(http, joel)["items"][0]
    assert item["merged"] is True and item["into"]["id"] == target["id"]
    eventually(lambda: following(http, target["id"], joel), message="follows the target")


def test_a_follower_hears_of_each_implementation_update_in_the_hub_and_by_mail(
        http, propose, person, moderator):
    camille, camille_address, _ = person("Camille")
    idea = propose(title="Un composteur pour la cantine du personnel")
    eventually(lambda: http("PUT", f"/api/ideas/{idea['id']}/follow", camille).status_code
               == 200, message="the digest service knows the idea")
    http("POST", f"/api/ideas/{idea['id']}/status", moderator,
         json={"status": "accepted", "note": "Retenue."})
    appointed = http("PUT", f"/api/ideas/{idea['id']}/implementation", moderator, json={
        "owner": {"kind": "unit", "name": "Services techniques"}, "target_date": "2027-04-01"})
    assert appointed.status_code == 200, appointed.text

    posted = http("POST", f"/api/ideas/{idea['id']}/progress", moderator, json={
        "milestone": "Bac livré", "percent": 40, "update": "Il est dans la cour."})
    assert posted.status_code == 200, posted.text

    eventually(lambda: kinds(http, camille) == ["progress", "status"], message="update told")
    item = centre(http, camille)["items"][0]
    assert item["progress"] == {"milestone": "Bac livré", "percent": 40,
                                "update": "Il est dans la cour."}
    maildir = os.environ["HUB_MAILDIR"]
    title = "« Un composteur pour la cantine du personnel »"
    wanted = f"Ideahub — {title} avance : Bac livré (40\u00a0%)"
    mails = eventually(lambda: [m for m in received(maildir, camille_address)
                                if m["Subject"] == wanted], timeout=30,
                       message="the update by mail, at once by default")
    assert "Il est dans la cour." in mails[0].get_body(("plain",)).get_content()
