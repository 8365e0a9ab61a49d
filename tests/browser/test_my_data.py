"""My data in Chromium, through the gateway: on Mon espace, Joël clicks "Télécharger mes
données" and gets a JSON file named for it, holding his idea (French and English pages;
the link needs no JavaScript)."""
import json

import pytest

LINK = {"fr": "Télécharger mes données", "en": "Download my data"}


@pytest.fixture(scope="module")
def joels_idea(http, token):
    joel = token(sub="joel", name="Joël N'Diaye", unit="CCAS", email="joel@example.fr")
    created = http("POST", "/api/ideas", joel, json={
        "title": "Un registre des prêts de matériel",
        "body": "Pour savoir qui a emprunté quoi."})
    assert created.status_code == 201, created.text
    return created.json()["id"]


@pytest.mark.parametrize("lang, js", [("fr", True), ("en", False)])
def test_mon_espace_downloads_my_data_as_one_json_file(tab, joels_idea, tmp_path, lang, js):
    joel = tab("joel", lang=lang, js=js)
    joel.goto("/me")

    with joel.page.expect_download() as downloading:
        joel.page.get_by_role("link", name=LINK[lang]).click()
    download = downloading.value

    assert download.suggested_filename == "mes-donnees-ideahub.json"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["person"] == {"id": "joel"}
    assert joels_idea in [idea["id"] for idea in document["ideas"]["ideas"]]
    assert document["people"]["person"]["name"] == "Joël N'Diaye"
