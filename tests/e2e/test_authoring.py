"""What an author does with their idea from the pages, through the gateway: edit it while it
awaits an answer, withdraw it after a confirmation; never support or report it."""
import uuid

from tests.e2e.pages import Page
from tests.helpers import eventually


def test_an_author_edits_then_withdraws_their_idea_from_the_pages(browser, token, propose, http):
    author = token()
    idea = propose(title=f"Des bancs à l'ombre {uuid.uuid4().hex[:6]}", as_=author)["id"]
    pages = browser(token=author)

    assert "Modifier mon idée" in pages.get(f"/ideas/{idea}").text
    pages.get(f"/ideas/{idea}/edit")
    edited = pages.post(f"/ideas/{idea}/edit", {
        "title": "Des bancs à l'ombre, et une fontaine", "tags": "accueil, eau",
        "body": "Les usagers attendent au soleil ; de l'eau fraîche aussi."})
    assert edited.status_code == 303
    stored = http("GET", f"/api/ideas/{idea}", author).json()
    assert (stored["title"], stored["tags"]) == ("Des bancs à l'ombre, et une fontaine",
                                                 ["accueil", "eau"])

    asked = pages.get(f"/ideas/{idea}/withdraw")
    assert asked.status_code == 200 and "Oui, retirer mon idée" in asked.text
    assert http("GET", f"/api/ideas/{idea}", author).json()["status"] == "submitted"  # not yet
    assert pages.post(f"/ideas/{idea}/withdraw").status_code == 303
    assert http("GET", f"/api/ideas/{idea}", author).json()["status"] == "withdrawn"


def test_an_author_neither_supports_nor_reports_their_own_idea(browser, token, propose, http):
    author = token()
    idea = propose(as_=author)["id"]

    def refused():
        answer = http("PUT", f"/api/votes/{idea}", author)
        return [answer] if answer.status_code != 404 else None  # the votes service learns it
    [support] = eventually(refused, message="the votes service knows the idea")
    report = http("POST", f"/api/ideas/{idea}/flags", author, json={"reason": "spam"})
    page = Page(browser(token=author).get(f"/ideas/{idea}").text)

    assert support.status_code == 409 and "votre idée" in support.json()["message"]
    assert report.status_code == 409
    assert not page.shows("Soutenir") and not page.shows("Signaler cette idée")


def test_another_agent_cannot_edit_someone_elses_idea_from_the_pages(browser, token, propose):
    idea = propose()["id"]

    assert browser(token=token()).get(f"/ideas/{idea}/edit").status_code == 403
