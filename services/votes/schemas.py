"""The shapes of the votes API."""
from marshmallow import Schema, fields

from shared.events import STATUSES

IDEA_ID = "040257db69a64c4e9482dcb84a2d0ab6"


class SupportOut(Schema):
    idea_id = fields.String(metadata={"example": IDEA_ID})
    voted = fields.Boolean(metadata={"description": "Je soutiens cette idée", "example": True})
    count = fields.Integer(metadata={"description": "Nombre de soutiens", "example": 42})


class Supported(Schema):
    idea_id = fields.String(metadata={"example": IDEA_ID})
    status = fields.String(allow_none=True,
                           metadata={"enum": list(STATUSES), "example": "accepted"})
    supported_at = fields.String(allow_none=True, metadata={"example": "2026-11-20T14:03:12.481Z"})


class SupportedList(Schema):
    items = fields.List(fields.Nested(Supported))
