"""Exports of ideas (GET /api/ideas/export, /api/ideas/opendata.*): what a row says of an
idea, in the columns a spreadsheet shows. Pure: the formats are in export_formats.py.

A row is a list of plain values: str, int, or a `datetime` in Paris time (without offset:
spreadsheets know no time zones, and a French reader reads Paris time)."""
from datetime import datetime
from zoneinfo import ZoneInfo

from services.ideas.lifecycle import LABELS

PARIS = ZoneInfo("Europe/Paris")

# Moderators' and managers' export: (header, field of export_row).
COLUMNS = (("Identifiant", "id"), ("Titre", "title"), ("Statut", "status"),
           ("Service", "unit"), ("Appel à idées", "call"), ("Mots-clés", "tags"),
           ("Soutiens", "supports"), ("Commentaires", "comments"),
           ("Proposée le", "created"), ("Réponse le", "answered"),
           ("Réponse publique", "answer"), ("Lien", "link"))
DATE_COLUMNS = ("created", "answered")
# What an export reads of an idea: no body, no author's email, no history.
FIELDS = ("title", "status", "unit", "campaign_id", "tags", "vote_count", "comment_count",
          "created_at", "timeline", "status_note", "merged_into")
# A cell a spreadsheet would take for a formula (OWASP, "CSV injection"); tab and carriage
# return too, which some spreadsheets strip before looking at the first character.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def paris(stamp):
    """'2026-11-24T09:00:00.000Z' -> datetime(2026, 11, 24, 10, 0), Paris time, naive."""
    if not stamp:
        return None
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(PARIS)
    return moment.replace(tzinfo=None, microsecond=0)


def answered_at(idea):
    """When a moderator first answered the idea (its first status change), or None."""
    return next((entry["at"] for entry in idea.get("timeline") or ()
                 if entry.get("kind") == "status"), None)


def status_label(status):
    return LABELS.get(status, status)


def export_row(idea, call_titles, idea_url):
    """The values of COLUMNS for `idea` (as stored, with FIELDS). `call_titles`: call id ->
    title; `idea_url(id)`: the idea's page."""
    values = {"id": idea["_id"], "title": idea["title"], "status": status_label(idea["status"]),
              "unit": idea.get("unit") or "",
              "call": call_titles.get(idea.get("campaign_id"), ""),
              "tags": ", ".join(idea.get("tags") or ()),
              "supports": idea.get("vote_count", 0), "comments": idea.get("comment_count", 0),
              "created": paris(idea["created_at"]), "answered": paris(answered_at(idea)),
              "answer": idea.get("status_note") or "", "link": idea_url(idea["_id"])}
    return [values[field] for _, field in COLUMNS]


def guarded(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe, which
    spreadsheets show as text; numbers and dates stay what they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_filename(kind, extension, now):
    """('idées', 'csv', now) -> 'idées-2026-11-24.csv' (the date in Paris)."""
    return f"{kind}-{paris(now).date().isoformat()}.{extension}"
