"""The shapes of the implementation API: strict on input, documented for /openapi.json."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.api import InputSchema, Text
from shared.events import STATUSES

OWNER = {"kind": "person", "name": "Hélène Dubœuf", "id": "agent-7"}
TARGET = "2027-06-30"
BY = {"id": "agent-7", "name": "Hélène Dubœuf"}
AT = "2027-02-03T10:15:00.000Z"
STEP = {"at": AT, "milestone": "Local choisi avec les services techniques", "percent": 30,
        "update": "Le local du rez-de-chaussée accueillera vingt vélos.", "by": BY}
FOLLOWED = {"owner": OWNER, "target_date": TARGET, "percent": 30, "milestones": [STEP],
            "last_update": STEP}


class OwnerIn(InputSchema):
    kind = fields.String(required=True, validate=validate.OneOf(("unit", "person")),
                         metadata={"description": "unit : un service ; person : une personne",
                                   "example": "person"})
    name = Text(required=True, line=True, validate=validate.Length(min=2, max=120),
                metadata={"example": OWNER["name"]})
    id = fields.String(load_default=None, allow_none=True,
                       validate=validate.Length(min=1, max=255), metadata={
                           "description": "L'identifiant de la personne (kind=person)",
                           "example": OWNER["id"]})

    @validates_schema
    def a_person_is_named_by_id(self, data, **kwargs):
        if data.get("kind") == "person" and not data.get("id"):
            raise ValidationError("Indiquez l'identifiant de la personne.", "id")


class ImplementationIn(InputSchema):
    owner = fields.Nested(OwnerIn, required=True)
    target_date = fields.Date(required=True, metadata={
        "description": "L'échéance visée (AAAA-MM-JJ)", "example": TARGET})


class ProgressIn(InputSchema):
    milestone = Text(required=True, line=True, validate=validate.Length(min=3, max=140),
                     metadata={"example": STEP["milestone"]})
    percent = fields.Integer(required=True, strict=True,
                             validate=validate.Range(min=0, max=100),
                             metadata={"example": STEP["percent"]})
    update = Text(load_default="", validate=validate.Length(max=1000),
                  metadata={"description": "Quelques mots publics sur ce qui a été fait",
                            "example": STEP["update"]})


class Reporter(Schema):
    id = fields.String(metadata={"example": BY["id"]})
    name = fields.String(metadata={"example": BY["name"]})


class OwnerOut(Schema):
    kind = fields.String(metadata={"example": OWNER["kind"]})
    name = fields.String(metadata={"example": OWNER["name"]})
    id = fields.String(allow_none=True, metadata={"example": OWNER["id"]})


class Step(Schema):
    at = fields.String(metadata={"example": AT})
    milestone = fields.String(metadata={"example": STEP["milestone"]})
    percent = fields.Integer(metadata={"example": STEP["percent"]})
    update = fields.String(metadata={"example": STEP["update"]})
    by = fields.Nested(Reporter)


class ImplementationOut(Schema):
    owner = fields.Nested(OwnerOut)
    target_date = fields.String(metadata={"example": TARGET})
    percent = fields.Integer(metadata={"example": STEP["percent"]})
    milestones = fields.List(fields.Nested(Step), metadata={
        "description": "Les étapes publiées, de la plus ancienne à la plus récente"})
    last_update = fields.Nested(Step, allow_none=True, metadata={"example": STEP})


class CallRef(Schema):
    id = fields.String(metadata={"example": "6f1c1f6ad0b44d0e9cbbd1c4c0a2e51b"})
    title = fields.String(metadata={"example": "Données et risques d'inondation"})
    question = fields.String(metadata={
        "example": "Comment les données sur les crues peuvent-elles servir ailleurs ?"})
    phase = fields.String(metadata={"example": "results"})


class Result(Schema):
    id = fields.String(metadata={"example": "040257db69a64c4e9482dcb84a2d0ab6"})
    title = fields.String(metadata={"example": "Des casiers pour les agents venant à vélo"})
    unit = fields.String(metadata={"example": "Service urbanisme"})
    author = fields.Nested(Reporter)
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={
        "example": "in_progress"})
    status_note = fields.String(metadata={"example": "Retenue : un local ouvre en juin."})
    vote_count = fields.Integer(metadata={"example": 42})
    owner = fields.Nested(OwnerOut, allow_none=True, metadata={"example": OWNER})
    target_date = fields.String(allow_none=True, metadata={"example": TARGET})
    percent = fields.Integer(metadata={"example": STEP["percent"]})
    last_update = fields.Nested(Step, allow_none=True, metadata={
        "description": "La dernière étape publiée, ou null", "example": STEP})


class Results(Schema):
    campaign = fields.Nested(CallRef)
    items = fields.List(fields.Nested(Result), metadata={
        "description": "Réalisées d'abord, puis en cours (les plus avancées d'abord), puis "
                       "retenues ; à égalité, les plus soutenues"})
