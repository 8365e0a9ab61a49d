"""The web pages' app: stateless, it renders templates from the ideas, votes, digest and
people JSON APIs, called over HTTP with the signed-in person's token. No MongoDB, no Kafka."""
from urllib.parse import urlsplit

import requests
from flask import Flask, jsonify, render_template, request

from shared.api import MAX_BODY_BYTES, measure_requests, metrics_response, secure
from shared.answers import next_statuses
from shared.auth import TokenIssuer
from shared.config import load_config
from services.web import (account, admin, browse, campaign_form, campaigns, comments, csrf,
                         digest, erase_account, evaluation, exports, forms, i18n, implementation,
                         legal, moderation, notifications, oidc, propose, session, stats,
                         themes)
from services.web.client import ApiClient, ApiError
from services.web.text import paragraphs

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def csp(config):
    """The pages' CSP. Browsers apply form-action to a form's redirects too: signing out
    (a form) goes on to the identity provider's end_session_endpoint."""
    if not config.oidc_issuer:
        return CSP
    parts = urlsplit(config.oidc_issuer)
    return f"{CSP} {parts.scheme}://{parts.netloc}"


def create_app(config=None, make_client=None):
    config = config or load_config()
    config.refuse_local_secrets()
    app = Flask(__name__)  # templates/ and static/ beside this module
    app.config.update(
        SECRET_KEY=config.session_secret,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        SESSION_COOKIE_NAME="ideahub_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.public_url.startswith("https://"),
    )
    if make_client is None:
        http = requests.Session()  # one connection pool per process, made after the fork

        def make_client(token):
            return ApiClient(config.api_base(), token, http,
                             {"X-Request-ID": request.headers.get("X-Request-ID", "")})
    app.extensions["web"] = session.Web(config, TokenIssuer(config), make_client)

    i18n.init_app(app)
    themes.init_app(app, config)
    csrf.init_app(app)
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.globals.update(person=session.person, has=session.has, limits=forms.LIMITS,
                                 next_statuses=next_statuses,
                                 unread_count=notifications.unread_count,
                                 unread_label=notifications.unread_label)
    for module in (browse, campaigns, campaign_form, propose, account, moderation, digest,
                   notifications, admin, legal, implementation, evaluation, exports, stats,
                   comments, erase_account):
        app.register_blueprint(module.bp)
    legal.init_app(app, config)
    oidc.init_app(app, config)
    _errors(app)
    _security_headers(app)
    _health(app)
    measure_requests(app, "web")
    return app


def _errors(app):
    @app.errorhandler(ApiError)
    def api_refused(error):
        """An API refusal no view expected: a page that says it, in the API's status."""
        if error.status == 401:
            session.sign_out()
        status = error.status if error.status in (400, 401, 403, 404, 409, 422, 429) else 503
        template = {403: "forbidden.html", 404: "not_found.html"}.get(status, "error.html")
        message = error.message if status < 500 else None  # no connection error text
        return render_template(template, message=message), status

    @app.errorhandler(400)
    def bad_request(error):
        return render_template("bad_request.html", csrf=error.description == "csrf"), 400

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("forbidden.html"), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("not_found.html"), 404

    @app.errorhandler(405)
    def not_allowed(error):
        return render_template("error.html"), 405

    @app.errorhandler(413)
    def too_large(error):
        return render_template("error.html"), 413


def _security_headers(app):
    policy = csp(app.extensions["web"].config)

    @app.after_request
    def headers(response):
        secure(response, csp=policy, referrer="same-origin")
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"  # pages hold the CSRF token
        response.vary.add("Cookie")
        return response


def _health(app):
    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/readyz")
    def readyz():
        """Stateless: ready once the app is built (the APIs answer for themselves)."""
        return jsonify(status="ready")

    @app.get("/metrics")
    def metrics():
        return metrics_response()
