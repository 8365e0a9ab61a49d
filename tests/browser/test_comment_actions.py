"""A published comment in a real browser, without JavaScript: its author edits it and deletes
it from the idea page, another agent reports it from a closed "Signaler" disclosure, and a
moderator hides it from the list of reported comments after a confirmation page, or
dismisses the reports; each page met on the way passes axe, in both themes for the
moderator's, and fits a phone."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import accessible
from tests.browser.labels import PEOPLE


@pytest.fixture
def discussed(http, token):
    """An idea with a comment of Joël's (the demo person) and a reply to it by someone else:
    (idea id, Joël's comment id)."""
    created = http("POST", "/api/ideas", token(), json={
        "title": "Un atelier de réparation de vélos pour les agents",
        "body": "Une fois par mois, dans la cour de l'hôtel de ville.", "tags": ["vélo"]})
    assert created.status_code == 201, created.text
    idea = created.json()["id"]
    said = http("POST", f"/api/ideas/{idea}/comments", token(sub="joel", name=PEOPLE["joel"]),
                json={"body": "Le premier samedi du mois, ce serait idéal."})
    assert said.status_code == 201, said.text
    reply = http("POST", f"/api/ideas/{idea}/comments", token(),
                 json={"body": "Plutôt un jeudi midi.", "parent_id": said.json()["id"]})
    assert reply.status_code == 201, reply.text
    return idea, said.json()["id"]


def test_its_author_edits_then_deletes_a_comment_and_its_reply_stays(tab, discussed,
                                                                     axe_source):
    idea, cid = discussed
    joel = tab("joel", js=False)
    joel.goto(f"/ideas/{idea}")
    mine = joel.page.locator(f"#commentaire-{cid}")
    field = mine.get_by_label("Nouveau texte de votre commentaire")
    expect(field).to_be_hidden()  # behind its disclosure until asked
    expect(mine.locator(f"form[action$='/comments/{cid}/flags']")).to_have_count(0)

    mine.locator("summary", has_text="Modifier").first.click()
    field.fill("Le premier samedi du mois, de 10 h à 12 h.")
    mine.get_by_role("button", name="Enregistrer la modification").click()

    expect(joel.page).to_have_url(re.compile(rf"/ideas/{idea}#commentaire-{cid}$"))
    expect(mine).to_contain_text("de 10 h à 12 h")
    expect(mine.locator(".edited").first).to_contain_text("modifié")

    reader = tab("joel")  # axe needs the page's JavaScript: the same page, the form open
    reader.goto(f"/ideas/{idea}")
    reader.page.locator(f"#commentaire-{cid} summary", has_text="Modifier").first.click()
    accessible(reader, axe_source, "the idea page with the edit form open")

    joel.goto(f"/ideas/{idea}")
    mine.locator("summary", has_text="Supprimer").first.click()
    mine.get_by_role("button", name="Supprimer définitivement mon commentaire").click()

    expect(mine).to_contain_text("Commentaire supprimé par son auteur.")
    expect(mine).not_to_contain_text("de 10 h à 12 h")
    expect(mine.locator(".replies")).to_contain_text("Plutôt un jeudi midi.")


def test_an_agent_reports_a_comment_and_a_moderator_hides_it_once_confirmed(
        tab, dsfr_tab, discussed, http, token, axe_source):
    idea, cid = discussed
    agnes = tab("agnes", js=False)
    agnes.goto(f"/ideas/{idea}")
    theirs = agnes.page.locator(f"#commentaire-{cid}")
    report = theirs.locator(f"form[action$='/comments/{cid}/flags']")
    reason = report.get_by_label("Motif")
    expect(reason).to_be_hidden()
    expect(theirs.locator("summary", has_text="Modifier")).to_have_count(0)

    theirs.locator("summary", has_text="Signaler").first.click()
    reason.select_option("offensive")
    report.get_by_label("Précisions (facultatif)").fill("Ton désobligeant.")
    report.get_by_role("button", name="Signaler le commentaire").click()
    expect(agnes.page.get_by_text("votre signalement est transmis")).to_be_visible()

    maelle = tab("maelle", js=False)
    maelle.goto("/moderation/commentaires")
    entry = maelle.page.locator(f"#signale-{cid}")
    expect(entry).to_contain_text("Le premier samedi du mois")
    expect(entry).to_contain_text("Propos injurieux")
    expect(entry).to_contain_text("Ton désobligeant.")
    entry.get_by_label("Motif du masquage").fill("Ton désobligeant envers un collègue")
    entry.get_by_role("button", name="Masquer le commentaire").click()

    expect(maelle.page.get_by_role("heading", name="Masquer ce commentaire ?")).to_be_visible()
    expect(maelle.page.locator("dl.confirm")).to_contain_text("Le premier samedi du mois")
    for moderator in (tab("maelle"), dsfr_tab("maelle")):  # the confirmation, both themes
        moderator.goto("/moderation/commentaires")
        moderator.page.locator(f"#signale-{cid}").get_by_label("Motif du masquage").fill(
            "Ton désobligeant")
        moderator.page.locator(f"#signale-{cid}").get_by_role(
            "button", name="Masquer le commentaire").click()
        expect(moderator.page.get_by_role("heading", name="Masquer ce commentaire ?")) \
            .to_be_visible()
        accessible(moderator, axe_source, f"the confirmation page ({moderator.theme})")
    maelle.page.get_by_role("button", name="Confirmer le masquage").click()

    expect(maelle.page).to_have_url(re.compile(r"/moderation/commentaires$"))
    expect(maelle.page.get_by_text("Le commentaire est masqué.")).to_be_visible()
    expect(maelle.page.locator(f"#signale-{cid}")).to_have_count(0)
    agnes.goto(f"/ideas/{idea}")
    expect(theirs).to_contain_text("Commentaire masqué par la modération.")
    expect(theirs.locator(".replies")).to_contain_text("Plutôt un jeudi midi.")


def test_a_moderator_dismisses_unfounded_reports_and_the_comment_stays(tab, discussed, http,
                                                                       token):
    idea, cid = discussed
    reported = http("POST", f"/api/ideas/{idea}/comments/{cid}/flags", token(),
                    json={"reason": "off_topic"})
    assert reported.status_code == 201, reported.text
    maelle = tab("maelle", js=False)
    maelle.goto("/moderation/commentaires")

    maelle.page.locator(f"#signale-{cid}").get_by_role("button", name="Classer sans suite") \
        .click()

    expect(maelle.page.get_by_text("classés sans suite")).to_be_visible()
    expect(maelle.page.locator(f"#signale-{cid}")).to_have_count(0)
    maelle.goto(f"/ideas/{idea}")
    expect(maelle.page.locator(f"#commentaire-{cid}")).to_contain_text("Le premier samedi")
