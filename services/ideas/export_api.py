"""HTTP routes of the exports: the ideas of a list's filter as a file, for moderators and
managers; the anonymised open data for anyone who reads the hub (export_handlers.py)."""
import unicodedata
from urllib.parse import quote

from flask import Response, stream_with_context
from flask.views import MethodView
from flask_smorest import abort

from shared.api import Blueprint, hub
from shared.auth import current_identity, requires, requires_reader
from shared.events import now_iso
from services.ideas import export_handlers
from services.ideas.schemas import ExportArgs

blp = Blueprint("exports", __name__, url_prefix="/api/ideas", description="Exports")

CSV_EXAMPLE = "\ufeffIdentifiant;Titre;Statut;...\r\n"
FILE = {"type": "string", "format": "binary"}
# The open data in JSON is a JSON document, not an opaque file: its shape is documented.
OPEN_DATA_JSON = {"type": "object", "required": ["licence", "generated_at", "fields", "items"],
                  "properties": {"licence": {"type": "object"},
                                 "generated_at": {"type": "string"},
                                 "fields": {"type": "array", "items": {"type": "object"}},
                                 "items": {"type": "array", "items": {"type": "object"}}}}
OPEN_DATA_EXAMPLE = {"licence": {"id": "etalab-2.0", "name": "Licence Ouverte / Open Licence "
                                 "version 2.0"}, "generated_at": "2026-12-02T08:00:00.000Z",
                     "fields": [{"name": "id", "type": "string",
                                 "description": "Identifiant de l'idée"}],
                     "items": [{"id": "040257db69a64c4e9482dcb84a2d0ab6"}]}


def file_doc(summary, examples):
    """The OpenAPI document of a file response: one media type per format."""
    return {"summary": summary, "responses": {"200": {
        "description": "Le fichier (Content-Disposition : son nom, avec la date)",
        "content": {export_handlers.MEDIA_TYPES[kind].split(";")[0]: {
            "schema": OPEN_DATA_JSON if kind == "json" else FILE, "example": example}
            for kind, example in examples.items()}}}}


def attachment(filename, media_type, body):
    """A streamed download. RFC 6266: an ASCII `filename` for old clients, the real name in
    `filename*`. nginx must not hold the stream back (X-Accel-Buffering)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    return Response(stream_with_context(body), mimetype=None, content_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{ascii_name}"; '
                                                    f"filename*=UTF-8''{quote(filename)}",
                             "X-Accel-Buffering": "no", "Cache-Control": "no-store"})


@blp.route("/export")
class IdeasExport(MethodView):
    @requires("moderator", "manager")
    @blp.arguments(ExportArgs, location="query")
    @blp.doc(security=[{"bearer": []}], **file_doc(
        "Exporter les idées d'une liste (ses filtres) en CSV, ODS ou XLSX",
        {"csv": CSV_EXAMPLE, "ods": "(ODS)", "xlsx": "(XLSX)"}))
    def get(self, query):
        """Exporter les idées d'une liste en CSV, ODS ou XLSX (modérateurs, responsables)"""
        me = current_identity()
        if query.get("status") == "hidden" and not me.has("moderator"):
            abort(403, message="Seuls les modérateurs exportent les idées masquées.")
        return attachment(*export_handlers.export_ideas(
            query, me.sub, hub().extra["ideas"], hub().extra["campaigns"],
            hub().config.public_url, now_iso()))


def open_data(kind):
    @requires_reader
    @blp.doc(**file_doc(f"Données ouvertes des idées ({kind.upper()}, Licence Ouverte 2.0) : "
                        "sans nom, sans le texte des idées masquées, retirées ou fusionnées",
                        {kind: "id,titre,statut,..." if kind == "csv" else
                         OPEN_DATA_EXAMPLE}))
    def get(self):
        return attachment(*export_handlers.export_open_data(
            kind, hub().extra["ideas"], hub().extra["campaigns"], now_iso()))
    blp.route(f"/opendata.{kind}")(type(f"OpenData{kind.upper()}", (MethodView,),
                                        {"get": get}))


open_data("csv")
open_data("json")
