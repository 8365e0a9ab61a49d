"""The shapes of the calls-for-ideas API: strict on input, documented for /openapi.json."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared import phases
from shared.api import InputSchema, Text
from services.ideas.campaigns import COLOURS

CAMPAIGN_ID = "6f1c1f6ad0b44d0e9cbbd1c4c0a2e51b"
QUESTION = "Comment les données sur les risques d'inondation peuvent-elles servir à d'autres " \
           "services ?"
PERSON = {"id": "agent-7", "name": "Hélène Dubœuf"}
EXAMPLE_DATES = {"proposals_from": "2026-12-01T09:00:00.000Z",
                 "proposals_until": "2026-12-21T17:00:00.000Z",
                 "supports_from": "2026-12-01T09:00:00.000Z",
                 "supports_until": "2027-01-11T17:00:00.000Z",
                 "evaluation_until": "2027-01-25T17:00:00.000Z"}


class When(fields.DateTime):
    """An ISO 8601 time; without an offset, Paris time. Loaded as the stored UTC string."""

    def _deserialize(self, value, attr, data, **kwargs):
        return phases.utc(super()._deserialize(value, attr, data, **kwargs))


class PersonIn(InputSchema):
    id = fields.String(required=True, validate=validate.Length(min=1, max=255))
    name = Text(required=True, line=True, validate=validate.Length(min=1, max=120))


class CriterionIn(InputSchema):
    key = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z][a-z0-9_]{0,31}$", error="Lettres minuscules, chiffres et _ (32 au plus)."))
    label = Text(required=True, line=True, validate=validate.Length(min=2, max=80))


def _unique_ids(people):
    if len({p["id"] for p in people}) != len(people):
        raise ValidationError("Une même personne figure deux fois.")


def _unique_keys(criteria):
    if len({c["key"] for c in criteria}) != len(criteria):
        raise ValidationError("Deux critères ont la même clé.")


class CampaignFields(InputSchema):
    title = Text(line=True, validate=validate.Length(min=5, max=140),
                 metadata={"example": "Données et risques d'inondation"})
    question = Text(line=True, validate=validate.Length(min=10, max=300),
                    metadata={"example": QUESTION})
    description = Text(validate=validate.Length(max=5000), metadata={
        "example": "Trois semaines pour proposer, puis trois pour soutenir."})
    colour = fields.String(validate=validate.OneOf(COLOURS), metadata={"example": "bleu"})
    units = fields.List(Text(line=True, validate=validate.Length(min=1, max=120)),
                        validate=validate.Length(max=50), metadata={
                            "description": "Les services invités à proposer ; vide : tous",
                            "example": ["Service urbanisme"]})
    proposals_from = When(metadata={"example": EXAMPLE_DATES["proposals_from"]})
    proposals_until = When(metadata={"example": EXAMPLE_DATES["proposals_until"]})
    supports_from = When(metadata={"example": EXAMPLE_DATES["supports_from"]})
    supports_until = When(metadata={"example": EXAMPLE_DATES["supports_until"]})
    evaluation_until = When(metadata={"example": EXAMPLE_DATES["evaluation_until"]})
    support_cap = fields.Integer(validate=validate.Range(min=0, max=100), metadata={
        "description": "Soutiens qu'une personne peut donner dans l'appel ; 0 : sans limite",
        "example": 3})
    criteria = fields.List(fields.Nested(CriterionIn), validate=[
        validate.Length(min=1, max=8), _unique_keys], metadata={
        "description": "La grille des évaluateurs, notée de 1 à 5",
        "example": [{"key": "impact", "label": "Impact pour le public"}]})
    owners = fields.List(fields.Nested(PersonIn), validate=[validate.Length(max=20),
                                                             _unique_ids],
                         metadata={"example": [PERSON]})
    evaluators = fields.List(fields.Nested(PersonIn), validate=[validate.Length(max=50),
                                                                 _unique_ids],
                             metadata={"example": [PERSON]})


class CampaignIn(CampaignFields):
    """A new call: its title, question and five dates are required."""

    @validates_schema
    def complete(self, data, **kwargs):
        missing = [name for name in ("title", "question", *phases.DATES) if name not in data]
        if missing:
            raise ValidationError({name: ["Champ obligatoire."] for name in missing})


class CampaignPatch(CampaignFields):
    @validates_schema
    def not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError("Rien à modifier.")


class CampaignListArgs(InputSchema):
    state = fields.String(validate=validate.OneOf(sorted(set(phases.STATES.values()))),
                          metadata={"example": "open"})


class Figures(Schema):
    ideas = fields.Integer(metadata={"example": 24})
    supporters = fields.Integer(metadata={"example": 131})
    units = fields.Integer(metadata={"example": 9})


class Criterion(Schema):
    key = fields.String(metadata={"example": "impact"})
    label = fields.String(metadata={"example": "Impact pour le public"})


class PersonOut(Schema):
    id = fields.String(metadata={"example": PERSON["id"]})
    name = fields.String(metadata={"example": PERSON["name"]})


class CampaignOut(Schema):
    id = fields.String(metadata={"example": CAMPAIGN_ID})
    title = fields.String(metadata={"example": "Données et risques d'inondation"})
    question = fields.String(metadata={"example": QUESTION})
    description = fields.String(metadata={"example": "Trois semaines pour proposer."})
    colour = fields.String(metadata={"example": "bleu"})
    units = fields.List(fields.String(), metadata={"example": ["Service urbanisme"]})
    proposals_from = fields.String(metadata={"example": EXAMPLE_DATES["proposals_from"]})
    proposals_until = fields.String(metadata={"example": EXAMPLE_DATES["proposals_until"]})
    supports_from = fields.String(metadata={"example": EXAMPLE_DATES["supports_from"]})
    supports_until = fields.String(metadata={"example": EXAMPLE_DATES["supports_until"]})
    evaluation_until = fields.String(metadata={"example": EXAMPLE_DATES["evaluation_until"]})
    phase = fields.String(validate=validate.OneOf(phases.PHASES), metadata={
        "example": "proposals"})
    state = fields.String(metadata={"example": "open"})
    next_change = fields.String(allow_none=True, metadata={
        "description": "Quand la phase change ensuite (compte à rebours), ou null",
        "example": EXAMPLE_DATES["proposals_until"]})
    support_cap = fields.Integer(metadata={"example": 3})
    criteria = fields.List(fields.Nested(Criterion))
    owners = fields.List(fields.Nested(PersonOut))
    evaluators = fields.List(fields.Nested(PersonOut))
    created_by = fields.Nested(PersonOut)
    created_at = fields.String(metadata={"example": "2026-11-30T10:00:00.000Z"})
    updated_at = fields.String(metadata={"example": "2026-11-30T10:00:00.000Z"})
    version = fields.Integer(metadata={"example": 1})
    figures = fields.Nested(Figures)


class CampaignList(Schema):
    items = fields.List(fields.Nested(CampaignOut))
