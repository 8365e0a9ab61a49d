"""The implementation block of an idea's page and a call's results page, on a fake API: who
sees which form, refusals in plain French with what was typed, the progress bar and its
figure."""
import html
import re

import pytest

from tests.unit.web.test_pages import text as raw_text

pytestmark = pytest.mark.unit


def text(response):
    return html.unescape(raw_text(response))

# A call in its results phase: its five dates are past.
CALL = {"id": "c1", "title": "Un accueil sans papier", "question": "Comment ?",
        "owners": [{"id": "joel", "name": "Joël"}], "evaluators": [], "units": [],
        "colour": "bleu", "proposals_from": "2026-01-05T08:00:00.000Z",
        "proposals_until": "2026-02-02T08:00:00.000Z",
        "supports_from": "2026-01-05T08:00:00.000Z", "supports_until": "2026-03-02T08:00:00.000Z",
        "evaluation_until": "2026-04-01T08:00:00.000Z"}
FOLLOWED = {"owner": {"kind": "unit", "name": "Service accueil", "id": None},
            "target_date": "2027-06-30", "percent": 60, "last_update": None,
            "milestones": [{"at": "2026-11-24T09:00:00+00:00", "milestone": "Essai à l'accueil",
                            "percent": 60, "update": "Deux semaines.",
                            "by": {"id": "maelle", "name": "Maëlle"}}]}


def test_everyone_reads_where_the_idea_stands_only_who_may_gets_the_forms(browser, sign_in,
                                                                        fake):
    fake.add_idea(status="in_progress", implementation=FOLLOWED)
    sign_in("joel")
    page = text(browser.get("/ideas/i1"))
    assert "Mise en œuvre" in page and "Service accueil" in page and "30 juin 2027" in page
    assert '<progress id="avancement" max="100" value="60"' in page and "60\u00a0%" in page
    assert "Essai à l'accueil" in page and "Deux semaines." in page
    assert "Publier l'avancement" not in page and "Qui met l'idée en œuvre ?" not in page


def test_a_moderator_gets_both_forms_empty_of_anything_but_the_current_values(browser, sign_in,
                                                                             fake):
    fake.add_idea(status="accepted")
    sign_in("maelle")
    page = text(browser.get("/ideas/i1"))
    assert "Confier la mise en œuvre" in page and "Publier l'avancement" not in page
    fake.ideas["i1"]["implementation"] = FOLLOWED
    page = text(browser.get("/ideas/i1"))
    form = page[page.index('id="avancer"'):page.index("</form>", page.index('id="avancer"'))]
    assert re.search(r'<textarea[^>]* id="update"[^>]*></textarea>', form)  # nothing in it
    assert 'value="60"' in form


def test_an_owner_of_the_call_gets_the_forms_an_agent_of_another_idea_none(browser, sign_in,
                                                                         fake):
    fake.campaigns["c1"] = CALL
    fake.add_idea(status="accepted", campaign_id="c1")
    sign_in("joel")
    assert "Confier la mise en œuvre" in text(browser.get("/ideas/i1"))
    fake.add_idea(status="accepted")  # outside the call
    assert "Confier la mise en œuvre" not in text(browser.get("/ideas/i2"))


def test_a_refused_update_says_why_in_french_and_keeps_what_was_typed(browser, sign_in, post,
                                                                    fake):
    fake.add_idea(status="in_progress", implementation=FOLLOWED)
    sign_in("maelle")
    refused = post("/ideas/i1/progress", {"milestone": "ok", "percent": "beaucoup",
                                          "update": "Presque fini."}, from_page="/ideas/i1")

    assert refused.status_code == 422
    page = text(refused)
    assert "Étape franchie : entre 3 et 140 caractères" in page
    assert "L'avancement est un nombre de 0 à 100." in page and "Presque fini." in page
    assert not [call for call in fake.calls if call[0] == "report_progress"]


def test_an_update_is_published_and_the_page_comes_back_to_the_block(browser, sign_in, post,
                                                                    fake):
    fake.add_idea(status="in_progress", implementation=dict(FOLLOWED, milestones=[]))
    sign_in("maelle")
    done = post("/ideas/i1/progress", {"milestone": "Travaux lancés", "percent": "80",
                                       "update": ""}, from_page="/ideas/i1")
    assert done.status_code == 303 and done.headers["Location"].endswith("#mise-en-oeuvre")
    assert ("report_progress", ("i1", "Travaux lancés", 80, ""), {}) in fake.calls
    page = text(browser.get("/ideas/i1"))
    assert "avancement : Travaux lancés (80\u00a0%)" in page


def test_appointing_a_person_needs_someone_of_that_name_and_a_date(browser, sign_in, post,
                                                                   fake):
    fake.add_idea(status="accepted")
    sign_in("maelle")
    refused = post("/ideas/i1/implementation", {"owner_kind": "person", "owner_name": "Hélène",
                                                "target_date": "juin"}, from_page="/ideas/i1")
    assert refused.status_code == 422
    assert "Personne de ce nom dans le hub" in text(refused)
    assert "Indiquez l'échéance visée" in text(refused)
    done = post("/ideas/i1/implementation", {"owner_kind": "unit", "owner_name": "Voirie",
                                             "owner_id": "ignored",
                                             "target_date": "2027-03-01"}, from_page="/ideas/i1")
    assert done.status_code == 303
    assert fake.ideas["i1"]["implementation"]["owner"] == {"kind": "unit", "name": "Voirie",
                                                          "id": None}


def test_the_results_page_shows_each_chosen_idea_with_its_bar(browser, sign_in, fake):
    fake.campaigns["c1"] = CALL
    fake.add_idea(title="Des tablettes", status="in_progress", campaign_id="c1",
                  implementation=dict(FOLLOWED, last_update=FOLLOWED["milestones"][0]))
    fake.add_idea(title="Des rendez-vous", status="accepted", campaign_id="c1")
    sign_in("joel")
    page = text(browser.get("/appels/c1/resultats"))
    assert "Résultats de l'appel « Un accueil sans papier »" in page
    assert "2 idées retenues" in page and 'value="60"' in page
    assert "Personne n'est encore désigné pour la mettre en œuvre." in page
    assert browser.get("/appels/nope/resultats").status_code == 404


def person_of(fake, sub, name, unit="Service voirie"):
    fake.people[sub] = {"id": sub, "name": name, "email": f"{sub}@demo.fr", "unit": unit,
                        "roles": ["agent"], "scope": []}


def test_a_moderator_appoints_a_person_by_name_and_chooses_among_namesakes(browser, sign_in,
                                                                         post, fake):
    fake.add_idea(status="accepted")
    person_of(fake, "helene-1", "Hélène Dubœuf")
    sign_in("maelle")
    one = post("/ideas/i1/implementation", {"owner_kind": "person", "owner_name": "Dubœuf",
                                            "target_date": "2027-03-01"}, from_page="/ideas/i1")
    assert one.status_code == 303
    assert fake.ideas["i1"]["implementation"]["owner"] == {
        "kind": "person", "name": "Hélène Dubœuf", "id": "helene-1"}

    person_of(fake, "helene-2", "Hélène Martin", unit="Service eau")
    several = post("/ideas/i1/implementation", {"owner_kind": "person", "owner_name": "Hélène",
                                                "target_date": "2027-03-01"},
                   from_page="/ideas/i1")
    assert several.status_code == 422
    page = text(several)
    assert "Plusieurs personnes portent ce nom" in page
    assert "Hélène Dubœuf — Service voirie" in page and "Hélène Martin — Service eau" in page
    chosen = post("/ideas/i1/implementation", {"owner_kind": "person", "owner_name": "Hélène",
                                                "owner_id": "helene-2",
                                                "target_date": "2027-03-01"},
                  from_page="/ideas/i1")
    assert chosen.status_code == 303
    assert fake.ideas["i1"]["implementation"]["owner"]["id"] == "helene-2"
