"""The API's validation messages in French: marshmallow and webargs speak English, and the
hub's users, API clients included, read French first (DESIGN.md). `InputSchema` applies
these to each field it binds, so schemas declare fields and validators as usual."""
from marshmallow import fields, validate

FIELD = {"required": "Champ obligatoire.", "null": "Ne peut pas être nul.",
         "validator_failed": "Valeur invalide."}
# The first kind a field is an instance of gives its "invalid" message (Email before String).
INVALID = ((fields.Email, "Adresse électronique invalide."),
           (fields.Integer, "Nombre entier attendu."), (fields.Number, "Nombre attendu."),
           (fields.Boolean, "Vrai ou faux attendu."), (fields.String, "Texte attendu."),
           (fields.List, "Liste attendue."), (fields.Dict, "Objet attendu."))
SCHEMA = {"type": "Objet JSON attendu.", "unknown": "Champ inconnu."}


def translate(field):
    """Put French messages on `field`, its validators and, for a list, its items."""
    field.error_messages.update(FIELD)
    kind = next((message for kind, message in INVALID if isinstance(field, kind)), None)
    if kind:
        field.error_messages["invalid"] = kind
    if isinstance(field, fields.Nested):
        field.error_messages["type"] = "Objet attendu."
    for validator in field.validators:
        message = validator_message(validator, "éléments" if isinstance(field, fields.List)
                                    else "caractères")
        if message:
            validator.error = message
    if isinstance(field, fields.List):
        translate(field.inner)


def validator_message(validator, unit):
    if isinstance(validator, validate.Length):
        if validator.equal is not None:
            return f"Exactement {{equal}} {unit}."
        if validator.min is not None and validator.max is not None:
            return f"Entre {{min}} et {{max}} {unit}."
        return f"Au moins {{min}} {unit}." if validator.min is not None \
            else f"Au plus {{max}} {unit}."
    if isinstance(validator, validate.Range):
        if validator.min is not None and validator.max is not None:
            return "Entre {min} et {max}."
        return "Au moins {min}." if validator.min is not None else "Au plus {max}."
    if isinstance(validator, validate.OneOf):
        return "Valeur attendue parmi : {choices}."
    if isinstance(validator, validate.Email):
        return "Adresse électronique invalide."
    return None
