"""The statistics page in Chromium (issue 15): Aurélie, a manager, finds it from the header,
filters it by a unit through the GET form (with and without JavaScript); each chart renders as
an image named by its title, the CSP refuses nothing of it, and the tables under the charts
hold the numbers GET /api/stats gives for the same filter; at 360 px nothing scrolls
sideways but the tables in their frames."""
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.helpers import settled

JS = pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])


@pytest.fixture(scope="module")
def seeded(http, token):
    """A unit of its own with two ideas, one answered: its figures are known."""
    unit = f"Service des chiffres {uuid.uuid4().hex[:6]}"
    author = token(unit=unit)
    ids = []
    for n in range(2):
        created = http("POST", "/api/ideas", author, json={
            "title": f"Une idée à compter numéro {n}", "body": "Pour la page des statistiques.",
            "tags": ["chiffres"]})
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    answered = http("POST", f"/api/ideas/{ids[0]}/status", token(roles=("moderator",)),
                    json={"status": "accepted", "note": "Merci !"})
    assert answered.status_code == 200, answered.text
    manager = token(roles=("manager",))
    settled(lambda: http("GET", "/api/stats", manager, params={"unit": unit}).json()
            ["first_answer"]["answered"] == 1, message="every process has the answer")
    return unit, http("GET", "/api/stats", manager, params={"unit": unit}).json()


def cells(page, table_id):
    return [row.locator("th, td").all_inner_texts()
            for row in page.locator(f"#{table_id} tbody tr").all()]


@JS
def test_a_manager_reads_the_charts_and_their_numbers_for_a_unit(tab, seeded, js):
    unit, figures = seeded
    reader = tab("aurelie", js=js)
    page = reader.page
    reader.goto("/")
    page.get_by_role("link", name="Statistiques").click()
    page.get_by_label("Service", exact=True).select_option(unit)
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistiques")

    for title in ("Idées proposées par mois", "Idées par statut", "Soutiens par semaine",
                  "Délai médian de première réponse", "Idées par service",
                  "Étiquettes les plus portées"):
        chart = page.get_by_role("img", name=title, exact=True)
        expect(chart).to_be_visible()
        expect(chart).to_have_accessible_description(re.compile("tableau qui suit"))
        assert chart.bounding_box()["height"] > 50
    assert cells(page, "tableau-idees-statut") == [["retenue", "1"], ["proposée", "1"]]
    assert cells(page, "tableau-services") == [[unit, "2"]]
    assert cells(page, "tableau-etiquettes") == [["chiffres", "2"]]
    months = cells(page, "tableau-idees-mois")
    assert [int(n) for _, n in months] == [m["count"] for m in figures["ideas"]["per_month"]]
    assert not reader.csp_violations(), reader.csp_violations()


def test_the_page_fits_a_phone_its_tables_scroll_in_their_frames(tab, seeded):
    reader = tab("aurelie")
    reader.page.set_viewport_size({"width": 360, "height": 740})
    reader.goto(f"/statistiques?unit={seeded[0]}")
    width = reader.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways: {width} px"
    chart = reader.page.get_by_role("img", name="Idées proposées par mois").bounding_box()
    assert chart["width"] <= 360 and re.match(r"\d", str(chart["height"]))
