"""The shapes of the evaluation API: strict on input, documented for /openapi.json."""
import re

from marshmallow import Schema, ValidationError, fields, validate

from shared.api import InputSchema, Text
from services.ideas.campaign_schemas import CAMPAIGN_ID, EXAMPLE_DATES, Criterion, PersonOut
from services.ideas.evaluation import NOTE, SCORES, SORTS, SPREAD
from services.ideas.schemas import IDEA_ID, TITLE

EXAMPLE_SCORES = {"impact": 4, "faisabilite": 3, "cout": 5, "alignement": 4}
EVALUATOR = {"id": "agent-7", "name": "Hélène Dubœuf"}
AT = "2026-12-22T10:15:00.000Z"
# As campaign_schemas.CriterionIn takes a criterion's key.
CRITERION_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class Scores(fields.Dict):
    """{criterion key: 1–5}: every error in one list under `scores`, not nested by key."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise ValidationError("Un objet {critère : note de 1 à 5} est attendu.")
        problems = [f"« {key[:40]} » n'est pas une clé de critère." for key in value
                    if not CRITERION_KEY.match(key)]
        problems += [f"« {key[:40]} » : une note entière de 1 à 5 est attendue."
                     for key, score in value.items()
                     if type(score) is not int or score not in SCORES]  # not 3.0, nor True
        if len(value) > 8:
            problems.append("Une grille compte huit critères au plus.")
        if problems:
            raise ValidationError(problems)
        return dict(value)


class EvaluationIn(InputSchema):
    scores = Scores(required=True, metadata={
        "description": "Une note de 1 (faible) à 5 (excellent) pour chaque critère de l'appel",
        "example": EXAMPLE_SCORES})
    note = Text(load_default="", validate=validate.Length(max=NOTE), metadata={
        "description": "Note privée : seuls la modération et les responsables de l'appel la "
                       "lisent",
        "example": "Peu coûteux si la voirie partage ses relevés."})


class CampaignEvaluationArgs(InputSchema):
    sort = fields.String(load_default=SORTS[0], validate=validate.OneOf(SORTS), metadata={
        "description": "mean : meilleure moyenne d'abord ; spread : le plus d'écart d'abord ; "
                       "missing : le plus d'évaluations manquantes d'abord ; title",
        "example": "mean"})


class Evaluation(Schema):
    evaluator = fields.Nested(PersonOut)
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"example": EXAMPLE_SCORES})
    note = fields.String(metadata={"example": "Peu coûteux si la voirie partage ses relevés."})
    created_at = fields.String(metadata={"example": AT})
    updated_at = fields.String(metadata={"example": AT})


class CallOut(Schema):
    id = fields.String(metadata={"example": CAMPAIGN_ID})
    title = fields.String(metadata={"example": "Données et risques d'inondation"})
    evaluation_until = fields.String(metadata={"example": EXAMPLE_DATES["evaluation_until"]})
    phase = fields.String(metadata={"example": "evaluation"})
    open = fields.Boolean(metadata={"description": "L'évaluation n'a pas encore pris fin",
                                    "example": True})


class Summary(Schema):
    """The scores side by side (moderators and the call's owners)."""
    means = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True), metadata={
        "description": "Moyenne par critère (null : pas encore notée)",
        "example": {"impact": 4.5, "faisabilite": 3.0, "cout": 4.5, "alignement": 4.0}})
    mean = fields.Float(allow_none=True, metadata={"description": "Moyenne globale",
                                                   "example": 4.0})
    spread = fields.Float(allow_none=True, metadata={"description": SPREAD, "example": 0.25})
    scored = fields.Integer(metadata={"description": "Évaluateurs qui l'ont notée",
                                      "example": 2})
    missing = fields.List(fields.Nested(PersonOut), metadata={
        "description": "Évaluateurs qui ne l'ont pas encore notée"})


class IdeaRef(Schema):
    id = fields.String(metadata={"example": IDEA_ID})
    title = fields.String(metadata={"example": TITLE})
    status = fields.String(metadata={"example": "under_review"})


class IdeaEvaluation(Summary):
    """An evaluator sees `mine`; an overseer `evaluations` and the summary too."""
    idea = fields.Nested(IdeaRef)
    campaign = fields.Nested(CallOut)
    criteria = fields.List(fields.Nested(Criterion))
    roles = fields.List(fields.String(), metadata={"example": ["evaluator"]})
    mine = fields.Nested(Evaluation, allow_none=True, metadata={
        "description": "Mon évaluation (évaluateurs) ; null tant que je n'ai pas noté",
        "example": {"evaluator": EVALUATOR, "scores": EXAMPLE_SCORES, "note": "",
                    "created_at": AT, "updated_at": AT}})
    evaluations = fields.List(fields.Nested(Evaluation))


class Row(Summary):
    id = fields.String(metadata={"example": IDEA_ID})
    title = fields.String(metadata={"example": TITLE})
    status = fields.String(metadata={"example": "under_review"})
    unit = fields.String(metadata={"example": "Service urbanisme"})
    done = fields.Boolean(metadata={"description": "Notée par moi (évaluateurs)",
                                    "example": False})


class Progress(Schema):
    done = fields.Integer(metadata={"example": 3})
    total = fields.Integer(metadata={"example": 12})


class CampaignEvaluation(Schema):
    campaign = fields.Nested(CallOut)
    criteria = fields.List(fields.Nested(Criterion))
    evaluators = fields.List(fields.Nested(PersonOut))
    roles = fields.List(fields.String(), metadata={"example": ["owner"]})
    sort = fields.String(metadata={"example": "mean"})
    spread_measure = fields.String(metadata={"example": SPREAD})
    items = fields.List(fields.Nested(Row))
    progress = fields.Nested(Progress, metadata={"description": "Mon avancement (évaluateurs)"})
