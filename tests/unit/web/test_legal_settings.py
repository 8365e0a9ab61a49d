"""The legal pages as the deployer fills them: one TOML file (HUB_LEGAL_FILE) for what only
they know, the retention periods from HUB_RETENTION_*_MONTHS; an unset fact shows as an
honest placeholder, a misconfigured file stops the app at its start with a message naming
what is wrong."""
from datetime import date
from pathlib import Path

import pytest

from services.web import legal_info
from services.web.app import create_app
from shared.config import load_config

pytestmark = pytest.mark.unit

SAMPLE = Path(__file__).parents[3] / "deploy" / "local" / "legal.toml"
TODO = "À compléter par l'administration"


def text(response):
    return response.get_data(as_text=True)


def pages(config, fake, **overrides):
    client = create_app(config.with_overrides(**overrides), make_client=fake.client).test_client()
    return lambda path: text(client.get(path))


def test_the_sample_file_parses_with_every_section():
    info = legal_info.load(str(SAMPLE))

    assert info["publisher"]["name"] == "Mairie de Démoville"
    assert info["accessibility"]["audit_date"] == date(2026, 10, 15)
    assert info["accessibility"]["derogations"] == []
    assert info["personal_data"]["purposes"] is None  # left out: the hub's own words


@pytest.mark.parametrize("document, named", [
    ({"editeur": {"name": "X"}}, "[editeur]"),
    ({"publisher": {"nom": "X"}}, "publisher.nom"),
    ({"publisher": {"name": 42}}, "publisher.name"),
    ({"accessibility": {"non_conformities": "tout"}}, "accessibility.non_conformities"),
    ({"accessibility": {"audit_date": "le 15 octobre"}}, "accessibility.audit_date"),
])
def test_a_misconfigured_file_names_what_is_wrong(document, named):
    with pytest.raises(legal_info.LegalMisconfigured, match=named.replace("[", r"\[")):
        legal_info.parse(document)


def test_an_unreadable_file_stops_the_app_at_its_start(config, fake, tmp_path):
    broken = tmp_path / "legal.toml"
    broken.write_text("[publisher\nname = ", encoding="utf-8")

    for path in (str(broken), str(tmp_path / "absent.toml")):
        with pytest.raises(legal_info.LegalMisconfigured, match="HUB_LEGAL_FILE"):
            create_app(config.with_overrides(legal_file=path), make_client=fake.client)


def test_the_environment_names_the_file_and_the_retention_periods():
    config = load_config({"HUB_LEGAL_FILE": "/etc/ideahub/legal.toml",
                          "HUB_RETENTION_ACCOUNTS_MONTHS": "36",
                          "HUB_RETENTION_LOGS_MONTHS": "6"})

    assert (config.legal_file, config.retention_accounts_months,
            config.retention_logs_months) == ("/etc/ideahub/legal.toml", 36, 6)
    assert (load_config({}).retention_accounts_months, load_config({}).retention_logs_months) \
        == (24, 12)


def test_a_retention_of_no_month_is_refused_at_start(config, fake):
    with pytest.raises(legal_info.LegalMisconfigured, match="HUB_RETENTION_LOGS_MONTHS"):
        create_app(config.with_overrides(retention_logs_months=0), make_client=fake.client)


def test_without_a_file_each_missing_fact_shows_a_placeholder_where_it_goes(config, fake):
    read = pages(config, fake, accessibility="partial")

    notice = read("/mentions-legales")
    for missing in ("l'adresse de l'éditeur", "le nom et la qualité du directeur ou de la "
                    "directrice de la publication", "le nom de l'hébergeur",
                    "l'adresse de l'hébergeur"):
        assert f"{TODO} : {missing}" in notice, missing
    data = read("/donnees-personnelles")
    assert f"{TODO} : le contact du délégué à la protection des données" in data
    statement = read("/accessibilite")
    for missing in ("la date de l'audit", "la liste des non-conformités",
                    "les dérogations"):
        assert f"{TODO} : {missing}" in statement, missing


def test_the_files_values_and_the_retention_periods_appear_on_their_pages(config, fake):
    read = pages(config, fake, legal_file=str(SAMPLE), accessibility="partial",
                 retention_accounts_months=36, retention_logs_months=6)

    notice = read("/mentions-legales")
    for shown in ("1 place de la République, 99100 Démoville", "Mme Claire Martin, maire",
                  "Service numérique mutualisé de Démoville", "12 rue des Serveurs"):
        assert shown in notice, shown
    data = read("/donnees-personnelles")
    for shown in ("Mairie de Démoville, représentée par sa maire",
                  'href="mailto:dpo@demo.ideahub.local"', "article 6.1.e",
                  "mission d'intérêt public", "inutilisé depuis 36 mois",
                  "gardés 6 mois", "Télécharger mes données", "Supprimer mon compte",
                  "La direction de l&#39;innovation", "CNIL", 'href="/me"'):
        assert shown in data, shown
    statement = read("/accessibilite")
    for shown in ("partiellement conforme", "15 octobre 2026", "Access42", "critère 1.3",
                  "Aucune dérogation.", 'href="mailto:accessibilite@demo.ideahub.local"',
                  "Défenseur des droits"):
        assert shown in statement, shown
    assert TODO not in notice + data + statement


def test_the_default_retention_periods_are_24_and_12_months(config, fake):
    data = pages(config, fake)("/donnees-personnelles")

    assert "inutilisé depuis 24 mois" in data and "gardés 12 mois" in data


@pytest.mark.parametrize("level, words", [("none", "non conforme"),
                                          ("partial", "partiellement conforme"),
                                          ("full", "totalement conforme")])
def test_every_page_footer_states_the_accessibility_level(config, fake, level, words):
    read = pages(config, fake, accessibility=level)

    for path in ("/signin", "/aide", "/mentions-legales"):
        page = read(path)
        assert f"Accessibilité : {words}" in page[page.index("<footer"):], path
