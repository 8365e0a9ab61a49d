"""A moderator works reports from the pages alone (issue 17's dead ends): reads their reasons
where they act, dismisses unfounded ones without a trace in the public history, confirms a
hiding the report threshold made, and merges a duplicate found by words of its title, with a
reason and a confirmation, the log naming the idea it went into."""
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.axe import BLOCKING, describe, violations
from tests.helpers import eventually


def new_idea(http, token, title):
    created = http("POST", "/api/ideas", token(), json={
        "title": title, "body": "Une idée pour la file de modération.", "tags": []})
    assert created.status_code == 201, created.text
    return created.json()["id"]


def report(http, token, idea, reason="spam", note=""):
    answer = http("POST", f"/api/ideas/{idea}/flags", token(),
                  json={"reason": reason, "note": note})
    assert answer.status_code == 201, answer.text


def history(tab):
    return tab.page.locator("section").filter(
        has=tab.page.get_by_role("heading", name="Historique"))


def test_unfounded_reports_are_dismissed_where_their_reasons_are_read(tab, http, token):
    idea = new_idea(http, token, "Un potager sur le toit de la mairie")
    report(http, token, idea, "spam", "Publicité pour une jardinerie ?")
    report(http, token, idea, "off_topic")
    maelle = tab("maelle")
    maelle.goto(f"/ideas/{idea}")

    expect(maelle.page.get_by_role("heading", name="2 signalements en attente")).to_be_visible()
    expect(maelle.page.get_by_text("Spam ou publicité : « Publicité pour une jardinerie ? »")
           ).to_be_visible()
    maelle.page.get_by_label("Note pour le journal (facultative)").fill("Critique légitime")
    maelle.page.get_by_role("button", name="Classer sans suite").click()

    expect(maelle.page.get_by_role("status")).to_contain_text("classés sans suite")
    expect(maelle.page.get_by_role("heading", name="2 signalements en attente")).to_have_count(0)
    expect(history(maelle)).not_to_contain_text("masquée")
    expect(history(maelle)).not_to_contain_text("rétablie")


def test_a_hiding_by_the_threshold_says_so_and_a_moderator_confirms_it(tab, http, token):
    idea = new_idea(http, token, "Les numéros personnels des agents dans l'annuaire")
    for _ in range(3):
        report(http, token, idea, "offensive")
    maelle = tab("maelle")
    maelle.goto(f"/ideas/{idea}")

    expect(history(maelle)).to_contain_text(
        "masquée automatiquement : seuil de signalements atteint")
    expect(history(maelle)).not_to_contain_text("masquée par la modération")
    maelle.page.get_by_label("Motif du masquage confirmé (montré à l'auteur)").fill(
        "Données personnelles")
    maelle.page.get_by_role("button", name="Confirmer le masquage").click()

    expect(maelle.page.get_by_role("status")).to_contain_text("Le masquage est confirmé")
    expect(maelle.page.get_by_role("button", name="Confirmer le masquage")).to_have_count(0)


def test_a_duplicate_is_merged_by_words_of_its_targets_title_with_a_reason(tab, http, token):
    words = uuid.uuid4().hex[:8]
    target_title = f"Un guichet unique {words} pour les démarches"
    target = new_idea(http, token, target_title)
    duplicate = new_idea(http, token, "Un seul accueil pour toutes les démarches")
    maelle = tab("maelle")
    maelle.goto(f"/ideas/{duplicate}")
    merge = maelle.page.locator("#fusion")

    merge.get_by_label("Fusionner dans l'idée", exact=False).fill(f"guichet {words}")
    merge.get_by_role("button", name="Fusionner…").click()
    # No reason, no merge: the browser asks for one first (the server too, unit-tested).
    reason = merge.get_by_label("Motif de la fusion")
    assert reason.evaluate("field => field.validity.valueMissing")
    expect(maelle.page).to_have_url(re.compile(rf"/ideas/{duplicate}$"))
    reason.fill("La même demande")
    merge.get_by_role("button", name="Fusionner…").click()

    def offered():
        if not maelle.page.get_by_label(target_title).count():
            search = maelle.page.get_by_role("button", name="Chercher")
            (search if search.count() else maelle.page.get_by_role(
                "button", name="Continuer")).click()
        return maelle.page.get_by_label(target_title).count() > 0 or None
    eventually(offered, message="the search finds the target (lists follow Kafka)")
    maelle.page.get_by_label(target_title).check()
    maelle.page.get_by_role("button", name="Continuer").click()

    expect(maelle.page.get_by_role("heading", name="Fusionner ces deux idées ?")).to_be_visible()
    expect(maelle.page.get_by_role("link", name=target_title)).to_be_visible()
    maelle.page.get_by_role("button", name="Confirmer la fusion").click()
    expect(maelle.page.get_by_role("status").filter(has_text="L'idée est fusionnée")
           ).to_be_visible()

    def logged():
        maelle.goto("/moderation/log")
        row = maelle.page.locator("tr").filter(has_text="Un seul accueil pour toutes")
        return row if row.count() else None
    row = eventually(logged, message="the merge logged")
    expect(row.first).to_contain_text(f"dans {target_title}")
    expect(row.first).to_contain_text("La même demande")
    assert row.first.get_by_role("link", name=target_title).get_attribute(
        "href") == f"/ideas/{target}"


@pytest.mark.parametrize("theme", ["ideahub", "dsfr"])
def test_the_moderators_second_steps_read_well_in_both_themes(theme, request, http, token,
                                                              axe_source, screenshot):
    """The pages a form leads to (a hiding to confirm, a merge's target to choose) pass axe,
    fit a phone, and are kept as screenshots, like the pages of test_pages_axe."""
    idea = new_idea(http, token, "Un accueil unique pour les démarches d'état civil")
    maelle = request.getfixturevalue("dsfr_tab" if theme == "dsfr" else "tab")("maelle")
    steps = (("Motif du masquage (obligatoire, montré à l'auteur)", None, "Masquer…",
              "Masquer cette idée ?", "moderate-confirm"),
             ("Motif de la fusion", "état civil", "Fusionner…",
              "Fusionner : choisir l'idée qui la regroupe", "moderate-merge"))
    for reason_label, words, button, heading, name in steps:
        maelle.goto(f"/ideas/{idea}")
        if words:
            maelle.page.get_by_label("Fusionner dans l'idée", exact=False).fill(words)
        maelle.page.get_by_label(reason_label).fill("Hors du périmètre du hub")
        maelle.page.get_by_role("button", name=button).click()

        expect(maelle.page.get_by_role("heading", level=1)).to_have_text(heading)
        blocking = [v for v in violations(maelle.page, axe_source) if v["impact"] in BLOCKING]
        assert not blocking, describe(blocking)
        shots = screenshot(maelle, name)
        assert shots[360][1] <= 360, f"{name} scrolls sideways on a phone"
    assert http("GET", f"/api/ideas/{idea}", token()).status_code == 200  # nothing confirmed
