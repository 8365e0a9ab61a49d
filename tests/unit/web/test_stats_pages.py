"""The statistics page on a fake API: each figure as an accessible SVG chart (title,
description, role="img") with its numbers in the table under it, the filters passed on to the
API, its refusals, and user text kept as text inside the charts."""
import re

import pytest

from tests.hostile import SCRIPT
from tests.unit.web.conftest import FakeApi

FIGURES = {
    "period": {"from": "2026-09-01", "to": "2026-10-31", "timezone": "Europe/Paris"},
    "filters": {"unit": None, "campaign": None},
    "ideas": {"total": 7, "per_month": [{"month": "2026-09", "count": 3},
                                        {"month": "2026-10", "count": 4}],
              "per_status": [{"status": "submitted", "count": 5},
                             {"status": "accepted", "count": 2}]},
    "supports": {"total": 12, "per_week": [{"week": "2026-W40", "count": 9},
                                           {"week": "2026-W41", "count": 3}]},
    "first_answer": {"answered": 2, "median_hours": 30.0, "per_month": [
        {"month": "2026-09", "answered": 2, "median_hours": 30.0},
        {"month": "2026-10", "answered": 0, "median_hours": None}],
        "within_30_days": {"eligible": 4, "answered": 3, "share": 0.75}},
    "units": {"count": 2, "items": [{"unit": SCRIPT, "ideas": 4},
                                    {"unit": "Direction de l'eau", "ideas": 3}]},
    "tags": [{"tag": "données", "ideas": 6}],
}


@pytest.fixture
def asked(monkeypatch):
    """What the page asked GET /api/stats for."""
    queries = []

    def stats(hub, token, **query):
        queries.append(query)
        refusal = hub.refusals.pop("stats", None)
        if refusal:
            raise refusal
        return FIGURES
    monkeypatch.setattr(FakeApi, "stats", staticmethod(stats), raising=False)
    return queries


def text(response):
    return response.get_data(as_text=True)


def test_each_figure_is_a_labelled_chart_with_its_numbers_in_a_table(browser, sign_in, asked):
    sign_in("aurelie")
    response = browser.get("/statistiques?unit=&from=2026-09-01&to=2026-10-31")
    page = text(response)

    assert response.status_code == 200
    assert asked[-1] == {"unit": "", "from": "2026-09-01", "to": "2026-10-31", "campaign": ""}
    charts = re.findall(r'<svg [^>]*role="img"[^>]*aria-labelledby="([^"]+)"'
                        r'[^>]*aria-describedby="([^"]+)"', page)
    assert len(charts) == 6
    for title_id, desc_id in charts:
        assert f'<title id="{title_id}">' in page and f'<desc id="{desc_id}">' in page
    assert "<script" not in page.split("<svg", 1)[1] and " style=" not in page
    months = re.search(r'id="tableau-idees-mois".*?</table>', page, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", months) == ["3", "4"] and "septembre 2026" in months
    weeks = re.search(r'id="tableau-soutiens".*?</table>', page, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", weeks) == ["9", "3"]
    assert "semaine 40 (du 28 septembre 2026)" in weeks
    assert "75\u00a0%" in page and "30 h" in page


def test_user_text_stays_text_in_the_charts_and_tables(browser, sign_in, asked):
    sign_in("aurelie")
    page = text(browser.get("/statistiques"))
    assert SCRIPT not in page and "&lt;script" in page


def test_agents_are_refused_the_page_and_have_no_link_to_it(browser, sign_in, asked):
    sign_in("agnes")
    assert browser.get("/statistiques").status_code == 403
    assert "/statistiques" not in text(browser.get("/"))


def test_a_period_the_api_refuses_shows_the_error_and_the_whole_history(
        browser, sign_in, asked, fake):
    sign_in("aurelie")
    fake.refuse("stats", 422, "Invalide.", {"to": ["La fin précède le début."]})
    page = text(browser.get("/statistiques?from=2026-05-01&to=2026-04-01"))
    assert 'id="to-erreur"' in page and asked[-1] == {"unit": "", "campaign": ""}
