"""Cross-site request forgery: every POST carries the session's token, in the form's hidden
`csrf_token` field or (from JavaScript) in the X-CSRF-Token header. SameSite=Lax already keeps
the session cookie off most cross-site POSTs; the token also covers older browsers and
same-site subdomains."""
import hmac
import secrets

from flask import abort, request, session

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


def csrf_token():
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return session[FIELD]


def check_csrf():
    if request.method != "POST":
        return
    expected = session.get(FIELD)
    sent = request.headers.get(HEADER) or request.form.get(FIELD) or ""
    if not expected or not hmac.compare_digest(expected.encode(), sent.encode()):
        abort(400, description="csrf")


def init_app(app):
    app.before_request(check_csrf)
    app.jinja_env.globals["csrf_token"] = csrf_token
