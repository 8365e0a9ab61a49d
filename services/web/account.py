"""Signing in and out, and my space. The demo sign-in page, where anyone picks a demo person,
exists only with HUB_DEMO_SIGNIN=1 (the local stack and the tests), never in production."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from shared.auth import Identity
from services.web import oidc
from services.web.client import ApiError
from services.web.session import api, local_path, person, requires, sign_in, sign_out, web

bp = Blueprint("account", __name__)

# key -> (name, roles, unit); the e-mail is key@example.fr.
DEMO_PEOPLE = {
    "agnes": ("Agnès Müller", ("agent",), "Service urbanisme"),
    "joel": ("Joël N'Diaye", ("agent",), "CCAS"),
    "maelle": ("Maëlle Le Goff", ("agent", "moderator"), "Direction générale"),
    "aurelie": ("Aurélie Dupont", ("manager",), "Service urbanisme"),
}
ROLE_LABELS = {"agent": _l("agent"), "moderator": _l("modératrice"), "manager": _l("responsable"),
               "admin": _l("administratrice")}
# Ideas I support that my space shows, with their titles (one API call each).
MY_SUPPORTS_SHOWN = 50


def signin_offered():
    """The sign-in page exists with the provider's sign-in or the demo picker (local only)."""
    if not web().config.demo_signin and not oidc.enabled():
        abort(404)


@bp.route("/signin", methods=["GET", "POST"])
def signin():
    signin_offered()
    next_url = local_path(request.values.get("next"))
    error = None
    if request.method == "POST":
        if not web().config.demo_signin:
            abort(404)
        key = request.form.get("person", "")
        if key in DEMO_PEOPLE:
            name, roles, unit = DEMO_PEOPLE[key]
            sign_in(Identity(key, name, f"{key}@example.fr", frozenset(roles), unit))
            return redirect(next_url, 303)
        error = True
    return render_template("signin.html", people=DEMO_PEOPLE if web().config.demo_signin else {},
                           role_labels=ROLE_LABELS, next_url=next_url, error=error,
                           provider=oidc.enabled()), 422 if error else 200


@bp.post("/signout")
def signout():
    """Out of the hub, and out of the provider too when signed in through it."""
    at_provider = oidc.end_session_url()
    sign_out()
    return redirect(at_provider or url_for("browse.home"), 303)


@bp.get("/me")
@requires()
def me():
    mine = api().list_ideas(author="me", sort="new", limit=100)["items"] \
        if person().has("agent") else []
    supported = []
    if person().has("agent"):
        for support in api().my_supports()[:MY_SUPPORTS_SHOWN]:
            try:
                supported.append(api().get_idea(support["idea_id"]))
            except ApiError as error:  # hidden since: not for me to read
                if error.status != 404:
                    raise
    return render_template("me.html", mine=mine, supported=supported)
