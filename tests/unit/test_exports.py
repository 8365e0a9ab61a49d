"""Exports of ideas: the rows (French statuses, Paris dates, the call's title, the link), the
CSV as French spreadsheets read it (BOM, `;`, CRLF, RFC 4180 quotes, formula guard), XLSX and
ODS read back, who may export, the list's filters, hidden ideas; and the open data."""
import csv
import io
import json
import zipfile
from datetime import datetime
from xml.etree import ElementTree

import openpyxl
import pytest

from services.ideas import export_formats, exports
from tests.unit.test_campaigns import create

pytestmark = pytest.mark.unit

MODERATOR = ("agent", "moderator")
MANAGER = ("agent", "manager")


@pytest.fixture
def client(make_app):
    return make_app("ideas").test_client()


def propose(client, auth, title, body="Un texte assez long.", sub="alice", unit="Service urbanisme",
            tags=(), campaign_id=None):
    response = client.post("/api/ideas", headers=auth(sub, unit=unit), json={
        "title": title, "body": body, "tags": list(tags),
        **({"campaign_id": campaign_id} if campaign_id else {})})
    assert response.status_code == 201, response.json
    return response.json


def export(client, auth, roles=MODERATOR, **query):
    return client.get("/api/ideas/export", query_string=query, headers=auth("boss", roles=roles))


def csv_rows(response):
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_the_csv_holds_every_column_in_french_with_the_call_and_the_answer(client, auth):
    call = create(client, auth, title="Appel « crues »")
    idea = propose(client, auth, "Partager la carte des crues", tags=["données", "crues"],
                   campaign_id=call["id"])
    client.post(f"/api/ideas/{idea['id']}/status", headers=auth("mod", roles=MODERATOR),
                json={"status": "accepted", "note": "Oui ; dès lundi, « vite »\nà suivre"})
    response = export(client, auth, format="csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="idees-20')
    assert "filename*=UTF-8''id%C3%A9es-20" in disposition and disposition.endswith('.csv')
    header, row = csv_rows(response)
    assert header == [title for title, _ in exports.COLUMNS]
    assert header[:3] == ["Identifiant", "Titre", "Statut"]
    values = dict(zip(header, row))
    assert values["Titre"] == "Partager la carte des crues"
    assert values["Statut"] == "retenue"
    assert values["Appel à idées"] == "Appel « crues »"
    assert values["Mots-clés"] == "données, crues"
    assert values["Réponse publique"] == "Oui ; dès lundi, « vite »\nà suivre"
    assert values["Lien"].endswith(f"/ideas/{idea['id']}")
    assert values["Soutiens"] == "0" and values["Commentaires"] == "0"
    assert datetime.strptime(values["Proposée le"], "%d/%m/%Y %H:%M")
    assert datetime.strptime(values["Réponse le"], "%d/%m/%Y %H:%M")


def test_csv_lines_end_in_crlf_and_quote_as_rfc_4180_says():
    body = b"".join(export_formats.csv_bytes(["a", "b"], [['dit "oui"', "x;y"], ["1\r\n2", 3]]))
    assert body == ('\ufeffa;b\r\n"dit ""oui""";"x;y"\r\n"1\r\n2";3\r\n').encode("utf-8")


def test_a_cell_that_a_spreadsheet_would_run_gets_an_apostrophe_in_the_csv():
    rows = [["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "ok", -3]]
    body = b"".join(export_formats.csv_bytes(list("abcdefg"), rows)).decode("utf-8-sig")
    cells = list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))[1]
    assert cells == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "ok", "-3"]


def test_dates_are_paris_time():
    assert exports.paris("2026-07-01T22:30:00.000Z") == datetime(2026, 7, 2, 0, 30)
    assert exports.paris("2026-12-01T22:30:00.000Z") == datetime(2026, 12, 1, 23, 30)


def test_agents_may_not_export_moderators_and_managers_may(client, auth):
    propose(client, auth, "Une idée à exporter")
    assert export(client, auth, roles=("agent",)).status_code == 403
    assert client.get("/api/ideas/export").status_code == 401
    assert export(client, auth, roles=MANAGER).status_code == 200
    assert export(client, auth, roles=MODERATOR).status_code == 200
    assert export(client, auth, format="pdf").status_code == 422
    assert export(client, auth, limit=5).status_code == 422


def test_the_export_applies_the_lists_filters(client, auth):
    propose(client, auth, "Des vélos pour les agents", tags=["mobilité"])
    propose(client, auth, "Un guichet unique", unit="CCAS", sub="bob")
    propose(client, auth, "Des bornes pour les vélos", unit="CCAS", sub="bob",
            tags=["Mobilite"])

    def titles(**query):
        return sorted(row[1] for row in csv_rows(export(client, auth, **query))[1:])
    assert titles() == ["Des bornes pour les vélos", "Des vélos pour les agents",
                        "Un guichet unique"]
    assert titles(unit="CCAS") == ["Des bornes pour les vélos", "Un guichet unique"]
    assert titles(tag="mobilité") == ["Des bornes pour les vélos", "Des vélos pour les agents"]
    assert titles(q="vélos", unit="CCAS") == ["Des bornes pour les vélos"]
    assert titles(status="accepted") == []


def test_hidden_ideas_only_for_moderators_asking_for_them(client, auth):
    propose(client, auth, "Une idée visible")
    hidden = propose(client, auth, "Une idée masquée")
    client.post(f"/api/ideas/{hidden['id']}/hide", headers=auth("mod", roles=MODERATOR),
                json={"reason": "Propos injurieux"})

    def titles(roles=MODERATOR, **query):
        return [row[1] for row in csv_rows(export(client, auth, roles, **query))[1:]]
    assert titles() == ["Une idée visible"]
    assert titles(MANAGER) == ["Une idée visible"]
    assert titles(status="hidden") == ["Une idée masquée"]
    assert export(client, auth, MANAGER, status="hidden").status_code == 403


def test_the_xlsx_reads_back_with_dates_as_dates_and_texts_never_formulas(client, auth):
    propose(client, auth, "=1+1 n'est pas une formule", tags=["accueil"])
    response = export(client, auth, format="xlsx")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.headers["Content-Disposition"].endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [title for title, _ in exports.COLUMNS]
    values = dict(zip(rows[0], rows[1]))
    assert values["Titre"] == "=1+1 n'est pas une formule"
    assert sheet.cell(2, 2).data_type == "s"
    assert values["Statut"] == "proposée" and values["Soutiens"] == 0
    assert isinstance(values["Proposée le"], datetime) and values["Réponse le"] is None


def ods_table(data):
    """The ODS's cells: (value type, value attribute or text) per cell, row by row."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.namelist()[0] == "mimetype"
        assert package.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert package.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        content = ElementTree.fromstring(package.read("content.xml"))
    ns = {p: uri for p, uri in export_formats.NS.items()}
    office = "{%s}" % ns["office"]
    table = []
    for row in content.iterfind(".//table:table-row", ns):
        cells = []
        for cell in row.iterfind("table:table-cell", ns):
            kind = cell.get(office + "value-type")
            text = "".join(p.text or "" for p in cell.iterfind("text:p", ns))
            cells.append((kind, cell.get(office + "date-value") or cell.get(office + "value")
                          or text))
        table.append(cells)
    return table


def test_the_ods_reads_back_with_typed_cells(client, auth):
    propose(client, auth, "Des fiches réflexes <partagées> & à jour")
    response = export(client, auth, format="ods")
    assert response.headers["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    header, row = ods_table(response.get_data())
    assert [text for _, text in header] == [title for title, _ in exports.COLUMNS]
    cells = dict(zip([text for _, text in header], row))
    assert cells["Titre"] == ("string", "Des fiches réflexes <partagées> & à jour")
    assert cells["Soutiens"] == ("float", "0")
    assert cells["Proposée le"][0] == "date"
    assert datetime.fromisoformat(cells["Proposée le"][1])
    assert cells["Réponse le"] == (None, "")


def test_an_export_reads_the_ideas_a_page_at_a_time_in_the_lists_order(client, auth,
                                                                       monkeypatch):
    monkeypatch.setattr("services.ideas.export_handlers.PAGE", 2)
    for n in range(5):
        propose(client, auth, f"Idée numéro {n}")
    rows = csv_rows(export(client, auth))[1:]
    assert len(rows) == 5 and len({row[0] for row in rows}) == 5


def test_the_open_data_names_nobody_and_withholds_the_text_of_hidden_withdrawn_and_merged(
        client, auth):
    kept = propose(client, auth, "Une idée publiée", sub="alice", tags=["accueil"])
    hidden = propose(client, auth, "Une idée injurieuse", sub="bob", tags=["secret"])
    withdrawn = propose(client, auth, "Une idée reprise", sub="carole")
    merged = propose(client, auth, "Une idée en double", sub="denis")
    moderator = auth("mod", roles=MODERATOR)
    client.post(f"/api/ideas/{hidden['id']}/hide", headers=moderator, json={"reason": "Injure"})
    client.post(f"/api/ideas/{withdrawn['id']}/withdraw", headers=auth("carole"))
    client.post(f"/api/ideas/{merged['id']}/merge", headers=moderator,
                json={"into": kept["id"], "reason": "Doublon"})
    response = client.get("/api/ideas/opendata.json", headers=auth("eve"))
    assert response.status_code == 200
    document = response.get_json()
    assert document["licence"]["id"] == "etalab-2.0"
    assert [f["name"] for f in document["fields"]][:2] == ["id", "titre"]
    items = {item["id"]: item for item in document["items"]}
    assert items[kept["id"]]["titre"] == "Une idée publiée"
    for idea in (hidden, withdrawn, merged):
        assert items[idea["id"]]["titre"] == "" and items[idea["id"]]["mots_cles"] == ""
    assert items[merged["id"]]["fusionnee_dans"] == kept["id"]
    text = response.get_data(as_text=True)
    for secret in ("alice", "bob", "carole", "denis", "Agent ", "injurieuse", "reprise",
                   "en double", "secret", "ville.test", "Injure"):
        assert secret not in text
    data = client.get("/api/ideas/opendata.csv", headers=auth("eve")).get_data(as_text=True)
    assert not data.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    assert {row["id"]: row["titre"] for row in rows}[kept["id"]] == "Une idée publiée"
    assert "alice" not in data and "injurieuse" not in data


def test_the_open_data_needs_a_sign_in_as_the_hub_does(client, auth):
    assert client.get("/api/ideas/opendata.csv").status_code == 401
    assert json.loads(client.get("/api/ideas/opendata.json",
                                 headers=auth("eve")).get_data())["items"] == []
