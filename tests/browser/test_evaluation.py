"""An evaluator scores an idea from the pages, as a person would: from the idea's page to the
form, a criterion forgotten and named in plain French, then saved and back to the list with a
confirmation and their progress; the moderator reads the mean; an agent sees no way in."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import open_call
from tests.browser.labels import PEOPLE


def test_an_evaluator_scores_an_idea_from_the_pages(tab, http, token, screenshot):
    call = open_call(http, token, "Économies d'énergie dans les bâtiments", [
        {"id": "joel", "name": PEOPLE["joel"]}])
    created = http("POST", "/api/ideas", token(), json={
        "title": "Éteindre les radiateurs des salles vides le soir",
        "body": "Un programmateur par étage suffirait.", "campaign_id": call})
    assert created.status_code == 201, created.text
    idea = created.json()["id"]
    joel = tab("joel").page

    joel.goto(f"/ideas/{idea}")
    joel.get_by_role("link", name="Évaluer cette idée").click()
    expect(joel.get_by_role("heading", level=1)).to_contain_text("Éteindre les radiateurs")
    joel.get_by_role("group", name="Impact pour le public").get_by_label("5 — excellent").check()
    joel.get_by_role("group", name="Faisabilité").get_by_label("4 — bon").check()
    joel.get_by_role("group", name="Coût raisonnable").get_by_label("3 — assez bon").check()
    joel.get_by_label("Remarque privée (facultative)").fill("Peu coûteux, vite fait.")
    joel.get_by_role("button", name="Enregistrer mon évaluation").click()

    summary = joel.locator("#erreurs")
    expect(summary).to_contain_text(
        "Choisissez une note de 1 à 5 pour « Alignement avec les priorités ».")
    # What was chosen stays chosen.
    expect(joel.get_by_role("group", name="Faisabilité").get_by_label("4 — bon")).to_be_checked()
    expect(joel.get_by_label("Remarque privée (facultative)")).to_have_value(
        "Peu coûteux, vite fait.")
    joel.get_by_role("group", name="Alignement avec les priorités").get_by_label(
        "2 — passable").check()
    joel.get_by_role("button", name="Enregistrer mon évaluation").click()

    expect(joel).to_have_url(re.compile(rf"/appels/{call}/evaluation#idee-{idea}$"))
    expect(joel.get_by_role("status")).to_contain_text(
        "Votre évaluation de « Éteindre les radiateurs des salles vides le soir » est "
        "enregistrée.")
    expect(joel.get_by_text("1 idée notée sur 1")).to_be_visible()
    expect(joel.locator(f"#idee-{idea}")).to_contain_text("Notée")
    screenshot(tab("joel"), "evaluation-saved")

    moderator = tab("maelle").page
    moderator.goto(f"/appels/{call}/evaluation")
    row = moderator.locator(f"tr#idee-{idea}")
    expect(row).to_contain_text("3,5")  # (5 + 4 + 3 + 2) / 4
    moderator.goto(f"/ideas/{idea}/evaluation")
    expect(moderator.get_by_text("Peu coûteux, vite fait.")).to_be_visible()

    agent = tab("agnes").page
    agent.goto(f"/ideas/{idea}")
    expect(agent.get_by_role("heading", level=1)).to_be_visible()
    expect(agent.get_by_role("link", name=re.compile("valuation|valuer"))).to_have_count(0)
    assert agent.goto(f"/ideas/{idea}/evaluation").status == 403
    expect(agent.get_by_text("Peu coûteux")).to_have_count(0)
