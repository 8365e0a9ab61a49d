"""The shapes of the digest API."""
from marshmallow import Schema, fields, validate

from shared.api import InputSchema, Text

PERIOD = {"example": "2026-W48", "description": "Semaine ISO, Europe/Paris"}
EMAIL = "aurelie.dupont@example.fr"
UNITS = ["Service urbanisme"]
TAGS = ["accueil", "mobilité"]


class SubscriptionIn(InputSchema):
    email = fields.Email(metadata={
        "description": "Par défaut, celle du jeton. Une autre adresse reçoit d'abord un message "
                       "de confirmation ; aucune synthèse ne lui est envoyée avant.",
        "example": EMAIL})
    units = fields.List(Text(line=True, validate=validate.Length(min=1, max=120)),
                        load_default=list, validate=validate.Length(max=50),
                        metadata={"description": "Vide : tous les services", "example": UNITS})
    tags = fields.List(Text(line=True, validate=validate.Length(min=1, max=40)),
                       load_default=list, validate=validate.Length(max=50),
                       metadata={"description": "Vide : tous les thèmes", "example": TAGS})
    weekday = fields.Integer(load_default=0, validate=validate.Range(min=0, max=6),
                             metadata={"description": "0 = lundi", "example": 0})
    hour = fields.Integer(load_default=8, validate=validate.Range(min=0, max=23),
                          metadata={"description": "Heure de Paris", "example": 8})
    language = fields.String(load_default="fr", validate=validate.OneOf(["fr", "en"]),
                             metadata={"example": "fr"})


class SubscriptionOut(Schema):
    email = fields.String(metadata={"example": EMAIL})
    email_verified = fields.Boolean(dump_default=False, metadata={
        "description": "Faux : l'adresse attend la confirmation du message qui lui a été "
                       "envoyé, et ne reçoit pas de synthèse d'ici là",
        "example": True})
    units = fields.List(fields.String(), metadata={"example": UNITS})
    tags = fields.List(fields.String(), metadata={"example": TAGS})
    weekday = fields.Integer(metadata={"example": 0})
    hour = fields.Integer(metadata={"example": 8})
    language = fields.String(metadata={"example": "fr"})


class PreviewArgs(InputSchema):
    period = fields.String(metadata={
        **PERIOD, "description": "Semaine ISO, Europe/Paris ; par défaut, la dernière terminée"})
    scope = fields.String(load_default="subscription",
                          validate=validate.OneOf(["subscription", "query"]), metadata={
        "description": "subscription : le périmètre de mon abonnement (404 sans abonnement) ; "
                       "query : celui de units, tags et language, avant de l'enregistrer",
        "example": "query"})
    units = fields.List(Text(line=True, validate=validate.Length(min=1, max=120)),
                        load_default=list, validate=validate.Length(max=50), metadata={
        "description": "Avec scope=query ; vide : tous les services", "example": UNITS})
    tags = fields.List(Text(line=True, validate=validate.Length(min=1, max=40)),
                       load_default=list, validate=validate.Length(max=50), metadata={
        "description": "Avec scope=query ; vide : tous les thèmes", "example": TAGS})
    language = fields.String(validate=validate.OneOf(["fr", "en"]), metadata={
        "description": "Avec scope=query ; par défaut, celle de mon abonnement, ou fr",
        "example": "fr"})


class PreviewOut(Schema):
    """The field examples show a quiet week; the operation's example, a digest to send."""

    period = fields.String(metadata=PERIOD)
    would_send = fields.Boolean(metadata={"example": False})
    subject = fields.String(allow_none=True, metadata={"example": None})
    text = fields.String(allow_none=True, metadata={"example": None})
    html = fields.String(allow_none=True, metadata={"example": None})
    reason = fields.String(metadata={"description": "Pourquoi rien ne serait envoyé",
                                     "example": "rien de nouveau dans le périmètre"})


class RunIn(InputSchema):
    period = fields.String(required=True, metadata=PERIOD)


RUN_ID = "a8325551e8644ea284a7ca1f6c3c7fa1"


class RunStarted(Schema):
    run_id = fields.String(metadata={"example": RUN_ID})


class RunOut(Schema):
    run_id = fields.String(attribute="_id", metadata={"example": RUN_ID})
    period = fields.String(metadata=PERIOD)
    status = fields.String(metadata={"description": "pending, running, done", "example": "done"})
    sent = fields.Integer(metadata={"example": 12})
    skipped = fields.Integer(metadata={"example": 3})
    failed = fields.Integer(metadata={"example": 0})
    already_done = fields.Integer(metadata={"example": 0})
    unconfirmed = fields.Integer(dump_default=0, metadata={
        "description": "Abonnements dont l'adresse attend sa confirmation : rien ne leur est "
                       "envoyé", "example": 1})


class UnsubscribeArgs(InputSchema):
    token = fields.String(required=True, metadata={
        "description": "Le jeton signé du lien de la synthèse",
        "example": "Im1hbmFnZXItMSI.lAW7OlIYVaAeBhVz-0JKOJrPQZI"})


class ConfirmAddressArgs(InputSchema):
    token = fields.String(required=True, metadata={
        "description": "Le jeton signé du lien du message de confirmation",
        "example": "WyJtYW5hZ2VyLTEiLCJhdXJlbGllLmR1cG9udEBleGFtcGxlLmZyIl0"
                   ".aT2kXw.1bQ0ZJw3y0pC3n9m4bO0e6tR2sE"})
