"""Mon espace offers my data as one file (RGPD): the page passes the API's JSON through as
it comes, with its name, asked as the signed-in person."""
import pytest

from services.web.client import ApiUnavailable
from tests.unit.web.conftest import FakeApi
from tests.unit.web.test_export_pages import FakeDownload

DOCUMENT = b'{"generated_at": "2026-12-02T08:00:00.000Z", "person": {"id": "agnes"}}'


class Asked(list):
    down = False  # the API cannot gather the parts


@pytest.fixture
def downloads(monkeypatch):
    asked = Asked()

    def download(hub, token, path, params=None):
        asked.append((token, path))
        if asked.down:
            raise ApiUnavailable("connection refused")
        return FakeDownload([DOCUMENT[:20], DOCUMENT[20:]], {
            "Content-Type": "application/json; charset=utf-8",
            "Content-Disposition": 'attachment; filename="mes-donnees-ideahub.json"'})
    monkeypatch.setattr(FakeApi, "download", staticmethod(download), raising=False)
    return asked


def test_my_space_offers_my_data_as_a_download(browser, sign_in, downloads):
    sign_in("agnes")
    page = browser.get("/me").get_data(as_text=True)
    assert '<h2 id="mes-donnees">Mes données</h2>' in page
    assert 'href="/me/mes-donnees">Télécharger mes données</a>' in page

    response = browser.get("/me/mes-donnees")

    assert response.status_code == 200
    assert response.get_data() == DOCUMENT
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="mes-donnees-ideahub.json"'
    assert downloads == [("agnes", "/api/me/export")]


def test_signed_out_there_is_no_file(browser, downloads):
    assert browser.get("/me/mes-donnees").status_code in (302, 303)
    assert downloads == []


def test_a_hub_that_cannot_gather_them_says_so_and_gives_no_file(browser, sign_in, downloads):
    sign_in("agnes")
    downloads.down = True
    response = browser.get("/me/mes-donnees")
    assert response.status_code == 503
    assert "Content-Disposition" not in response.headers
