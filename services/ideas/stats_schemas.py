"""The shapes of GET /api/stats: strict on input, documented for /openapi.json."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.api import InputSchema
from services.ideas.campaign_schemas import CAMPAIGN_ID

HOURS = {"allow_none": True, "metadata": {"example": 52.5}}


class StatsArgs(InputSchema):
    unit = fields.String(validate=validate.Length(min=1, max=120),
                         metadata={"example": "Direction de l'eau"})
    from_day = fields.Date(data_key="from", metadata={
        "example": "2026-01-01", "description": "Premier jour (heure de Paris), inclus"})
    to_day = fields.Date(data_key="to", metadata={
        "example": "2026-06-30", "description": "Dernier jour (heure de Paris), inclus"})
    campaign = fields.String(validate=validate.Length(min=1, max=64),
                             metadata={"example": CAMPAIGN_ID})

    @validates_schema
    def _in_order(self, data, **kwargs):
        if data.get("from_day") and data.get("to_day") and data["from_day"] > data["to_day"]:
            raise ValidationError("La fin de la période précède son début.", "to")


class Period(Schema):
    # "from" is a keyword: the fields have other names, the dict and the JSON these keys.
    from_day = fields.String(attribute="from", data_key="from",
                             metadata={"example": "2026-01-01"})
    to_day = fields.String(attribute="to", data_key="to", metadata={"example": "2026-06-30"})
    timezone = fields.String(metadata={"example": "Europe/Paris"})


class Filters(Schema):
    unit = fields.String(allow_none=True, metadata={"example": "Direction de l'eau"})
    campaign = fields.String(allow_none=True, metadata={"example": CAMPAIGN_ID})


class MonthCount(Schema):
    month = fields.String(metadata={"example": "2026-03"})
    count = fields.Integer(metadata={"example": 14})


class StatusCount(Schema):
    status = fields.String(metadata={"example": "under_review"})
    count = fields.Integer(metadata={"example": 6})


class IdeaFigures(Schema):
    total = fields.Integer(metadata={"example": 84})
    per_month = fields.List(fields.Nested(MonthCount))
    per_status = fields.List(fields.Nested(StatusCount))


class WeekCount(Schema):
    week = fields.String(metadata={"example": "2026-W11"})
    count = fields.Integer(metadata={"example": 37})


class SupportFigures(Schema):
    total = fields.Integer(metadata={"example": 412})
    per_week = fields.List(fields.Nested(WeekCount), metadata={
        "description": "Soutiens toujours valables, par semaine (ISO, heure de Paris) où ils "
                       "ont été donnés ; un soutien retiré n'est plus compté"})


class MonthWait(Schema):
    month = fields.String(metadata={"example": "2026-03"})
    answered = fields.Integer(metadata={"example": 11})
    median_hours = fields.Float(**HOURS)


class WithinThirtyDays(Schema):
    eligible = fields.Integer(metadata={
        "example": 60, "description": "Idées proposées il y a plus de 30 jours, hors idées "
                                      "retirées ou masquées sans réponse"})
    answered = fields.Integer(metadata={"example": 45})
    share = fields.Float(allow_none=True, metadata={"example": 0.75})


class AnswerFigures(Schema):
    answered = fields.Integer(metadata={"example": 58})
    median_hours = fields.Float(**HOURS)
    per_month = fields.List(fields.Nested(MonthWait))
    within_30_days = fields.Nested(WithinThirtyDays)


class StatsUnit(Schema):
    unit = fields.String(metadata={"example": "Direction de l'eau"})
    ideas = fields.Integer(metadata={"example": 12})


class UnitFigures(Schema):
    count = fields.Integer(metadata={"example": 9})
    items = fields.List(fields.Nested(StatsUnit))


class StatsTag(Schema):
    tag = fields.String(metadata={"example": "données"})
    ideas = fields.Integer(metadata={"example": 8})


class Stats(Schema):
    period = fields.Nested(Period)
    filters = fields.Nested(Filters)
    ideas = fields.Nested(IdeaFigures)
    supports = fields.Nested(SupportFigures)
    first_answer = fields.Nested(AnswerFigures, metadata={
        "description": "Délai jusqu'à la première réponse d'un modérateur (changement de "
                       "statut ou fusion), par mois de proposition"})
    units = fields.Nested(UnitFigures)
    tags = fields.List(fields.Nested(StatsTag), metadata={"description": "Les 10 étiquettes "
                                                                         "les plus portées"})
