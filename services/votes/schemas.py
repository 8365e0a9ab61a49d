"""The shapes of the votes API."""
from marshmallow import Schema, fields

from shared.events import STATUSES


class SupportOut(Schema):
    idea_id = fields.String(metadata={"example": "3f2a9c0e5b7d4e1f8a6b2c9d0e1f2a3b"})
    voted = fields.Boolean(metadata={"description": "Je soutiens cette idée"})
    count = fields.Integer(metadata={"description": "Nombre de soutiens"})


class Supported(Schema):
    idea_id = fields.String()
    status = fields.String(allow_none=True, metadata={"enum": list(STATUSES)})
    supported_at = fields.String(allow_none=True)


class SupportedList(Schema):
    items = fields.List(fields.Nested(Supported))
