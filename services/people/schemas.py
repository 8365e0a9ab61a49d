"""The shapes of the people API."""
from marshmallow import Schema, fields, validate

from shared.api import InputSchema, Text
from services.people.domain import GRANTED, SCOPE_MAX, UNIT_MAX

PERSON_ID = "f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
EMAIL = "maelle.bernard@demo.ideahub.local"
NAME = "Maëlle Bernard"
UNIT = "Service urbanisme"
WHEN = "2026-11-20T14:03:12.481Z"
UNITS = ["Service urbanisme", "Direction des mobilités"]


def unit_field(**kwargs):
    return Text(line=True, validate=validate.Length(max=UNIT_MAX), **kwargs)


class PersonOut(Schema):
    id = fields.String(attribute="_id", metadata={"example": PERSON_ID})
    name = fields.String(metadata={"example": NAME})
    email = fields.String(metadata={"example": EMAIL})
    unit = fields.String(metadata={"example": UNIT})
    organization = fields.String(metadata={"example": "Commune de Ville-Démo"})
    roles = fields.List(fields.String(), metadata={
        "description": "agent pour tous, et ce que le hub accorde",
        "example": ["agent", "moderator"]})
    scope = fields.List(fields.String(), metadata={
        "description": "Le périmètre par défaut d'un responsable (ses services)",
        "example": UNITS})
    joined_at = fields.String(metadata={"example": WHEN})
    seen_at = fields.String(metadata={"description": "Sa dernière connexion", "example": WHEN})


class PeopleList(Schema):
    items = fields.List(fields.Nested(PersonOut))


class PeopleArgs(InputSchema):
    q = Text(line=True, load_default="", validate=validate.Length(max=100),
             metadata={"description": "Des mots du nom ou de l'adresse", "example": "maëlle"})
    role = fields.String(validate=validate.OneOf(GRANTED), metadata={"example": "moderator"})


class RolesIn(InputSchema):
    roles = fields.List(fields.String(validate=validate.OneOf(("agent", *GRANTED))),
                        required=True, validate=validate.Length(max=len(GRANTED) + 1),
                        metadata={"description": "agent est implicite : tout le monde l'a",
                                  "example": ["moderator"]})
    unit = unit_field(metadata={"example": UNIT})
    scope = fields.List(unit_field(), validate=validate.Length(max=SCOPE_MAX),
                        metadata={"description": "Vide : tous les services", "example": UNITS})


class MeIn(InputSchema):
    unit = unit_field(required=True, metadata={"example": UNIT})


class Change(Schema):
    id = fields.String(attribute="_id", metadata={"example": "5f0c1e9a-2b3c-4d5e-8f90-a1b2c3d4e5f6"})
    at = fields.String(metadata={"example": WHEN})
    by = fields.Dict(metadata={"example": {"id": "lea", "name": "Léa Martin"}})
    person = fields.Dict(metadata={"example": {"id": PERSON_ID, "name": NAME}})
    granted = fields.List(fields.String(), metadata={"example": ["moderator"]})
    revoked = fields.List(fields.String(), metadata={"example": []})
    unit = fields.String(metadata={"example": UNIT})
    previous_unit = fields.String(metadata={"example": UNIT})
    scope = fields.List(fields.String(), metadata={"example": UNITS})
    previous_scope = fields.List(fields.String(), metadata={"example": []})
    erased = fields.String(metadata={
        "description": "Le compte a été effacé ; ses textes gardés (kept) ou retirés (removed)",
        "example": "kept"})
    exported = fields.Boolean(metadata={
        "description": "Toutes ses données ont été téléchargées par « by » (droit d'accès)",
        "example": True})


class ChangeList(Schema):
    items = fields.List(fields.Nested(Change))


class SessionIn(InputSchema):
    """The person the pages signed in, as their provider described them."""

    sub = fields.String(required=True, validate=validate.Length(min=1, max=255),
                        metadata={"example": PERSON_ID})
    name = Text(line=True, required=True, validate=validate.Length(min=1, max=200),
                metadata={"example": NAME})
    email = fields.Email(required=True, metadata={"example": EMAIL})
    unit = unit_field(load_default="", metadata={"example": UNIT})
    organization = Text(line=True, load_default="", validate=validate.Length(max=200),
                        metadata={"description": "Son administration, selon le fournisseur",
                                  "example": "Commune de Ville-Démo"})


class SessionOut(Schema):
    session = fields.String(metadata={
        "description": "À garder secret : le cookie de la personne",
        "example": "dGhpcyBpcyBub3QgYSByZWFsIHNlc3Npb24gaWQgYXQgYWxsIQ"})
    person = fields.Nested(PersonOut)


class Ended(Schema):
    ended = fields.Integer(metadata={"description": "Sessions fermées", "example": 2})


class EraseIn(InputSchema):
    texts = fields.String(validate=validate.OneOf(("keep", "remove")), metadata={
        "description": "Garder vos idées et commentaires, signés « Agent anonymisé » (keep), "
                       "ou les retirer (remove). Obligatoire quand l'administration laisse "
                       "le choix (HUB_ERASURE_TEXTS=choice) ; sinon, sa règle s'applique.",
        "example": "keep"})


class ErasedOut(Schema):
    person_id = fields.String(metadata={"example": PERSON_ID})
    erased_at = fields.String(metadata={"example": WHEN})
    texts = fields.String(metadata={"description": "kept ou removed", "example": "kept"})
