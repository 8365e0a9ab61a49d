"""The mentions a French public service carries: every page's footer links to the
accessibility statement (with its status), the legal notice, personal data, the terms of use
with the moderation charter, and help; each is a real page, in French and in English, naming
the deployer's organisation and contact, readable without signing in."""
import re

import pytest

from services.web.app import create_app
from services.web.legal import PAGES

ORG = {"org_name": "Préfecture de l'Exemple", "org_contact": "idees@exemple.gouv.fr"}
PATHS = [path for _, path, _ in PAGES]


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def app(config, fake):
    return create_app(config.with_overrides(public_read=False, **ORG), make_client=fake.client)


@pytest.mark.parametrize("path", PATHS)
def test_each_legal_page_is_public_names_the_organisation_and_links_its_contact(browser, path):
    response = browser.get(path)

    assert response.status_code == 200, "a legal page must be readable before signing in"
    page = text(response)
    assert "Préfecture de l&#39;Exemple" in page
    assert '<h1>' in page and 'aria-current="page"' in page  # its title, in the breadcrumb
    assert '<a href="mailto:idees@exemple.gouv.fr">idees@exemple.gouv.fr</a>' in page


def test_every_page_footer_links_the_five_mentions_with_the_accessibility_status(browser):
    page = text(browser.get("/signin"))

    footer = page[page.index("<footer"):]
    for path in PATHS:
        assert f'href="{path}"' in footer, path
    assert "Accessibilité : non conforme" in footer
    assert "Conditions d'utilisation et charte de modération" in footer


def test_the_accessibility_status_follows_the_deployers_setting(config, fake):
    app = create_app(config.with_overrides(accessibility="partial"), make_client=fake.client)

    page = text(app.test_client().get("/accessibilite"))

    assert "Accessibilité : partiellement conforme" in page
    assert "Aucun audit de conformité" not in page


def test_the_personal_data_page_says_what_is_kept_for_how_long_and_whom_to_ask(browser):
    page = text(browser.get("/donnees-personnelles"))

    for kept in ("votre nom, votre adresse électronique", "votre service", "rôles",
                 "sessions de connexion", "12 heures", "ProConnect", "soutiens", "CNIL"):
        assert kept in page, kept
    assert "Seuls les agents connectés voient" in page


def test_the_legal_pages_read_in_english(browser):
    page = text(browser.get("/mentions-legales?lang=en"))

    assert '<html lang="en"' in page
    assert "<h1>Legal notice</h1>" in page and "Accessibility: not compliant" in page


def test_the_terms_state_the_hubs_own_report_threshold(config, fake):
    app = create_app(config.with_overrides(flag_threshold=5), make_client=fake.client)

    page = text(app.test_client().get("/conditions-utilisation"))

    assert "Une idée signalée 5 fois est masquée" in page


def test_the_header_carries_the_organisation_beside_the_french_name(browser):
    page = text(browser.get("/signin"))

    header = page[page.index("<header"):page.index("</header>")]
    assert "Boîte à idées" in header and "Ideahub" in header
    assert "Préfecture de l&#39;Exemple" in header
    assert re.search(r'<link rel="icon" href="/static/favicon.svg"', page)
