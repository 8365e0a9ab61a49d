"""My data (RGPD, right of access): each service serves what it keeps of one person at
`GET /api/me/export/<service>`, from its own database only; the people service gathers the
four parts into one file (services/people/my_data_api.py).

Shared here, so that the four parts follow one rule each:
- whose data: one's own; an admin (the data-protection officer acting on a request) passes
  `?person=<id>` for anyone's; anyone else asking for another person gets 403;
- nothing of anyone else: `only_theirs` replaces every other person's reference ({id, name},
  as the stores keep authors, moderators, actors) by null, whatever part of the file it is in;
- the blueprint every service mounts with its own `gather(person_id) -> dict`."""
from datetime import datetime, timezone

from flask import jsonify
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import fields, validate

from shared.api import Blueprint, InputSchema
from shared.auth import current_identity, requires

SERVICES = ("ideas", "votes", "digest", "people")
BEARER = [{"bearer": []}]
PERSON_EXAMPLE = "3f1c2a9e-6b7d-4c1e-9a55-0d2b7c41e8aa"
OTHERS = ("Seuls les administrateurs (pour le délégué à la protection des données) exportent "
          "les données d'une autre personne.")


class PersonArgs(InputSchema):
    person = fields.String(validate=validate.Length(1, 200), metadata={
        "description": "La personne dont exporter les données (administrateurs seulement) ; "
                       "sans lui : soi-même", "example": PERSON_EXAMPLE})


def subject(me, asked=None):
    """The id of the person whose data `me` (an Identity) may read: their own, or, for an
    admin, the one `asked`; 403 for anyone else asking for another person."""
    if not asked or asked == me.sub:
        return me.sub
    if not me.has("admin"):
        abort(403, message=OTHERS)
    return asked


def _is_someone(value):
    """A reference to a person as the stores keep it: {id, name} (an implementation's owner
    adds kind "person"; a unit's has no id)."""
    return value.get("id") is not None and "name" in value \
        and set(value) <= {"id", "name", "kind"} and value.get("kind", "person") == "person"


def only_theirs(value, person_id):
    """`value` with every reference to someone other than `person_id` replaced by None."""
    if isinstance(value, dict):
        if _is_someone(value) and value["id"] != person_id:
            return None
        return {k: only_theirs(v, person_id) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [only_theirs(v, person_id) for v in value]
    return value


def iso_seconds(timestamp):
    """An epoch time as the hub writes times (ISO 8601, UTC), or None."""
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(
        timespec="milliseconds").replace("+00:00", "Z")


def part(service, person_id, content):
    return {"service": service, "person_id": person_id, **only_theirs(content, person_id)}


def response_doc(summary, example):
    return {"summary": summary, "responses": {"200": {
        "description": "Les données, avec leurs identifiants, dates et textes tels que gardés",
        "content": {"application/json": {"schema": {"type": "object"}, "example": example}}}}}


def blueprint(service, gather, summary, example):
    """`GET /api/me/export/<service>`: `gather(person_id)` is what the service keeps of that
    person, as a dict of lists and records; `example`, the same for the OpenAPI document."""
    blp = Blueprint(f"my_data_{service}", __name__, url_prefix="/api/me/export",
                    description="Mes données (RGPD)")

    class Part(MethodView):
        @requires()
        @blp.arguments(PersonArgs, location="query")
        @blp.doc(security=BEARER, **response_doc(summary, part(service, PERSON_EXAMPLE,
                                                                  example)))
        def get(self, args):
            person_id = subject(current_identity(), args.get("person"))
            return jsonify(part(service, person_id, gather(person_id)))
    blp.route(f"/{service}")(Part)
    return blp
