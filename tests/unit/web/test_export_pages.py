"""The export block of the home page (moderators and managers), whose links keep the list's
filters and sort, and the downloads the pages pass through from the API as they stream."""
import re

import pytest

from tests.unit.web.conftest import FakeApi


class FakeDownload:
    """What requests gives for a streamed answer: headers, chunks, closed after use."""

    def __init__(self, chunks, headers):
        self.chunks, self.headers, self.closed = chunks, headers, False

    def iter_content(self, size):
        yield from self.chunks

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.closed = True


@pytest.fixture
def downloads(monkeypatch):
    """The API's files: each download asked is recorded, and answers a two-chunk CSV."""
    asked = []

    def download(hub, token, path, params=None):
        asked.append((token, path, params))
        return FakeDownload([b"\xef\xbb\xbfIdentifiant;Titre\r\n", b"i1;Un titre\r\n"],
                            {"Content-Type": "text/csv; charset=utf-8",
                             "Content-Disposition": 'attachment; filename="idees.csv"'})
    monkeypatch.setattr(FakeApi, "download", staticmethod(download), raising=False)
    return asked


def export_links(page):
    return re.findall(r'<a href="(/exporter/[^"]+)" download>', page)


@pytest.mark.parametrize("person", ["maelle", "aurelie"])
def test_moderators_and_managers_find_the_export_links_with_the_lists_filters(
        browser, sign_in, fake, person):
    sign_in(person)
    fake.add_idea(tags=["vélo"])
    page = browser.get("/?sort=top&tag=vélo&unit=CCAS&q=").get_data(as_text=True)
    assert '<h2 id="exporter">Exporter</h2>' in page
    links = [link.replace("&amp;", "&") for link in export_links(page)]
    assert [link.split("?")[0] for link in links] == ["/exporter/csv", "/exporter/ods",
                                                      "/exporter/xlsx"]
    assert all("tag=v%C3%A9lo" in link and "unit=CCAS" in link and "sort=top" in link
               and "q=" not in link for link in links)


def test_agents_see_no_export_block_and_may_not_export(browser, sign_in, fake, downloads):
    sign_in("agnes")
    fake.add_idea()
    assert "exporter" not in browser.get("/").get_data(as_text=True)
    assert browser.get("/exporter/csv").status_code == 403
    assert downloads == []


def test_the_export_streams_the_apis_file_with_its_name(browser, sign_in, downloads):
    sign_in("aurelie")
    response = browser.get("/exporter/xlsx?status=accepted&sort=top&unit=CCAS")
    assert response.status_code == 200
    assert response.get_data() == b"\xef\xbb\xbfIdentifiant;Titre\r\ni1;Un titre\r\n"
    assert response.headers["Content-Disposition"] == 'attachment; filename="idees.csv"'
    (token, path, params), = downloads
    assert token == "aurelie" and path == "/api/ideas/export"
    assert params == {"status": "accepted", "sort": "top", "unit": "CCAS", "format": "xlsx"}
    assert browser.get("/exporter/pdf").status_code == 404


def test_the_open_data_link_is_in_the_footer_for_anyone_signed_in(browser, sign_in, fake,
                                                                   downloads):
    sign_in("agnes")
    page = browser.get("/").get_data(as_text=True)
    assert 'href="/donnees-ouvertes/idees.csv"' in page
    assert browser.get("/donnees-ouvertes/idees.json").status_code == 200
    assert downloads[-1][1] == "/api/ideas/opendata.json"
