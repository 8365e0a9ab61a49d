"""Whole examples for /openapi.json, for the operations whose result is an idea or a comment
in a state of its own. The schemas' field examples show an answered idea; these start from it
and change only what the operation changes, so the document tells one consistent story."""
from services.ideas.schemas import AGENT, MODERATOR, SUBMITTED_AT, CommentOut, IdeaOut

TARGET_ID = "d9b2b87cadaf45a1afbf0c058f304335"
CHANGED_AT = "2026-11-17T16:20:00.000Z"


def field_examples(schema):
    """The object that the examples of a schema's fields make up (a field without one is
    left out here, and reported by tests/unit/test_openapi_examples.py)."""
    return {name: field.metadata["example"] for name, field in schema().fields.items()
            if "example" in field.metadata}


ANSWERED = field_examples(IdeaOut)

# POST /api/ideas: just proposed, nothing has happened to it yet.
SUBMITTED = {**ANSWERED, "status": "submitted", "status_note": "", "vote_count": 0,
             "comment_count": 0, "updated_at": SUBMITTED_AT, "timeline": [], "history": []}

WITHDRAWN = {**SUBMITTED, "status": "withdrawn", "updated_at": CHANGED_AT, "timeline": [
    {"at": CHANGED_AT, "kind": "withdrawn", "previous": "submitted", "by": AGENT}]}

_MERGE = {"at": CHANGED_AT, "kind": "merged", "into": TARGET_ID,
          "title": "Un accueil unique en mairie", "by": MODERATOR}
MERGED = {**SUBMITTED, "status": "duplicate", "merged_into": TARGET_ID, "vote_count": 5,
          "updated_at": CHANGED_AT, "timeline": [_MERGE]}

_UNMERGED_AT = "2026-11-18T09:00:00.000Z"
UNMERGED = {**MERGED, "status": "submitted", "merged_into": None, "updated_at": _UNMERGED_AT,
            "timeline": [_MERGE, {"at": _UNMERGED_AT, "kind": "unmerged", "from": TARGET_ID,
                                  "by": MODERATOR}]}

# hide, and confirm (which keeps it hidden and adds nothing to the public timeline).
_HIDE = {"at": CHANGED_AT, "kind": "hidden", "previous": "submitted", "by": MODERATOR}
HIDDEN = {**SUBMITTED, "status": "hidden", "updated_at": CHANGED_AT, "timeline": [_HIDE]}

_RESTORED_AT = "2026-11-18T09:00:00.000Z"
RESTORED = {**SUBMITTED, "updated_at": _RESTORED_AT, "timeline": [
    _HIDE, {"at": _RESTORED_AT, "kind": "restored", "status": "submitted",
            "note": "Signalements infondés : l'idée respecte la charte.", "by": MODERATOR}]}

# POST …/comments answers what everyone sees; …/hide answers what moderators see.
_COMMENT = field_examples(CommentOut)
NEW_COMMENT = {k: v for k, v in _COMMENT.items() if k != "hidden_reason"}
HIDDEN_COMMENT = {**_COMMENT, "body": "Ceux qui proposent ça sont des incapables.",
                  "hidden": True, "hidden_reason": "Propos injurieux"}
# PATCH …/comments/{id} answers the new text; DELETE the comment without it.
EDITED_COMMENT = {**NEW_COMMENT, "body": "Bonne idée : à la médiathèque aussi, et le samedi !",
                  "edited_at": "2026-11-18T12:40:02.310Z"}
DELETED_COMMENT = {k: v for k, v in NEW_COMMENT.items() if k != "body"} | {"deleted": True}
