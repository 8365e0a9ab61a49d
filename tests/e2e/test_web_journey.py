"""The pages through the gateway without JavaScript, as a browser with cookies and forms:
sign in, propose (after the similar-idea hint), comment, support, answer, preview a digest."""
import uuid
from datetime import datetime, timezone

from services.digest.periods import period_of
from tests.helpers import eventually


def idea_block(page, idea_id):
    start = page.index(f'id="idea-{idea_id}"')
    end = page.find('<li class="idea"', start)
    return page[start:end if end > 0 else len(page)]


def propose(agnes, title, body):
    agnes.get("/ideas/new")
    form = {"title": title, "body": body, "tags": "accueil, mobilité"}
    answer = agnes.post("/ideas", form)
    if answer.status_code == 200:  # the similar-idea hint came first; proposing again goes on
        assert "Une idée proche existe peut-être" in answer.text
        answer = agnes.post("/ideas", {**form, "similar_checked": "1"})
    assert answer.status_code == 303, answer.text
    return answer.headers["Location"].rsplit("/", 1)[1]


def test_the_journey_without_javascript(browser):
    marker = uuid.uuid4().hex[:6]
    agnes = browser("agnes")
    idea_id = propose(agnes, f"Un composteur partagé {marker} près de la cantine",
                      "Les restes de la cantine nourriraient le jardin partagé.\n"
                      "Voir https://exemple.fr/compost pour le modèle.")

    page = agnes.get(f"/ideas/{idea_id}").text
    assert f"Un composteur partagé {marker}" in page
    assert '<a href="https://exemple.fr/compost" rel="nofollow noopener noreferrer">' in page
    commented = agnes.post(f"/ideas/{idea_id}/comments", {"body": "J'ajoute : « bio » !"})
    assert commented.status_code == 303
    assert "J&#39;ajoute : « bio » !" in agnes.get(f"/ideas/{idea_id}").text

    joel = browser("joel")
    joel.get("/?sort=new")

    def supported():
        answer = joel.post(f"/ideas/{idea_id}/support", {"next": "/?sort=new"})
        assert answer.status_code == 303
        listed = joel.get("/?sort=new").text
        return answer if 'aria-pressed="true"' in idea_block(listed, idea_id) else None
    answer = eventually(supported, message="the votes service knows the idea")
    assert answer.headers["Location"] == f"/?sort=new#idea-{idea_id}"
    block = idea_block(joel.get("/?sort=new").text, idea_id)
    assert "Retirer mon soutien" in block
    eventually(lambda: '<span class="support-count">1 soutien</span>' in idea_block(
        joel.get("/?sort=new").text, idea_id), message="the count shows on the list")

    maelle = browser("maelle")
    maelle.get(f"/ideas/{idea_id}")
    answered = maelle.post(f"/ideas/{idea_id}/status",
                           {"status": "accepted", "note": "Retenue : essai au printemps."})
    assert answered.status_code == 303, answered.text
    page = maelle.get(f"/ideas/{idea_id}").text
    timeline = page[page.index("Historique"):page.index('id="commentaires"')]
    assert "retenue" in timeline and "Retenue : essai au printemps." in timeline

    aurelie = browser("aurelie")
    aurelie.get("/digest")
    saved = aurelie.post("/digest", {"units": "Service urbanisme", "weekday": "0", "hour": "8",
                                     "language": "fr"})
    assert saved.status_code == 303, saved.text
    period = period_of(datetime.now(timezone.utc))
    preview = eventually(lambda: (lambda page: page if marker in page else None)(
        aurelie.get(f"/digest?period={period}").text), message="the digest has the idea")
    assert "Aperçu de la synthèse" in preview


def test_a_form_without_its_csrf_token_is_refused(browser):
    agnes = browser("agnes")
    answer = agnes.post("/ideas", {"title": "Sans jeton CSRF", "body": "Ne doit pas passer."},
                        csrf=False)
    assert answer.status_code == 400 and "Requête refusée" in answer.text
    assert "Sans jeton CSRF" not in agnes.get("/?sort=new").text


def test_a_refused_proposal_keeps_the_typed_text(browser):
    agnes = browser("agnes")
    agnes.get("/ideas/new")
    answer = agnes.post("/ideas", {"title": "Vél", "body": "Trop « court »"})
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text and "Trop « court »</textarea>" in answer.text


def test_roles_are_enforced_on_the_pages(browser):
    assert browser().get("/moderation").status_code == 303
    assert browser("agnes").get("/moderation").status_code == 403
    assert browser("maelle").get("/moderation").status_code == 200
    assert browser("maelle").get("/moderation/log").status_code == 200
    assert browser("joel").get("/digest").status_code == 403


def test_pages_and_scripts_come_from_self_under_the_csp(browser):
    page = browser("agnes").get("/ideas/new")
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    assert '<script src="/static/similar.js" defer></script>' in page.text
    script = browser().get("/static/similar.js")
    assert script.status_code == 200 and "javascript" in script.headers["Content-Type"]


def test_english_pages_on_demand(browser):
    page = browser().get("/signin?lang=en").text
    assert '<html lang="en">' in page and ">Sign in</button>" in page
