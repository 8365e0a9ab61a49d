"""The shapes of the notifications API."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.api import Cursor, InputSchema
from services.digest.notifications import KINDS, MODES

IDEA = {"id": "6650f1d2c9e77b0a1c2d3e4f", "title": "Dématérialiser les notes de frais"}
PERSON = {"id": "joel", "name": "Joël Martin"}
# ["2026-12-01T13:16:00.000Z", "9b1f2c3d:a1b2c3"], as the API writes it
CURSOR = "WyIyMDI2LTEyLTAxVDEzOjE2OjAwLjAwMFoiLCI5YjFmMmMzZDphMWIyYzMiXQ"


class FollowOut(Schema):
    following = fields.Boolean(metadata={"example": True})


class ListArgs(InputSchema):
    unread = fields.Boolean(load_default=False, metadata={
        "description": "Seulement les non lues", "example": False})
    limit = fields.Integer(load_default=20, validate=validate.Range(min=0, max=50), metadata={
        "description": "0 : seulement le nombre de non lues", "example": 20})
    cursor = Cursor(metadata={"description": "next_cursor de la page précédente",
                              "example": CURSOR})

    @validates_schema
    def cursor_is_ours(self, data, **kwargs):
        cursor = data.get("cursor")
        if cursor is not None and not (len(cursor) == 2 and
                                       all(isinstance(part, str) for part in cursor)):
            raise ValidationError("Curseur invalide.", "cursor")


class Ref(Schema):
    id = fields.String()
    title = fields.String()


class Actor(Schema):
    id = fields.String()
    name = fields.String()


class Progress(Schema):
    milestone = fields.String(metadata={"example": "Travaux lancés"})
    percent = fields.Integer(metadata={"example": 60})
    update = fields.String(metadata={"example": "Livraison du local en mai."})


class Item(Schema):
    id = fields.String(metadata={"example": "9b1f…:a1b2c3"})
    kind = fields.String(metadata={"description": " | ".join(KINDS), "example": "comment"})
    at = fields.String(metadata={"example": "2026-12-01T13:16:00.000Z"})
    read = fields.Boolean(metadata={"example": False})
    idea = fields.Nested(Ref, metadata={"example": IDEA})
    actor = fields.Nested(Actor, allow_none=True, metadata={"example": PERSON})
    comment_id = fields.String(allow_none=True, metadata={"example": "c-42"})
    excerpt = fields.String(allow_none=True, metadata={
        "description": "Le début du commentaire (comment, reply, mention), les mots de "
                       "l'avancement (progress)",
        "example": "@Agnès, on pourrait commencer par les déplacements."})
    status = fields.String(allow_none=True, metadata={"example": None})
    note = fields.String(allow_none=True, metadata={"example": None})
    milestone = fields.Integer(allow_none=True, metadata={"example": None})
    into = fields.Nested(Ref, allow_none=True, metadata={"example": None})
    merged = fields.Boolean(allow_none=True, metadata={"example": None})
    progress = fields.Nested(Progress, allow_none=True, metadata={
        "description": "L'avancement publié (progress) : l'étape, le pourcentage, les mots",
        "example": None})
    link = fields.String(metadata={"description": "Le chemin de la page, à l'endroit exact",
                                   "example": "/ideas/6650f1d2c9e77b0a1c2d3e4f#commentaire-c-42"})


class Page(Schema):
    items = fields.List(fields.Nested(Item))
    unread = fields.Integer(metadata={"example": 3})
    next_cursor = Cursor(allow_none=True, metadata={"description": "null sur la dernière page",
                                                    "example": None})


class ReadIn(InputSchema):
    ids = fields.List(fields.String(validate=validate.Length(max=200)),
                      validate=validate.Length(min=1, max=100),
                      metadata={"example": ["9b1f2c3d:a1b2c3"]})
    all = fields.Boolean(metadata={"description": "Toutes mes notifications"})

    @validates_schema
    def one_of(self, data, **kwargs):
        if bool(data.get("ids")) == bool(data.get("all")):
            raise ValidationError("Indiquez soit « ids », soit « all » : true.", "ids")


class UnreadOut(Schema):
    unread = fields.Integer(metadata={"example": 0})


def _mail_field(required):
    return fields.Dict(keys=fields.String(validate=validate.OneOf(KINDS)),
                       values=fields.String(validate=validate.OneOf(MODES)),
                       required=required, metadata={
        "description": "Par type de notification : " + ", ".join(MODES),
        "example": {"status": "immediate", "comment": "daily", "milestone": "never"}})


class PreferencesIn(InputSchema):
    mail = _mail_field(False)
    follow_on_support = fields.Boolean(metadata={"example": True})
    follow_on_comment = fields.Boolean(metadata={"example": True})
    language = fields.String(validate=validate.OneOf(["fr", "en"]), metadata={"example": "fr"})


class PreferencesOut(Schema):
    mail = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "example": {"status": "immediate", "comment": "daily", "reply": "immediate",
                    "mention": "immediate", "merge": "immediate", "withdrawn": "daily",
                    "milestone": "weekly", "progress": "immediate"}})
    follow_on_support = fields.Boolean(metadata={"example": True})
    follow_on_comment = fields.Boolean(metadata={"example": True})
    language = fields.String(metadata={"example": "fr"})


class UnsubscribeArgs(InputSchema):
    token = fields.String(required=True, validate=validate.Length(max=1000), metadata={
        "description": "Le jeton signé du lien du courriel de notification",
        "example": "WyJqb2VsIiwgWyJjb21tZW50Il1d.aT2kXw.1bQ0ZJw3y0pC3n9m4bO0e6tR2sE"})
