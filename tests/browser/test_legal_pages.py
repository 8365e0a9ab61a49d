"""The legal pages as the test stack's deployer filled them (deploy/local/legal.toml, and the
default retention periods), in both themes: each configured fact is on its page and none is
left to complete; the pages themselves pass axe in tests/browser/test_pages_axe.py."""
import pytest
from playwright.sync_api import expect

# path -> what deploy/local/legal.toml and the retention defaults put there
FILLED = {
    "/mentions-legales": ["1 place de la République, 99100 Démoville",
                          "Mme Claire Martin, maire de Démoville",
                          "Service numérique mutualisé de Démoville"],
    "/donnees-personnelles": ["Mairie de Démoville, représentée par sa maire",
                              "dpo@demo.ideahub.local", "article 6.1.e",
                              "inutilisé depuis 24 mois", "gardés 12 mois",
                              "Télécharger mes données", "CNIL"],
    "/accessibilite": ["partiellement conforme", "15 octobre 2026", "Access42",
                       "critère 1.3", "Aucune dérogation.", "Défenseur des droits"],
}


@pytest.mark.parametrize("theme", ["ideahub", "dsfr"])
@pytest.mark.parametrize("path", list(FILLED))
def test_the_configured_facts_are_on_their_page_and_none_is_left_to_complete(
        request, theme, path):
    reader = request.getfixturevalue("dsfr_tab" if theme == "dsfr" else "tab")()

    reader.goto(path)

    content = reader.page.locator("main")
    for fact in FILLED[path]:
        expect(content).to_contain_text(fact)
    expect(content).not_to_contain_text("À compléter par l'administration")
    expect(reader.page.locator("footer")).to_contain_text(
        "Accessibilité : partiellement conforme")
