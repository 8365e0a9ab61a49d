"""The shapes of the ideas API: strict on input, documented for /openapi.json."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.api import Cursor, InputSchema, Text
from shared.events import STATUSES
from services.ideas.domain import SORTS, is_cursor_of
from services.ideas.lifecycle import ANSWERS
from services.ideas.moderation import REASONS

ANSWERABLE = set().union(*ANSWERS.values())


class IdeaIn(InputSchema):
    title = Text(required=True, line=True, validate=validate.Length(min=5, max=140),
                 metadata={"example": "Améliorer l'accueil du public — « guichet unique »"})
    body = Text(required=True, validate=validate.Length(min=10, max=10000),
                metadata={"example": "Un seul guichet pour les démarches courantes, "
                                     "avec prise de rendez-vous en ligne."})
    tags = fields.List(Text(line=True, validate=validate.Length(min=1, max=40)),
                       load_default=list, validate=validate.Length(max=5),
                       metadata={"example": ["accueil", "simplification"]})


class Person(Schema):
    id = fields.String()
    name = fields.String()


class IdeaOut(Schema):
    id = fields.String()
    title = fields.String()
    body = fields.String()
    tags = fields.List(fields.String())
    unit = fields.String()
    author = fields.Nested(Person)
    status = fields.String(validate=validate.OneOf(STATUSES))
    status_note = fields.String()
    merged_into = fields.String(allow_none=True)
    vote_count = fields.Integer()
    comment_count = fields.Integer()
    created_at = fields.String()
    updated_at = fields.String()
    timeline = fields.List(fields.Dict(), metadata={
        "description": "Réponses, fusions et retraits, du plus ancien au plus récent"})
    history = fields.List(fields.Dict(), metadata={
        "description": "Les versions précédentes du texte, avec qui l'a modifié et quand"})


class IdeaPatch(IdeaIn):
    """The fields to change; at least one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)

    @validates_schema
    def something_to_change(self, data, **kwargs):
        if not data:
            raise ValidationError("Indiquez au moins un champ à modifier.", "_schema")


class AnswerIn(InputSchema):
    status = fields.String(required=True, validate=validate.OneOf(sorted(ANSWERABLE)),
                           metadata={"example": "accepted"})
    note = Text(load_default="", validate=validate.Length(max=2000),
                metadata={"example": "Retenue : un guichet pilote ouvre en janvier."})


class MergeIn(InputSchema):
    into = fields.String(required=True, validate=validate.Length(min=1, max=64),
                         metadata={"description": "L'idée qui reçoit la fusion"})


class IdeaListArgs(InputSchema):
    sort = fields.String(load_default="new", validate=validate.OneOf(sorted(SORTS)))
    status = fields.String(validate=validate.OneOf(STATUSES))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = Cursor()
    tag = Text(line=True, validate=validate.Length(min=1, max=40))
    unit = Text(line=True, validate=validate.Length(min=1, max=120))
    author = fields.String(validate=validate.OneOf(["me"]),
                           metadata={"description": "me : mes idées (jeton requis)"})
    q = Text(line=True, validate=validate.Length(min=1, max=200), metadata={
        "description": "Recherche sans accents ni majuscules, singulier ou pluriel",
        "example": "pistes cyclables"})

    @validates_schema
    def cursor_fits_sort(self, data, **kwargs):
        if "cursor" in data and not is_cursor_of(data["sort"], data["cursor"]):
            raise ValidationError("Ce curseur n'appartient pas à ce tri.", "cursor")


class IdeaPage(Schema):
    items = fields.List(fields.Nested(IdeaOut))
    next_cursor = Cursor(allow_none=True)


class CommentIn(InputSchema):
    body = Text(required=True, validate=validate.Length(min=1, max=5000),
                metadata={"example": "Bonne idée : à la médiathèque aussi, svp !"})


class HideCommentIn(InputSchema):
    reason = Text(required=True, validate=validate.Length(min=3, max=500),
                  metadata={"example": "Propos injurieux"})


class CommentOut(Schema):
    id = fields.String()
    author = fields.Nested(Person)
    body = fields.String(metadata={"description": "Absent d'un commentaire masqué"})
    created_at = fields.String()
    hidden = fields.Boolean()
    hidden_reason = fields.String(metadata={"description": "Pour les modérateurs seulement"})


class CommentList(Schema):
    items = fields.List(fields.Nested(CommentOut))


class SimilarArgs(InputSchema):
    text = Text(required=True, validate=validate.Length(min=3, max=10000),
                metadata={"example": "Un guichet unique pour l'accueil"})


class Similar(Schema):
    id = fields.String()
    title = fields.String()
    score = fields.Float()


class SimilarList(Schema):
    items = fields.List(fields.Nested(Similar))


class FlagIn(InputSchema):
    reason = fields.String(required=True, validate=validate.OneOf(REASONS),
                           metadata={"example": "offensive"})
    note = Text(load_default="", validate=validate.Length(max=1000))


class ModerationIn(InputSchema):
    reason = Text(load_default="", validate=validate.Length(max=1000),
                  metadata={"description": "Motif ou note, inscrit au journal"})


class QueueItem(IdeaOut):
    pending_flags = fields.Integer()
    hidden_reason = fields.String()
    reasons = fields.List(fields.String())
    notes = fields.List(fields.String())


class Queue(Schema):
    items = fields.List(fields.Nested(QueueItem))


class LogEntry(Schema):
    event_id = fields.String()
    at = fields.String()
    action = fields.String()
    idea_id = fields.String()
    title = fields.String()
    by = fields.Nested(Person, allow_none=True)
    why = fields.String()
    status = fields.String()


class Log(Schema):
    items = fields.List(fields.Nested(LogEntry))
