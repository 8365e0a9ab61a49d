"""The shapes of the digest API."""
from marshmallow import Schema, fields, validate

from shared.api import InputSchema, Text

PERIOD = {"example": "2026-W48", "description": "Semaine ISO, Europe/Paris"}


class SubscriptionIn(InputSchema):
    email = fields.Email(metadata={"description": "Par défaut, celle du jeton"})
    units = fields.List(Text(line=True, validate=validate.Length(min=1, max=120)),
                        load_default=list, validate=validate.Length(max=50),
                        metadata={"description": "Vide : tous les services"})
    tags = fields.List(Text(line=True, validate=validate.Length(min=1, max=40)),
                       load_default=list, validate=validate.Length(max=50),
                       metadata={"description": "Vide : tous les thèmes"})
    weekday = fields.Integer(load_default=0, validate=validate.Range(min=0, max=6),
                             metadata={"description": "0 = lundi"})
    hour = fields.Integer(load_default=8, validate=validate.Range(min=0, max=23),
                          metadata={"description": "Heure de Paris"})
    language = fields.String(load_default="fr", validate=validate.OneOf(["fr", "en"]))


class SubscriptionOut(Schema):
    email = fields.String()
    units = fields.List(fields.String())
    tags = fields.List(fields.String())
    weekday = fields.Integer()
    hour = fields.Integer()
    language = fields.String()


class PreviewArgs(InputSchema):
    period = fields.String(metadata=PERIOD)


class PreviewOut(Schema):
    period = fields.String(metadata=PERIOD)
    would_send = fields.Boolean()
    subject = fields.String(allow_none=True)
    text = fields.String(allow_none=True)
    html = fields.String(allow_none=True)
    reason = fields.String()


class RunIn(InputSchema):
    period = fields.String(required=True, metadata=PERIOD)


class RunStarted(Schema):
    run_id = fields.String()


class RunOut(Schema):
    run_id = fields.String(attribute="_id")
    period = fields.String()
    status = fields.String(metadata={"description": "pending, running, done"})
    sent = fields.Integer()
    skipped = fields.Integer()
    failed = fields.Integer()
    already_done = fields.Integer()


class UnsubscribeArgs(InputSchema):
    token = fields.String(required=True)
