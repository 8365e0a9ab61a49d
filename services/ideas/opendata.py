"""The open-data export of ideas (GET /api/ideas/opendata.csv|json), under the Licence
Ouverte 2.0 (Etalab). Pure.

Anonymised: no person anywhere (neither author nor moderator: their names are not even read,
see exports.FIELDS), and no free text of an idea that was hidden, withdrawn or merged (its title,
tags and answer are left empty): the hub does not publish what its moderators took down, what
an author took back, or the copy of an idea published elsewhere. Counts, dates, the unit and
the call stay, so that figures add up.
Following schema.data.gouv.fr's advice for CSV: UTF-8, comma, one header line, dates in ISO
8601 (UTC), snake_case names."""
from services.ideas.exports import answered_at, status_label

LICENCE = {"name": "Licence Ouverte / Open Licence version 2.0",
           "id": "etalab-2.0",
           "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
# Whose free text is not published.
WITHHELD = ("hidden", "withdrawn", "duplicate")
# (name, type, description): the file's columns, in order.
FIELD_DESCRIPTIONS = (
    ("id", "string", "Identifiant de l'idée"),
    ("titre", "string", "Titre (vide pour une idée masquée, retirée ou fusionnée)"),
    ("statut", "string", "Statut (code) : submitted, under_review, accepted, in_progress, "
                         "implemented, rejected, duplicate, hidden, withdrawn"),
    ("statut_libelle", "string", "Statut en français"),
    ("service", "string", "Service de l'agent qui l'a proposée"),
    ("appel", "string", "Titre de l'appel à idées auquel elle répond (vide : hors appel)"),
    ("mots_cles", "string", "Mots-clés séparés par des virgules (vides comme le titre)"),
    ("soutiens", "integer", "Nombre de soutiens"),
    ("commentaires", "integer", "Nombre de commentaires visibles"),
    ("proposee_le", "datetime", "Date de proposition (ISO 8601, UTC)"),
    ("reponse_le", "datetime", "Date de la première réponse de la modération (ISO 8601, UTC)"),
    ("reponse_publique", "string", "Réponse publique de la modération (vide comme le titre)"),
    ("fusionnee_dans", "string", "Identifiant de l'idée dans laquelle elle a été fusionnée"),
)
NAMES = tuple(name for name, _, _ in FIELD_DESCRIPTIONS)


def open_item(idea, call_titles):
    """The published record of `idea` (as stored, with FIELDS), keyed by NAMES."""
    withheld = idea["status"] in WITHHELD
    return {"id": idea["_id"],
            "titre": "" if withheld else idea["title"],
            "statut": idea["status"], "statut_libelle": status_label(idea["status"]),
            "service": idea.get("unit") or "",
            "appel": call_titles.get(idea.get("campaign_id"), ""),
            "mots_cles": "" if withheld else ", ".join(idea.get("tags") or ()),
            "soutiens": idea.get("vote_count", 0),
            "commentaires": idea.get("comment_count", 0),
            "proposee_le": idea["created_at"], "reponse_le": answered_at(idea) or "",
            "reponse_publique": "" if withheld else idea.get("status_note") or "",
            "fusionnee_dans": idea.get("merged_into") or ""}


def open_row(item):
    return [item[name] for name in NAMES]


def document_head(generated_at):
    """The JSON document but its items: {licence, generated_at, fields, items: [...]}."""
    return {"licence": LICENCE, "generated_at": generated_at,
            "producer": "Ideahub",
            "fields": [{"name": name, "type": kind, "description": description}
                       for name, kind, description in FIELD_DESCRIPTIONS]}
