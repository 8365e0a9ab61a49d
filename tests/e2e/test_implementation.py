"""A call's chosen idea followed to the end, through the gateway: a moderator accepts an idea
of a call and appoints a person to carry it out; that person posts two updates (30 %, then
60 %); the call's results, in the API and on their page, show it at 60 %, and a follower heard
of both updates in the hub and by mail."""
import os

from tests.e2e.pages import Page
from tests.helpers import call_dates, eventually, received


def progress_kinds(http, who):
    answer = http("GET", "/api/notifications", who)
    assert answer.status_code == 200, answer.text
    return [i["progress"]["percent"] for i in answer.json()["items"] if i["kind"] == "progress"]


def test_an_owner_carries_a_calls_idea_to_60_percent_and_its_follower_hears_each_step(
        http, token, person, browser):
    moderator = token(roles=("agent", "moderator"), name="Maëlle Modératrice")
    call = http("POST", "/api/campaigns", moderator, json={
        "title": "Moins de papier au guichet", "question": "Comment accueillir sans papier ?",
        **call_dates()})
    assert call.status_code == 201, call.text
    call_id = call.json()["id"]
    author = token(name="Agnès Autrice")
    idea = http("POST", "/api/ideas", author, json={
        "title": "Des formulaires sur tablette à l'accueil", "campaign_id": call_id,
        "body": "Les usagers remplissent leur demande sur une tablette prêtée."}).json()
    helene, helene_address, helene_name = person("Hélène")
    camille, camille_address, _ = person("Camille")
    eventually(lambda: http("PUT", f"/api/ideas/{idea['id']}/follow", camille).status_code
               == 200, message="the digest service knows the idea")

    accepted = http("POST", f"/api/ideas/{idea['id']}/status", moderator,
                    json={"status": "accepted", "note": "Retenue : essai au printemps."})
    assert accepted.status_code == 200, accepted.text
    helene_id = helene_address.split("@")[0]  # her sub (tests/e2e/conftest.py, person)
    appointed = http("PUT", f"/api/ideas/{idea['id']}/implementation", moderator, json={
        "owner": {"kind": "person", "name": helene_name, "id": helene_id},
        "target_date": "2027-06-30"})
    assert appointed.status_code == 200, appointed.text
    # Before her appointment nobody else may post: an agent of the call is refused.
    assert http("POST", f"/api/ideas/{idea['id']}/progress", camille, json={
        "milestone": "Rien", "percent": 5}).status_code == 403

    for milestone, percent in (("Tablettes commandées", 30), ("Essai à l'accueil", 60)):
        posted = http("POST", f"/api/ideas/{idea['id']}/progress", helene, json={
            "milestone": milestone, "percent": percent, "update": f"Étape : {milestone}."})
        assert posted.status_code == 200, posted.text

    def at_60():
        items = http("GET", f"/api/campaigns/{call_id}/results", camille).json()["items"]
        return items if [(i["id"], i["percent"]) for i in items] == [(idea["id"], 60)] else None
    chosen = eventually(at_60, message="the results at 60 %")[0]
    assert chosen["owner"]["name"] == helene_name and chosen["target_date"] == "2027-06-30"
    assert chosen["last_update"]["milestone"] == "Essai à l'accueil"

    page = browser(token=camille).get(f"/appels/{call_id}/resultats")
    assert page.status_code == 200
    shown = Page(page.text)
    assert shown.value_of(f"avancement-{idea['id']}") == "60"
    assert shown.shows("60\u00a0%") and shown.shows("« Étape : Essai à l'accueil. »")
    idea_page = browser(token=camille).get(f"/ideas/{idea['id']}")
    assert "Tablettes commandées" in idea_page.text and "Mise en œuvre" in idea_page.text

    eventually(lambda: progress_kinds(http, camille) == [60, 30], message="both updates told")
    maildir = os.environ["HUB_MAILDIR"]
    eventually(lambda: sum("avance" in m["Subject"] for m in received(maildir, camille_address))
               == 2, timeout=30, message="both updates by mail")
