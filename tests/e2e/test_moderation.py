"""Reports, hiding, the moderation queue and its log, through the gateway."""
import uuid

import pytest

from tests.e2e.pages import Page
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


def hide(http, moderator, idea_id, reason="Données personnelles"):
    return http("POST", f"/api/ideas/{idea_id}/hide", moderator, json={"reason": reason})


def test_hiding_without_a_reason_is_refused_in_french(http, propose, moderator, reader):
    idea = propose()["id"]
    refused = http("POST", f"/api/ideas/{idea}/hide", moderator, json={"reason": "  "})
    assert refused.status_code == 422
    assert refused.json()["errors"]["reason"] == ["Entre 1 et 1000 caractères."]
    assert http("GET", f"/api/ideas/{idea}", reader).json()["status"] == "submitted"


def test_the_hide_form_asks_a_reason_then_a_confirmation(browser, propose, moderator, http,
                                                         reader):
    idea = propose()["id"]
    pages = browser(token=moderator)
    pages.get(f"/ideas/{idea}")

    empty = pages.post(f"/ideas/{idea}/hide", {"reason": ""})
    assert empty.status_code == 303
    assert "Indiquez le motif du masquage" in " ".join(
        Page(pages.get(empty.headers["Location"]).text).alerts)
    asked = pages.post(f"/ideas/{idea}/hide", {"reason": "Données personnelles"})
    assert asked.status_code == 200 and "Confirmer le masquage" in asked.text
    assert http("GET", f"/api/ideas/{idea}", reader).status_code == 200  # not yet
    done = pages.post(f"/ideas/{idea}/hide", {"reason": "Données personnelles",
                                              "confirmed": "1"})
    assert done.status_code == 303
    assert http("GET", f"/api/ideas/{idea}", reader).status_code == 404


def test_hiding_tells_the_author_why_in_their_notifications(browser, propose, token,
                                                           moderator, http):
    """Hiding told the author nothing (issue 17): the hiding confirmed from the pages reaches
    the author's centre with its reason, and leads to the idea's page, which says why."""
    author = token(name="Agnès Autrice")
    idea = propose(as_=author)["id"]
    pages = browser(token=moderator)
    pages.get(f"/ideas/{idea}")

    done = pages.post(f"/ideas/{idea}/hide", {"reason": "Données personnelles d'agents",
                                              "confirmed": "1"})

    assert done.status_code == 303
    [notice] = eventually(lambda: [i for i in http("GET", "/api/notifications", author).json()[
        "items"] if i["kind"] == "hidden" and i["idea"]["id"] == idea],
        message="the author is told")
    assert notice["note"] == "Données personnelles d'agents"
    assert notice["link"] == f"/ideas/{idea}"
    centre = Page(browser(token=author).get("/notifications").text)
    assert centre.shows("La modération a masqué votre idée")
    assert centre.shows("Données personnelles d'agents")


def test_a_merge_finds_its_target_by_title_confirms_both_titles_and_logs_into_what(
        browser, propose, moderator, http):
    words = uuid.uuid4().hex[:10]
    target = propose(title=f"Un guichet unique {words} en mairie")["id"]
    duplicate = propose(title="Un accueil commun pour les démarches")["id"]
    pages = browser(token=moderator)
    pages.get(f"/ideas/{duplicate}")

    found = eventually(lambda: (lambda p: p if target in p.text else None)(
        pages.post(f"/ideas/{duplicate}/merge", {"into": f"guichet {words}",
                                                  "reason": "Même demande"})),
        message="the search finds the target (lists follow Kafka)")
    assert f'value="{target}"' in found.text
    asked = pages.post(f"/ideas/{duplicate}/merge", {"into": target, "reason": "Même demande"})
    assert asked.status_code == 200 and "Confirmer la fusion" in asked.text
    assert f"Un guichet unique {words} en mairie" in asked.text
    assert "Un accueil commun pour les démarches" in asked.text
    done = pages.post(f"/ideas/{duplicate}/merge", {"into": target, "reason": "Même demande",
                                                    "confirmed": "1"})
    assert done.status_code == 303
    [merged] = eventually(lambda: [e for e in log_of(http, moderator, duplicate)
                                   if e["action"] == "merge"], message="the merge logged")
    assert (merged["into"], merged["into_title"], merged["why"]) == (
        target, f"Un guichet unique {words} en mairie", "Même demande")
    log_page = pages.get("/moderation/log").text
    assert f'href="/ideas/{target}"' in log_page


def test_the_moderator_reads_the_reports_and_dismisses_them_without_public_history(
        http, propose, token, moderator, reader, browser):
    idea = propose()["id"]
    report(http, idea, token(), reason="spam", note="Publicité déguisée ?")
    report(http, idea, token(), reason="off_topic")
    shown = http("GET", f"/api/ideas/{idea}", moderator).json()["reports"]
    assert [(r["reason"], r["note"]) for r in shown] == [("spam", "Publicité déguisée ?"),
                                                         ("off_topic", "")]
    page = browser(token=moderator).get(f"/ideas/{idea}").text
    assert "Publicité déguisée ?" in page and "Classer sans suite" in page
    eventually(lambda: (queued(http, moderator, idea) or {}).get("pending_flags") == 2,
               message="reported, in the queue")

    dismissed = http("POST", f"/api/ideas/{idea}/dismiss", moderator,
                     json={"reason": "Critique légitime"})

    assert dismissed.status_code == 200 and dismissed.json()["status"] == "submitted"
    public = http("GET", f"/api/ideas/{idea}", reader).json()
    assert public["timeline"] == []  # no "masquée… rétablie"
    assert http("GET", f"/api/ideas/{idea}", moderator).json()["reports"] == []
    eventually(lambda: (queued(http, moderator, idea) or {}).get("pending_flags", 0) == 0,
               message="no longer waiting as reported")
    eventually(lambda: [e for e in log_of(http, moderator, idea) if e["action"] == "dismiss"],
               message="the dismissal logged")
    again = http("POST", f"/api/ideas/{idea}/dismiss", moderator, json={"reason": ""})
    assert again.status_code == 409


def test_a_hiding_by_the_threshold_says_so_and_is_confirmed_out_of_the_queue(
        http, propose, token, moderator):
    idea = propose()["id"]
    for _ in range(3):
        report(http, idea, token())
    hidden = http("GET", f"/api/ideas/{idea}", moderator).json()
    assert hidden["timeline"][-1]["by"] is None and hidden["timeline"][-1]["threshold"]
    eventually(lambda: queued(http, moderator, idea), message="waiting, hidden")

    confirmed = http("POST", f"/api/ideas/{idea}/confirm", moderator,
                     json={"reason": "Propos injurieux"})

    assert confirmed.status_code == 200 and confirmed.json()["status"] == "hidden"
    eventually(lambda: queued(http, moderator, idea) is None, message="out of the queue")
    actions = eventually(lambda: (lambda log: log if len(log) == 2 else None)(
        sorted((e["action"], e["by"] and e["by"]["name"]) for e in
               log_of(http, moderator, idea))), message="both logged")
    assert actions == [("confirm", "Inès Bouchard"), ("hide", None)]


def test_the_author_sees_a_hidden_idea_lists_it_and_contests_once(
        http, propose, token, moderator, browser):
    author = token(name="Agnès Autrice")
    idea = propose(as_=author)["id"]
    assert hide(http, moderator, idea, "Hors sujet pour ce hub").status_code == 200

    mine = http("GET", f"/api/ideas/{idea}", author)
    assert mine.status_code == 200 and mine.json()["hidden_reason"] == "Hors sujet pour ce hub"
    assert http("GET", f"/api/ideas/{idea}", token()).status_code == 404
    listed = eventually(lambda: [i for i in http("GET", "/api/ideas?author=me&limit=100",
                                                 author).json()["items"] if i["id"] == idea],
                        message="listed among mine")
    assert listed[0]["status"] == "hidden"
    pages = browser(token=author)
    page = pages.get(f"/ideas/{idea}")
    assert page.status_code == 200 and "Hors sujet pour ce hub" in page.text
    assert "Cette idée est masquée" in page.text and "Contester le masquage" in page.text
    assert "masquée" in pages.get("/me").text
    eventually(lambda: queued(http, moderator, idea) is None,
               message="a moderator's hiding waits in no queue")

    contested = pages.post(f"/ideas/{idea}/contest", {"text": "Il concerne bien le service."})
    assert contested.status_code == 303
    waiting = eventually(lambda: queued(http, moderator, idea), message="back in the queue")
    assert waiting["contest"]["text"] == "Il concerne bien le service."
    # Where the moderator acts on it (the queue's first page holds the oldest waiting ideas).
    assert "Il concerne bien le service." in browser(token=moderator).get(f"/ideas/{idea}").text
    second = http("POST", f"/api/ideas/{idea}/contest", author, json={"text": "Encore moi."})
    assert second.status_code == 409 and "déjà contesté" in second.json()["message"]


def test_a_moderator_hides_a_comment_from_the_idea_page_with_a_reason_once_confirmed(
        http, propose, token, moderator, browser, reader):
    idea = propose()["id"]
    comment = http("POST", f"/api/ideas/{idea}/comments", token(),
                   json={"body": "Un commentaire hors de propos"}).json()["id"]
    pages = browser(token=moderator)
    page = pages.get(f"/ideas/{idea}")
    assert "Masquer ce commentaire" in page.text

    def hidden_now():
        items = http("GET", f"/api/ideas/{idea}/comments", reader).json()["items"]
        return [c["hidden"] for c in items if c["id"] == comment]

    empty = pages.post(f"/ideas/{idea}/comments/{comment}/hide", {"reason": ""})
    assert empty.status_code == 303 and hidden_now() == [False]  # a reason is asked first
    asked = pages.post(f"/ideas/{idea}/comments/{comment}/hide", {"reason": "Hors sujet"})
    assert asked.status_code == 200 and "Masquer ce commentaire ?" in asked.text
    assert "Un commentaire hors de propos" in asked.text and hidden_now() == [False]
    hidden = pages.post(f"/ideas/{idea}/comments/{comment}/hide",
                        {"reason": "Hors sujet", "confirmed": "1"})

    assert hidden.status_code == 303
    shown = http("GET", f"/api/ideas/{idea}/comments", reader).json()["items"]
    assert [c["hidden"] for c in shown if c["id"] == comment] == [True]
    assert "Un commentaire hors de propos" not in browser(token=reader).get(f"/ideas/{idea}").text
    assert "Masquer ce commentaire" not in browser(token=reader).get(f"/ideas/{idea}").text
