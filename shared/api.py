"""What every service's HTTP app shares: the flask-smorest set-up with the error shape of
the API contract, health and readiness, metrics, and the per-process clients."""
import base64
import binascii
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field

from flask import Flask, current_app, g, jsonify, request
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.error_handler import ErrorSchema
from marshmallow import RAISE, Schema, ValidationError, fields, missing
from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram,
                               generate_latest, multiprocess)
from pymongo.errors import PyMongoError
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from shared import french, keyring, mongo
from shared.auth import TokenVerifier
from shared.kafka import Publisher
from shared.mongo import UNAVAILABLE, Conflict, TooLarge
from shared.outbox import Outbox
from shared.ratelimit import RateLimited
from shared.text import clean, clean_line

MAX_BODY_BYTES = 1024 * 1024
# A cursor holds a sort key: a few values (shared.api.Cursor).
MAX_CURSOR = 1000

REQUESTS = Histogram("hub_http_request_seconds", "HTTP requests", ["service", "endpoint", "status"])
ERRORS = Counter("hub_http_unavailable_total", "Requests answered 503", ["service", "cause"])

log = logging.getLogger(__name__)


class InputSchema(Schema):
    """HTTP input is strict: an unknown field is an error, not silently dropped. Its error
    messages are French (shared.french)."""
    error_messages = french.SCHEMA

    class Meta:
        unknown = RAISE

    def on_bind_field(self, field_name, field_obj):
        french.translate(field_obj)


class StrictParser(FlaskParser):
    """Every location follows its schema's `unknown` (RAISE for InputSchema): webargs would
    otherwise drop unknown query parameters silently."""

    DEFAULT_UNKNOWN_BY_LOCATION = {}

    def _raw_load_json(self, req):
        """A JSON string may escape half of a UTF-16 surrogate pair ("\\ud800"), text that no
        UTF-8 store or page can hold: such a body is malformed (I-JSON, RFC 7493, refuses it),
        like one whose bytes are not UTF-8, and gets the same 400."""
        data = super()._raw_load_json(req)
        if data is missing:
            return data
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            raise json.JSONDecodeError(f"Unpaired surrogate: {error.reason}", error.object,
                                       error.start) from None
        return data


class Blueprint(SmorestBlueprint):
    """`path_examples`: an example of each path parameter, by name, for the OpenAPI document."""
    ARGUMENTS_PARSER = StrictParser()

    def __init__(self, *args, path_examples=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.path_examples = path_examples or {}

    def route(self, rule, *, parameters=None, **options):
        documented = [{"in": "path", "name": name, "example": self.path_examples[name]}
                      for name in re.findall(r"<(?:\w+:)?(\w+)>", rule)
                      if name in self.path_examples]
        return super().route(rule, parameters=[*(parameters or []), *documented], **options)


class Text(fields.String):
    """A string cleaned like shared.text.clean (or clean_line with `line=True`) before it is
    validated, so lengths are counted on what will be stored."""

    def __init__(self, *args, line=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return clean_line(value) if self.line else clean(value)


class Cursor(fields.String):
    """An opaque page cursor: the sort key of the last item seen, as URL-safe base64 JSON."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        raw = json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > MAX_CURSOR:
            raise ValidationError("Curseur invalide.")
        try:
            decoded = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        except (ValueError, binascii.Error, RecursionError):  # "[[[[…" nests past the stack
            raise ValidationError("Curseur invalide.") from None
        if not isinstance(decoded, list):
            raise ValidationError("Curseur invalide.")
        return decoded


class Error(ErrorSchema):
    """The error body, as /openapi.json shows it (documentation only: errors are not dumped
    through it). Its example is a 422, the one error that fills every field."""

    code = fields.Integer(metadata={"description": "Code HTTP", "example": 422})
    status = fields.String(metadata={"description": "Nom de l'erreur",
                                     "example": "Unprocessable Entity"})
    message = fields.String(metadata={"description": "Ce qui ne va pas, en français",
                                      "example": "Données invalides : voir « errors »."})
    errors = fields.Dict(metadata={"description": "Les messages, par nom de champ",
                                   "example": {"title": ["Entre 5 et 140 caractères."]}})


class HubApi(Api):
    """flask-smorest's Api with the error body of the contract: code, status, message, errors
    (errors by field name, not by request location)."""

    ERROR_SCHEMA = Error

    def handle_http_exception(self, error):
        body, status, headers = super().handle_http_exception(error)
        errors = body.get("errors")
        if isinstance(errors, dict):
            flat = {}
            for location, messages in errors.items():
                if isinstance(messages, dict):
                    flat.update(messages)
                else:
                    flat[location] = messages
            body["errors"] = flat
        body.setdefault("message", _default_message(status, body))
        return body, status, headers


def _default_message(status, body):
    if status == 422:
        return "Données invalides : voir « errors »."
    if status == 400 and body.get("errors"):
        return "Requête mal formée : le corps n'est pas du JSON valide."
    if status == 413:
        return "Le corps de la requête dépasse 1 Mio."
    return body.get("status", "")


@dataclass
class Hub:
    """The clients of one service in one process, made after gunicorn forks."""

    service: str
    config: object
    client: object
    db: object
    outbox: Outbox
    publisher: Publisher
    verifier: TokenVerifier
    ensure_indexes: object = None
    prepared: bool = False
    extra: dict = field(default_factory=dict)

    def prepare_database(self):
        """Once per process, when MongoDB answers: the indexes, and the outbox alert. A
        process that starts may replace one killed with events still unsent, which raised no
        alert: the relay then sends them after its grace, not at its next safety sweep."""
        if self.prepared:
            return
        if self.ensure_indexes is not None:
            self.ensure_indexes(self.db)
        if self.outbox.collections:
            self.outbox.raise_alert()
        self.prepared = True


def make_hub(service, config, ensure_indexes=None, outbox_collections=()):
    """`outbox_collections`: the service's collections whose documents carry pending events."""
    client = mongo.connect(config)
    db = mongo.database(client, config, service)
    outbox = Outbox(db, outbox_collections)
    publisher = Publisher(config, outbox, keyring=keyring.for_config(config, client))
    return Hub(service, config, client, db, outbox, publisher, TokenVerifier(config),
               ensure_indexes)


def hub():
    return current_app.extensions["hub"]


def create_service_app(hub_, title, blueprints, description=""):
    hub_.config.refuse_local_secrets()
    app = Flask(f"ideahub.{hub_.service}")
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        API_TITLE=title,
        API_VERSION="1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "components": {"securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        },
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["hub"] = hub_
    try:
        hub_.prepare_database()
    except PyMongoError as error:  # retried by /readyz: the app starts even if MongoDB is late
        log.warning("indexes not created yet: %s", error)

    api = HubApi(app)
    api.register_blueprint(health_blueprint())
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    _register_error_handlers(app, hub_.service)
    measure_requests(app, hub_.service)
    app.after_request(secure)
    return app


def _error(status, message, label):
    return jsonify({"code": status, "status": label, "message": message}), status


def _register_error_handlers(app, service):
    def database_down(error):
        ERRORS.labels(service, "database").inc()
        return _error(503, "La base de données est indisponible ; réessayez dans un instant.",
                      "Service Unavailable")

    for unavailable in UNAVAILABLE:
        app.register_error_handler(unavailable, database_down)

    @app.errorhandler(Conflict)
    def busy(error):
        ERRORS.labels(service, "busy").inc()
        return _error(503, "Cette ressource est en cours de modification ; réessayez.",
                      "Service Unavailable")

    @app.errorhandler(TooLarge)
    def too_large(error):
        return _error(413, "Cette ressource a atteint sa taille maximale : elle ne peut plus "
                           "grandir (historique, réponses).", "Payload Too Large")

    @app.errorhandler(RateLimited)
    def too_many(error):
        response, status = _error(429, "Trop de demandes en peu de temps : réessayez dans "
                                       f"{error.retry_after} s.", "Too Many Requests")
        response.headers["Retry-After"] = str(error.retry_after)
        return response, status

    @app.errorhandler(Exception)
    def unexpected(error):
        if isinstance(error, HTTPException):
            return error
        log.exception("unexpected error")
        return _error(500, "Erreur interne.", "Internal Server Error")


# An API answer is data, never a document to render or frame.
API_CSP = "default-src 'none'; frame-ancestors 'none'"


def secure(response, csp=API_CSP, referrer="no-referrer"):
    """The headers every answer of the hub carries: a CSP, no MIME sniffing, no framing, no
    referrer beyond what `referrer` allows, and HSTS when the request came over https (as the
    gateway tells in X-Forwarded-Proto)."""
    response.headers["Content-Security-Policy"] = csp
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = referrer
    if request.headers.get("X-Forwarded-Proto", request.scheme) == "https":
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


def measure_requests(app, service):
    @app.before_request
    def start_timer():
        g.started = time.perf_counter()

    @app.after_request
    def record(response):
        if "started" in g:
            REQUESTS.labels(service, request.url_rule.rule if request.url_rule else "other",
                            response.status_code).observe(time.perf_counter() - g.started)
        return response


class Checks(Schema):
    mongodb = fields.String(metadata={"example": "ok"})
    kafka = fields.String(metadata={"example": "ok"})
    catalogue = fields.String(metadata={
        "description": "Service des idées : les listes ont lu les idées publiées",
        "example": "ok"})


class Health(Schema):
    status = fields.String(metadata={"example": "ok"})


class Readiness(Schema):
    status = fields.String(metadata={"example": "ready"})
    checks = fields.Nested(Checks)


class NotReady(Readiness):
    code = fields.Integer(metadata={"example": 503})
    status = fields.String(metadata={"example": "Service Unavailable"})
    message = fields.String(metadata={"example": "Dépendance indisponible : kafka."})
    checks = fields.Nested(Checks, metadata={"example": {"mongodb": "ok",
                                                         "kafka": "indisponible"}})


# What /metrics answers, abridged: the counters every service exports.
METRICS_EXAMPLE = """\
# HELP hub_http_request_seconds HTTP requests
# TYPE hub_http_request_seconds histogram
hub_http_request_seconds_bucket{endpoint="/api/ideas",le="0.1",service="ideas",status="200"} 41.0
hub_http_request_seconds_count{endpoint="/api/ideas",service="ideas",status="200"} 42.0
hub_http_request_seconds_sum{endpoint="/api/ideas",service="ideas",status="200"} 1.27
# HELP hub_http_unavailable_total Requests answered 503
# TYPE hub_http_unavailable_total counter
hub_http_unavailable_total{cause="database",service="ideas"} 0.0
"""


def health_blueprint():
    blp = Blueprint("health", __name__, description="Santé du service")

    @blp.route("/healthz")
    @blp.response(200, Health)
    @blp.doc(summary="Le processus répond")
    def healthz():
        return {"status": "ok"}

    @blp.route("/readyz")
    @blp.response(200, Readiness)
    @blp.alt_response(503, schema=NotReady)
    @blp.doc(summary="MongoDB et Kafka sont joignables")
    def readyz():
        h = hub()
        checks = {"mongodb": "ok", "kafka": "ok"}
        try:
            mongo.ping(h.client)
            h.prepare_database()
        except PyMongoError:
            checks["mongodb"] = "indisponible"
        if not h.publisher.connected():
            checks["kafka"] = "indisponible"
        for name, ready in h.extra.get("readiness", {}).items():
            checks[name] = "ok" if ready() else "en chargement"
        if all(v == "ok" for v in checks.values()):
            return {"status": "ready", "checks": checks}
        down = ", ".join(k for k, v in checks.items() if v != "ok")
        body = {"code": 503, "status": "Service Unavailable",
                "message": f"Dépendance indisponible : {down}.", "checks": checks}
        return jsonify(body), 503  # a Response: the 200 schema does not apply to it

    @blp.route("/metrics")
    @blp.response(200, content_type=CONTENT_TYPE_LATEST, example=METRICS_EXAMPLE)
    @blp.doc(summary="Métriques Prometheus")
    def metrics():
        return metrics_response()

    return blp


def metrics_response():
    registry = None
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    data = generate_latest(registry) if registry else generate_latest()
    return current_app.response_class(data, mimetype=CONTENT_TYPE_LATEST)
