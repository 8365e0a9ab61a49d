"""`GET /api/me/export`: all of a person's data as one JSON file, gathered from the four
services' parts (`GET /api/me/export/<service>`, shared/my_data.py).

Served by the people service rather than the pages: it is an API (bearer token, JSON), which
the CLI (`ideahub gdpr export`) and any client call without the pages, and the people service
already answers for the person (`/api/people/me`, erasure beside it). It reads its own part
from its database, and the three others over HTTP through the gateway (HUB_API_URL) with the
caller's own token, so each service checks who may read what and none reads another's
database. A part that cannot be read makes the whole answer 503: a file missing a part must
never pass for complete."""
import json
from concurrent.futures import ThreadPoolExecutor

import requests
from flask import Response, request
from flask.views import MethodView
from flask_smorest import abort

from shared import my_data
from shared.api import Blueprint, hub
from shared.auth import current_identity, requires
from shared.events import now_iso
from services.people import handlers, my_data as people_part
from services.people.api import publish

blp = Blueprint("my_data", __name__, url_prefix="/api/me", description="Mes données (RGPD)")

FILENAME = "mes-donnees-ideahub.json"
REMOTE = ("ideas", "votes", "digest")
# Under gunicorn's 30 s, which would kill the worker gathering the parts.
PART_TIMEOUT = 20
# What a part says of itself that the file says once, at its top.
WRAPPER = ("service", "person_id")


class PartUnavailable(Exception):
    def __init__(self, service, why):
        super().__init__(f"{service}: {why}")
        self.service = service


def fetch_over_http(base_url, authorization, service, person_id):
    """One service's part, asked as the caller (their Authorization header)."""
    try:
        response = requests.get(f"{base_url}/api/me/export/{service}",
                                params={"person": person_id}, timeout=PART_TIMEOUT,
                                headers={"Authorization": authorization,
                                         "Accept": "application/json"})
        if response.status_code != 200:
            raise PartUnavailable(service, f"HTTP {response.status_code}")
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise PartUnavailable(service, str(error)) from None


def gather_parts(fetch, person_id, own):
    """{service: its part, without its wrapper}, the remote ones asked at once; `own`: the
    people service's part, read here. PartUnavailable if any cannot be read."""
    with ThreadPoolExecutor(len(REMOTE)) as pool:
        asked = {service: pool.submit(fetch, service, person_id) for service in REMOTE}
        parts = {service: future.result() for service, future in asked.items()}
    parts["people"] = own
    for service, part in parts.items():
        if not isinstance(part, dict) or part.get("person_id") != person_id:
            raise PartUnavailable(service, "not this person's part")
    return {service: {k: v for k, v in part.items() if k not in WRAPPER}
            for service, part in parts.items()}


def document(person_id, parts, generated_at):
    return {"generated_at": generated_at, "person": {"id": person_id},
            **{service: parts[service] for service in my_data.SERVICES}}


def _fetcher():
    """The parts' reader: over HTTP, or the one a test puts in `hub.extra`."""
    custom = hub().extra.get("my_data_fetch")
    if custom is not None:
        return custom
    base, authorization = hub().config.api_base(), request.headers.get("Authorization", "")
    return lambda service, person_id: fetch_over_http(base, authorization, service, person_id)


EXAMPLE = document(my_data.PERSON_EXAMPLE, {
    "ideas": {"ideas": [], "comments": []}, "votes": {"supports": [], "history": []},
    "digest": {"follows": [], "notifications": []},
    "people": {"person": None, "sign_ins": []}}, "2026-12-02T08:00:00.000Z")


@blp.route("/export")
class MyData(MethodView):
    @requires()
    @blp.arguments(my_data.PersonArgs, location="query")
    @blp.doc(security=my_data.BEARER, **my_data.response_doc(
        "Toutes mes données en un fichier JSON (ou, pour un administrateur, celles d'une "
        "personne)", EXAMPLE))
    def get(self, args):
        me = current_identity()
        person_id = my_data.subject(me, args.get("person"))
        if person_id != me.sub and hub().extra["people"].person(person_id) is None:
            abort(404, message="Personne introuvable.")
        own = my_data.part("people", person_id, people_part.gather(person_id, hub().db))
        try:
            parts = gather_parts(_fetcher(), person_id, own)
        except PartUnavailable as missing:
            abort(503, message=f"Vos données n'ont pas pu être rassemblées : le service "
                               f"« {missing.service} » ne répond pas. Aucun fichier "
                               f"incomplet n'est remis ; réessayez dans un instant.")
        body = json.dumps(document(person_id, parts, now_iso()), ensure_ascii=False, indent=2)
        handlers.record_export(person_id, me.person, hub().extra["people"], publish())
        return Response(body, content_type="application/json; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{FILENAME}"',
            "Cache-Control": "no-store"})
