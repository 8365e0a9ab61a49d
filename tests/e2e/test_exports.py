"""Exports through the gateway, on the real stack: the seeded ideas come back exactly from
the CSV (as Python's csv module reads it), the XLSX (openpyxl) and the ODS (its content.xml);
the open data names nobody."""
import csv
import io
import uuid
from datetime import datetime

import openpyxl
import pytest

from tests.helpers import settled
from tests.unit.test_exports import ods_table

pytestmark = pytest.mark.e2e

HEADER = ["Identifiant", "Titre", "Statut", "Service", "Appel à idées", "Mots-clés",
          "Soutiens", "Commentaires", "Proposée le", "Réponse le", "Réponse publique", "Lien"]
NOTE = 'Retenue ; "dès lundi",\nà suivre'


@pytest.fixture
def seeded(http, token, gateway):
    """Three ideas of a unit of their own (so the export's filter finds them alone), one
    answered; their expected rows, newest first, dates aside."""
    unit = f"Service des exports {uuid.uuid4().hex[:8]}"
    author = token(roles=("agent",), unit=unit, name="Agnès Exportée")
    moderator = token(roles=("agent", "moderator"))
    ideas = []
    for title, tags in (("Des fiches « réflexes » ; à partager", ["données"]),
                        ("=SOMME(A1) n'est pas une formule", []),
                        ("Un guichet unique, vraiment unique", ["accueil", "Élus"])):
        response = http("POST", "/api/ideas", author, json={
            "title": title, "body": "Un texte assez long pour être une idée.", "tags": tags})
        assert response.status_code == 201, response.text
        ideas.append(response.json())
    answered = http("POST", f"/api/ideas/{ideas[0]['id']}/status", moderator,
                    json={"status": "accepted", "note": NOTE})
    assert answered.status_code == 200, answered.text
    expected = [[i["id"], i["title"], "retenue" if n == 0 else "proposée", unit, "",
                 ", ".join(i["tags"]), 0, 0, NOTE if n == 0 else "",
                 f"{gateway}/ideas/{i['id']}"] for n, i in enumerate(ideas)][::-1]
    # Lists follow Kafka in each process: wait until every process lists the three.
    settled(lambda: [i["status"] for i in http("GET", "/api/ideas", author, params={
        "unit": unit, "sort": "new"}).json()["items"]] == ["submitted", "submitted",
                                                           "accepted"])
    return unit, expected, token(roles=("agent", "manager"))


def comparable(row):
    """A row without its two dates (checked apart), numbers as numbers."""
    values = list(row[:6]) + [int(row[6]), int(row[7])] + list(row[10:])
    return [("" if v is None else v) for v in values]


def test_the_csv_reads_back_with_the_seeded_ideas_exactly(http, seeded):
    unit, expected, manager = seeded
    response = http("GET", "/api/ideas/export", manager, params={"unit": unit,
                                                                  "format": "csv"})
    assert response.status_code == 200, response.text
    assert "filename*=UTF-8''id%C3%A9es-" in response.headers["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in response.content
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""),
                           delimiter=";"))
    assert rows[0] == HEADER
    assert len(rows) == 4
    guarded = [row[:] for row in expected]
    guarded[1][1] = "'" + guarded[1][1]  # the formula guard
    assert [comparable(row) for row in rows[1:]] == guarded
    for row in rows[1:]:
        datetime.strptime(row[8], "%d/%m/%Y %H:%M")
    assert [bool(row[9]) for row in rows[1:]] == [False, False, True]


def test_the_xlsx_reads_back_with_the_seeded_ideas_exactly(http, seeded):
    unit, expected, manager = seeded
    response = http("GET", "/api/ideas/export", manager, params={"unit": unit,
                                                                  "format": "xlsx"})
    assert response.status_code == 200, response.text
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
        values_only=True))
    assert list(rows[0]) == HEADER
    assert [comparable(row) for row in rows[1:]] == expected
    assert all(isinstance(row[8], datetime) for row in rows[1:])
    assert isinstance(rows[3][9], datetime) and rows[1][9] is None


def test_the_ods_reads_back_with_the_seeded_ideas_exactly(http, seeded):
    unit, expected, manager = seeded
    response = http("GET", "/api/ideas/export", manager, params={"unit": unit,
                                                                  "format": "ods"})
    assert response.status_code == 200, response.text
    header, *rows = ods_table(response.content)
    assert [text for _, text in header] == HEADER
    assert [comparable([value for _, value in row]) for row in rows] == [
        [*row[:6], row[6], row[7], *row[8:]] for row in expected]
    assert all(row[8][0] == "date" for row in rows)


def test_agents_may_not_export_and_the_open_data_names_nobody(http, seeded, token):
    unit, expected, _ = seeded
    agent = token(roles=("agent",))
    assert http("GET", "/api/ideas/export", agent).status_code == 403
    response = http("GET", "/api/ideas/opendata.json", agent)
    assert response.status_code == 200
    document = response.json()
    assert document["licence"]["id"] == "etalab-2.0"
    mine = [item for item in document["items"] if item["service"] == unit]
    assert sorted(item["id"] for item in mine) == sorted(row[0] for row in expected)
    assert "Agnès Exportée" not in response.text and "test.ideahub.local" not in response.text
